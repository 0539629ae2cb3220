/**
 * @backprop/backend-cpu: the reference backend of backprop, typed arrays in the calling thread.
 * Importing this package registers it as `cpu`.
 */
import { registerBackend } from '@backprop/core';
import { cpuBackend } from './cpu-backend.js';

export { CpuBackend, cpuBackend } from './cpu-backend.js';
export { matmulPath } from './kernels/matmul.js';

registerBackend('cpu', cpuBackend, 1);
