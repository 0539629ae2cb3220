import { defineConfig } from 'vite';

/**
 * Cross-origin isolation (COOP + COEP) gives the page SharedArrayBuffer, which the CPU backend
 * needs to run matmul on worker threads; the dev server and `vite preview` both send the headers.
 * A static host without them still works: the CPU backend then runs on one thread and says so.
 */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative asset URLs: the built folder works from any path of any static host.
  base: './',
  // Workspace packages from their TypeScript sources (no package build needed), as the browser tests do.
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  optimizeDeps: { include: ['gpu.js'] },
  server: { headers: isolation },
  preview: { headers: isolation },
  build: { outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 2000 },
});
