import { defineConfig } from 'vitest/config';

/** Vite's default server conditions, with `source` first so tests import workspace packages from their TypeScript sources (no build needed). */
const conditions = ['source', 'module', 'node', 'development|production'];

/**
 * No test is timed: a slow or busy machine must never fail one. The limits only end a hang, far
 * beyond any test's running time (CI's own time limit is longer still).
 */
export const NO_WALL_CLOCK_LIMITS = { testTimeout: 1_800_000, hookTimeout: 1_800_000 } as const;

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: { ...NO_WALL_CLOCK_LIMITS },
});
