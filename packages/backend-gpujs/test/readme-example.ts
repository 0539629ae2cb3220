// The README's example, verbatim (test/readme.test.ts runs it).

import { type GpujsBackend, gpujsBackend } from '@backprop/backend-gpujs';
import { matmul, setBackend, tensor } from '@backprop/core';
import '@backprop/backend-gpujs'; // registers 'gpujs'

export async function readmeExample(): Promise<{ mode: string; values: number[][] }> {
  await setBackend('gpujs'); // gpu.js picks its best mode: webgl2 in a browser, headlessgl or webasm in Node
  const x = tensor([
    [1, 2],
    [3, 4],
  ]);
  const w = tensor([[0.5], [1]], { requiresGrad: true });
  const y = matmul(x, w).relu().sum();
  y.backward();
  const grad = (await w.grad!.array()) as number[][];
  // A chosen mode, without registering: gpujsBackend({ mode: 'webasm' }).
  const mode = (x.backend as GpujsBackend).mode;
  void gpujsBackend;
  return { mode, values: grad };
}
