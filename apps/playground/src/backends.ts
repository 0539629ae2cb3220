import '@backprop/backend-cpu';
import type { CpuBackend } from '@backprop/backend-cpu';
import type { GpujsBackend } from '@backprop/backend-gpujs';
import { type Backend, initBackend } from '@backprop/core';
import type { BackendChoice } from './config.js';

/** Starts a backend once (so tensors can be created or moved there); says why when it cannot. */
export async function startBackend(name: BackendChoice): Promise<void> {
  if (name !== 'cpu') await import('./gpu-backends.js');
  await initBackend(name);
}

/**
 * What actually runs, for the page and the tests: the backend's name, gpu.js's resolved mode
 * (`webgl2`, `webgpu`, …; `cpu` for the CPU backend) and a line of detail (the threads in use).
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
