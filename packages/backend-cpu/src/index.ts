/**
 * @backprop/backend-cpu: the reference backend of backprop, typed arrays in the calling thread,
 * with matmul on a pool of workers over shared memory. Importing this package registers it as `cpu`.
 */
import { registerBackend } from '@backprop/core';
import { cpuBackend } from './cpu-backend.js';

export { CpuBackend, type CpuBackendOptions, cpuBackend } from './cpu-backend.js';
export { matmulPath } from './kernels/matmul.js';
export { THREADS_VARIABLE, type Threading } from './threads/threading.js';

registerBackend('cpu', () => cpuBackend(), 1);
