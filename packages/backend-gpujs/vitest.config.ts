import { defineConfig, mergeConfig } from 'vitest/config';
import { longFilesFirst, NO_WALL_CLOCK_LIMITS, SOURCE_PACKAGES, TEST_WORKERS } from '../../vitest.shared.js';

// Node modes (webasm, cpu, headlessgl, webgpu); the browser modes run from vitest.browser.config.ts.
// At normal priority, unlike the CPU-bound packages (vitest.shared.ts says why), and with each file
// in its own module graph: test files here register and switch the process-wide backend.
export default mergeConfig(
  defineConfig({
    ...SOURCE_PACKAGES,
    test: { ...NO_WALL_CLOCK_LIMITS, ...TEST_WORKERS, exclude: ['test/browser/**', 'node_modules/**'] },
  }),
  longFilesFirst(
    'test/conformance-headlessgl.test.ts',
    'test/conformance-webgpu.test.ts',
    'test/long-reductions.test.ts',
    'test/conformance-webasm.test.ts',
  ),
);
