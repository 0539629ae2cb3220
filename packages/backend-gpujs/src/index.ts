/**
 * @backprop/backend-gpujs: a backprop backend whose kernels are compiled by gpu.js (WebGL2, WebGL,
 * headless-gl or WebGPU where there is a GPU; WebAssembly or plain JavaScript elsewhere).
 *
 * Importing it registers the backend as `gpujs` with priority 0.5, below the CPU backend's 1: with
 * both imported, tensors still start on `cpu` unless `await setBackend('gpujs')` is called, so adding
 * this package never silently moves a program onto a different numeric path.
 */
import { registerBackend } from '@backprop/core';
import { gpujsBackend } from './gpujs-backend.js';

export { GpujsBackend, type GpujsBackendOptions, gpujsBackend } from './gpujs-backend.js';
export { type CompiledKernel, KernelCache } from './kernel-cache.js';
export type { KernelSpec } from './kernels/codegen.js';
export {
  availableModes,
  GPUJS_MODES,
  type GpujsMode,
  isGLMode,
  type ModeAvailability,
  probeMode,
  probeModeSync,
  RESIDENT_MODES,
} from './modes.js';

/** The priority `gpujs` registers with: below `cpu` (1), so the CPU backend stays the default. */
export const GPUJS_PRIORITY = 0.5;

registerBackend('gpujs', () => gpujsBackend(), GPUJS_PRIORITY);
