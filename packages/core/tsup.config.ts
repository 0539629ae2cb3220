import { defineConfig } from 'tsup';
import shared from '../../tsup.shared.js';

/** Two entries: the library (`.`) and the engine internals for backend authors (`./backend`). */
export default defineConfig({
  ...shared,
  entry: { index: 'src/index.ts', backend: 'src/backend-entry.ts' },
  // Both entries share one engine: the CommonJS build splits shared modules into chunks too.
  splitting: true,
});
