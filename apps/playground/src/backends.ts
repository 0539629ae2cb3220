import '@backprop/backend-cpu';
import '@backprop/backend-gpujs';
import type { CpuBackend } from '@backprop/backend-cpu';
import { type GpujsBackend, gpujsBackend } from '@backprop/backend-gpujs';
import { type Backend, initBackend, listBackends, registerBackend } from '@backprop/core';
import type { BackendChoice } from './config.js';

// `gpujs` (registered by its package) lets gpu.js choose: WebGL2 in a browser. WebGPU is a
// separate backend, because its mode is chosen when the backend is built.
if (!listBackends().includes('webgpu')) {
  registerBackend('webgpu', () => gpujsBackend({ mode: 'webgpu', name: 'webgpu' }), 0.1);
}

/** Starts a backend once (so tensors can be created or moved there); says why when it cannot. */
export async function startBackend(name: BackendChoice): Promise<void> {
  await initBackend(name);
}

/**
 * What actually runs, in words for the page and the tests: `cpu (4 threads)`, `gpujs webgl2`,
 * `webgpu webgpu`. `mode` is gpu.js's resolved mode, or `cpu`.
 */
export function describeBackend(backend: Backend): { name: string; mode: string; detail: string } {
  const gpu = backend as Partial<GpujsBackend>;
  if (typeof gpu.mode === 'string')
    return { name: backend.name, mode: gpu.mode, detail: `gpu.js ${gpu.mode}` };
  const threading = (backend as Partial<CpuBackend>).threading;
  const threads = threading ? `${threading.threads} of ${threading.requested} threads` : '1 thread';
  const note = threading?.note ? ` (${threading.note})` : '';
  return { name: backend.name, mode: 'cpu', detail: `typed arrays, ${threads}${note}` };
}

/** Whether tensors on this backend can be read synchronously (all but WebGPU). */
export function readsSynchronously(backend: Backend): boolean {
  return !(backend as Partial<GpujsBackend>).isAsync;
}
