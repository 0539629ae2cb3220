import { defineConfig } from 'tsup';
import shared from '../../tsup.shared.js';

/** Two entries: the browser-safe library and `@backprop/train/node` (files and paths). */
export default defineConfig({
  ...(shared as object),
  entry: { index: 'src/index.ts', node: 'src/node/index.ts' },
});
