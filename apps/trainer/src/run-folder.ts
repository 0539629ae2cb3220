import { join } from 'node:path';
import { writeFileAtomic } from './checkpoint/atomic.js';
import { CHECKPOINT_FILE } from './checkpoint/file.js';

/** File names inside a run folder (classification runs and words runs alike). */
export const RUN_FILES = {
  checkpoint: CHECKPOINT_FILE,
  metrics: 'metrics.jsonl',
  report: 'report.html',
} as const;

/** The paths of a run folder's files. */
export type RunFiles = { readonly [K in keyof typeof RUN_FILES]: string };

/** The files of the run folder `dir`. */
export function runFiles(dir: string): RunFiles {
  return {
    checkpoint: join(dir, RUN_FILES.checkpoint),
    metrics: join(dir, RUN_FILES.metrics),
    report: join(dir, RUN_FILES.report),
  };
}

/** Rewrites `metrics.jsonl` atomically with one JSON line per epoch of `history`. */
export function writeMetrics(path: string, history: readonly object[]): void {
  writeFileAtomic(path, history.map((m) => `${JSON.stringify(m)}\n`).join(''));
}
