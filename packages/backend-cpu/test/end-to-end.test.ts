import '@backprop/backend-cpu';
import {
  type Backend,
  type FusedActivation,
  gather,
  getBackend,
  gradcheck,
  linear,
  logSoftmax,
  manualSeed,
  matmul,
  memory,
  randn,
  registerBackend,
  slice,
  softmax,
  softmaxCrossEntropy,
  type Tensor,
  tensor,
  tidy,
} from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/index.js';
import { expectClose } from './helpers.js';

const REQUIRED = [
  'floatPrecision',
  'write',
  'read',
  'readSync',
  'dispose',
  'fill',
  'cast',
  'unary',
  'binary',
  'where',
  'reduce',
  'argReduce',
  'matmul',
  'transpose',
  'broadcastTo',
  'slice',
  'concat',
  'gather',
  'indexAdd',
] as const;

/** The CPU backend without its fused kernels, so core composes softmax, linear and friends from the required ones. */
function composedBackend(): Backend {
  const inner = cpuBackend();
  const backend: Record<string, unknown> = { name: 'cpu-composed' };
  for (const key of REQUIRED) backend[key] = (inner[key] as (...args: unknown[]) => unknown).bind(inner);
  return backend as unknown as Backend;
}
registerBackend('cpu-composed', composedBackend, 0);

/** Runs `f` on copies of `inputs` on `device` and returns its value and the inputs' gradients as plain arrays. */
function valueAndGrads(device: string, inputs: Tensor[], f: (...xs: Tensor[]) => Tensor) {
  const xs = inputs.map((x) =>
    tensor(x.dataSync(), { shape: x.shape, dtype: x.dtype, device, requiresGrad: x.requiresGrad }),
  );
  const y = f(...xs);
  y.mul(
    tensor(
      Array.from({ length: y.size }, (_, i) => 1 + i / 7),
      { shape: y.shape, device },
    ),
  )
    .sum()
    .backward();
  return {
    value: Array.from(y.dataSync()),
    grads: xs.filter((x) => x.requiresGrad).map((x) => Array.from(x.grad!.dataSync())),
  };
}

function expectSameOnBothBackends(inputs: Tensor[], f: (...xs: Tensor[]) => Tensor, tolerance = 1e-5) {
  const fused = valueAndGrads('cpu', inputs, f);
  const composed = valueAndGrads('cpu-composed', inputs, f);
  expectClose(fused.value, composed.value, tolerance);
  fused.grads.forEach((g, i) => {
    expectClose(g, composed.grads[i], tolerance);
  });
}

describe('end to end through @backprop/core', () => {
  it('registers itself as the default backend on import', () => {
    expect(getBackend()).toBe('cpu');
  });

  it('computes matmul values and gradients', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true },
    );
    const w = tensor(
      [
        [1, -1],
        [0, 2],
        [0.5, 0],
      ],
      { requiresGrad: true },
    );
    const y = matmul(x, w);
    expect(y.arraySync()).toEqual([
      [2.5, 3],
      [7, 6],
    ]);
    y.mul(
      tensor([
        [1, 2],
        [3, 4],
      ]),
    )
      .sum()
      .backward();
    // dL/dx = G · wᵀ, dL/dw = xᵀ · G with G = [[1, 2], [3, 4]].
    expect(x.grad!.arraySync()).toEqual([
      [-1, 4, 0.5],
      [-1, 8, 1.5],
    ]);
    expect(w.grad!.arraySync()).toEqual([
      [13, 18],
      [17, 24],
      [21, 30],
    ]);
  });

  it('reproduces the study notes’ softmax example', () => {
    const out = softmax(
      tensor([
        [1, 2, 0],
        [-1, 0, 1],
        [-10, 0, 10],
      ]),
    ).dataSync();
    const expected = [
      0.244728471, 0.665240956, 0.0900305732, 0.0900305732, 0.244728471, 0.665240956, 2.06106005e-9,
      4.53978686e-5, 0.9999546,
    ];
    expected.forEach((e, i) => {
      expect(Math.abs(out[i] - e) / e).toBeLessThan(1e-6);
    });
  });

  it('fused softmax, logSoftmax, linear and cross-entropy match core’s compositions, values and gradients', () => {
    manualSeed(3);
    const x = randn([4, 6], { requiresGrad: true });
    expectSameOnBothBackends([x], (v) => softmax(v, 1));
    expectSameOnBothBackends([x], (v) => softmax(v, 0));
    expectSameOnBothBackends([x], (v) => logSoftmax(v, 1));
    const labels = tensor(new Int32Array([0, 5, 2, 2]));
    expectSameOnBothBackends([x], (v) => softmaxCrossEntropy(v, labels.to(v.device)));
    const w = randn([3, 6], { requiresGrad: true });
    const b = randn([3], { requiresGrad: true });
    for (const activation of ['none', 'relu', 'sigmoid', 'tanh'] as FusedActivation[]) {
      expectSameOnBothBackends([x, w, b], (xv, wv, bv) => linear(xv, wv, bv, activation));
      expectSameOnBothBackends([x, w], (xv, wv) => linear(xv, wv, null, activation));
    }
  });

  it('passes gradcheck on a small MLP with cross-entropy', () => {
    manualSeed(7);
    const x = randn([5, 4]);
    const w1 = randn([6, 4], { requiresGrad: true, std: 0.5 });
    const b1 = randn([6], { requiresGrad: true });
    const w2 = randn([3, 6], { requiresGrad: true, std: 0.5 });
    const labels = tensor(new Int32Array([0, 2, 1, 1, 0]));
    const result = gradcheck(
      (a, b, c) => softmaxCrossEntropy(linear(linear(x, a, b, 'tanh'), c), labels).mean(),
      [w1, b1, w2],
    );
    expect(result.mismatches).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it('differentiates strided slices with negative steps and gathers', () => {
    const x = tensor(
      [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 10, 11, 12],
      ],
      { requiresGrad: true },
    );
    const reversed = slice(x, [
      [null, null, -2],
      [3, 0, -2],
    ]);
    expect(reversed.arraySync()).toEqual([
      [12, 10],
      [4, 2],
    ]);
    const picked = gather(x, tensor(new Int32Array([2, 2, 0])), 1);
    expect(picked.arraySync()).toEqual([
      [3, 3, 1],
      [7, 7, 5],
      [11, 11, 9],
    ]);
    reversed.sum().add(picked.sum()).backward();
    expect(x.grad!.arraySync()).toEqual([
      [1, 1, 2, 1],
      [1, 0, 2, 0],
      [1, 1, 2, 1],
    ]);
  });

  it('trains a two-layer network: the loss falls and the tensor count stays constant', () => {
    manualSeed(0);
    const inputs = tensor([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    const labels = tensor(new Int32Array([0, 1, 1, 0]));
    const params = [
      randn([8, 2], { requiresGrad: true }),
      randn([8], { requiresGrad: true }),
      randn([2, 8], { requiresGrad: true }),
      randn([2], { requiresGrad: true }),
    ];
    const losses: number[] = [];
    const counts: number[] = [];
    for (let step = 0; step < 300; step++) {
      tidy(() => {
        const [w1, b1, w2, b2] = params;
        const loss = softmaxCrossEntropy(linear(linear(inputs, w1, b1, 'tanh'), w2, b2), labels).mean();
        loss.backward();
        losses.push(loss.item());
        for (const p of params) {
          p.assign(p.sub(p.grad!.mul(0.5)));
          p.grad!.dispose();
          p.grad = null;
        }
      });
      counts.push(memory().numTensors);
    }
    expect(losses[0]).toBeGreaterThan(0.5);
    expect(losses[losses.length - 1]).toBeLessThan(0.05);
    expect(new Set(counts.slice(1)).size).toBe(1);
    const [w1, b1, w2, b2] = params;
    const predicted = linear(linear(inputs, w1, b1, 'tanh'), w2, b2).argmax(1);
    expect(Array.from(predicted.dataSync())).toEqual([0, 1, 1, 0]);
  });
});
