/**
 * Loads TensorFlow.js (4.22.0) with the requested backend, quietly and without touching the network:
 * the wasm backend loads its .wasm files from the package's own dist folder on disk.
 */

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { unavailable } from '../common.js';

export type TfBackend = 'cpu' | 'wasm';

export async function loadTf(backend: TfBackend): Promise<typeof import('@tensorflow/tfjs-core')> {
  // tfjs-core prints an advert for tfjs-node on its first backend in Node; keep the bench output clean.
  const warn = console.warn;
  const log = console.log;
  console.warn = () => {};
  console.log = () => {};
  try {
    const tf = await import('@tensorflow/tfjs-core');
    if (backend === 'cpu') {
      await import('@tensorflow/tfjs-backend-cpu');
    } else {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const require = createRequire(import.meta.url);
      const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
      wasm.setWasmPaths(`${join(dist, 'dist')}/`);
      // One thread, like every other library here (the threaded build also needs workers).
      wasm.setThreadsCount?.(1);
    }
    const ok = await tf.setBackend(backend);
    if (!ok || tf.getBackend() !== backend)
      throw unavailable(`tfjs backend '${backend}' failed to initialise`);
    await tf.ready();
    return tf;
  } finally {
    console.warn = warn;
    console.log = log;
  }
}
