import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder every test's temporary folders go in, removed after the whole run. */
    trainerTestRoot: string;
  }
}

/**
 * vitest's global setup: one temporary folder for the run, made and removed in the main process,
 * so that it goes even when a worker is stopped without running its exit handlers.
 */
export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 'backprop-trainer-test-'));
  project.provide('trainerTestRoot', root);
  return () => rmSync(root, { recursive: true, force: true });
}
