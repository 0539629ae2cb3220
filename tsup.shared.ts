import { defineConfig } from 'tsup';

/** Every package builds the same way: ESM + CommonJS + type declarations from src/index.ts. */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Class names show in messages and summaries (Module.typeName): keep them through bundling.
  keepNames: true,
  // import.meta.url in the CommonJS build (e.g. data's createRequire) becomes the file's URL instead of empty.
  shims: true,
});
