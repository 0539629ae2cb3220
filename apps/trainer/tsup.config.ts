import { defineConfig } from 'tsup';

// An app, not a library: one ESM entry with its shebang kept, no type declarations. The
// @backprop packages stay external (they are dependencies) and load from their own builds.
export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  dts: false,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
});
