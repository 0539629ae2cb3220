import { defineConfig } from 'vitest/config';

/** Vite's default server conditions, with `source` first so tests import workspace packages from their TypeScript sources (no build needed). */
const conditions = ['source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: { testTimeout: 60_000, hookTimeout: 120_000 },
});
