import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// Node modes (webasm, cpu, headlessgl); the browser modes run from vitest.browser.config.ts.
export default mergeConfig(
  shared,
  defineConfig({ test: { exclude: ['test/browser/**', 'node_modules/**'] } }),
);
