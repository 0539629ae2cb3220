/**
 * The gpu.js backends, loaded on first use (gpu.js probes WebGL and WebGPU as it loads, which a
 * page training on the CPU need not wait for): `gpujs`, registered by its package, lets gpu.js
 * choose (WebGL2 in a browser); `webgpu` is gpu.js in its WebGPU mode, a separate backend because
 * the mode is chosen when the backend is built.
 */
import '@backprop/backend-gpujs';
import { gpujsBackend } from '@backprop/backend-gpujs';
import { listBackends, registerBackend } from '@backprop/core';

if (!listBackends().includes('webgpu')) {
  registerBackend('webgpu', () => gpujsBackend({ mode: 'webgpu', name: 'webgpu' }), 0.1);
}
