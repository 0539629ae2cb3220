import { mergeConfig } from 'vitest/config';
import shared, { ISOLATED_FILES, longFilesFirst } from '../../vitest.shared.js';

// Node modes (webasm, cpu, headlessgl, webgpu); the browser modes run from vitest.browser.config.ts.
// Test files here register and switch the process-wide backend: each runs in its own module graph.
export default mergeConfig(
  mergeConfig(shared, ISOLATED_FILES),
  mergeConfig(
    { test: { exclude: ['test/browser/**', 'node_modules/**'] } },
    longFilesFirst(
      'test/conformance-headlessgl.test.ts',
      'test/conformance-webgpu.test.ts',
      'test/long-reductions.test.ts',
      'test/conformance-webasm.test.ts',
    ),
  ),
);
