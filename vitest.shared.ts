import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

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

/**
 * A package's test files share one module graph per worker (`isolate: false`): importing core and
 * the packages above it once per worker instead of once per file takes a third off most packages'
 * test time. Packages whose test files register or switch the process-wide backend keep files
 * apart with {@link ISOLATED_FILES}.
 */
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: { ...NO_WALL_CLOCK_LIMITS, ...TEST_WORKERS, isolate: false },
});

/** Every test file in a fresh module graph (vitest's default). */
export const ISOLATED_FILES = { test: { isolate: true } } as const;

/**
 * Starts the named test files first, in the order given, then the rest in vitest's order. On a
 * fresh clone vitest has no timings and starts the largest files first, but a backend's
 * conformance run is a three-line file: started last, it would run alone at the end of CI.
 */
export function longFilesFirst(...files: readonly string[]): {
  test: { sequence: { sequencer: typeof BaseSequencer } };
} {
  const rank = (spec: TestSpecification): number => {
    const index = files.findIndex((file) => spec.moduleId.endsWith(`/${file}`));
    return index < 0 ? files.length : index;
  };
  class LongFilesFirst extends BaseSequencer {
    override async sort(specs: TestSpecification[]): Promise<TestSpecification[]> {
      const ordered = await super.sort(specs);
      return ordered
        .map((spec, position) => ({ spec, position }))
        .sort((a, b) => rank(a.spec) - rank(b.spec) || a.position - b.position)
        .map(({ spec }) => spec);
    }
  }
  return { test: { sequence: { sequencer: LongFilesFirst } } };
}
