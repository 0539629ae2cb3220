import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** Vite's default server conditions, with `source` first so tests import workspace packages from their TypeScript sources (no build needed). */
const conditions = ['source', 'module', 'node', 'development|production'];

/**
 * No test is timed: a slow or busy machine must never fail one. The limits only end a hang, far
 * beyond any test's running time (CI's own time limit is longer still).
 */
export const HANG_LIMIT_MS = 1_800_000;

/** {@link HANG_LIMIT_MS} for every test and hook. */
export const NO_WALL_CLOCK_LIMITS = { testTimeout: HANG_LIMIT_MS, hookTimeout: HANG_LIMIT_MS } as const;

/**
 * Test files in parallel even on 2 cores (vitest's default is one worker fewer than the cores): a
 * package's long files (a backend's conformance run, the trainer's end-to-end runs) would otherwise
 * run one after another at the end of CI while the other core idles.
 */
export const TEST_WORKERS = { maxWorkers: Math.max(2, availableParallelism() - 1) } as const;

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: { ...NO_WALL_CLOCK_LIMITS, ...TEST_WORKERS },
});
