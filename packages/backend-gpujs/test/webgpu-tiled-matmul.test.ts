import './software-vulkan.js';
import type { DataId, FusedActivation, TensorInfo } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { type GpujsBackend, gpujsBackend } from '../src/index.js';
import { availableOrReported } from './mode-suite.js';

/** Deterministic values in [-1, 1) (a linear congruential generator), so failures reproduce. */
function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

/** The float64 product of `a` [batch, m, k] (or [batch, k, m]) and `b` [batch, k, n] (or [batch, n, k]), and Σ|a·b| per cell. */
function reference(
  a: Float32Array,
  b: Float32Array,
  [batch, m, k, n]: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): { product: Float64Array; magnitude: Float64Array } {
  const product = new Float64Array(batch * m * n);
  const magnitude = new Float64Array(batch * m * n);
  for (let p = 0; p < batch; p++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let sum = 0;
        let abs = 0;
        for (let q = 0; q < k; q++) {
          const x = a[p * m * k + (transposeA ? q * m + i : i * k + q)];
          const y = b[p * k * n + (transposeB ? j * k + q : q * n + j)];
          sum += x * y;
          abs += Math.abs(x * y);
        }
        product[(p * m + i) * n + j] = sum;
        magnitude[(p * m + i) * n + j] = abs;
      }
  return { product, magnitude };
}

/** Float32 rounding of sums of `k` terms: within a few ulps of Σ|a·b| per blocked partial sum. */
function expectClose(got: Float32Array, want: Float64Array, magnitude: Float64Array): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const tolerance = 1e-6 * magnitude[i] + 1e-7;
    if (!(Math.abs(got[i] - want[i]) <= tolerance))
      expect.fail(`cell ${i}: got ${got[i]}, want ${want[i]} (tolerance ${tolerance})`);
  }
}

const ACTIVATIONS: Record<FusedActivation, (y: number) => number> = {
  none: (y) => y,
  relu: (y) => Math.max(y, 0),
  sigmoid: (y) => 1 / (1 + Math.exp(-y)),
  tanh: Math.tanh,
};

if (await availableOrReported('webgpu')) {
  describe('webgpu: workgroup-tiled matmul and linear', () => {
    const tensor = (backend: GpujsBackend, data: Float32Array, shape: number[]): TensorInfo => ({
      dataId: backend.write(data, shape, 'float32'),
      shape,
      dtype: 'float32',
    });
    const readFloats = async (backend: GpujsBackend, dataId: DataId, shape: number[]) =>
      (await backend.read({ dataId, shape, dtype: 'float32' })) as Float32Array;

    it('computes every operand layout over shapes that leave partial tiles, batched, and K past the gpu.js chunk', async () => {
      const backend = (await gpujsBackend({ mode: 'webgpu' })) as GpujsBackend;
      // [batch, m, k, n]: partial tiles on every axis, exact tiles, a single cell, several batches,
      // and K = 20,000 (the gpu.js kernel splits K above 16,384 and sums the chunks; this does not).
      const cases = [
        [1, 67, 129, 65],
        [2, 128, 16, 64],
        [1, 1, 1, 1],
        [3, 65, 17, 130],
        [1, 5, 20000, 3],
      ];
      let seed = 1;
      for (const dims of cases) {
        const [batch, m, k, n] = dims;
        for (const [transposeA, transposeB] of [
          [false, false],
          [true, false],
          [false, true],
          [true, true],
        ]) {
          const a = values(batch * m * k, seed++);
          const b = values(batch * k * n, seed++);
          const aInfo = tensor(backend, a, transposeA ? [batch, k, m] : [batch, m, k]);
          const bInfo = tensor(backend, b, transposeB ? [batch, n, k] : [batch, k, n]);
          const out = backend.matmul(aInfo, bInfo, transposeA, transposeB);
          // Freed before the product is read: the backend keeps them until the product has run.
          backend.dispose(aInfo.dataId);
          backend.dispose(bInfo.dataId);
          const got = await readFloats(backend, out, [batch, m, n]);
          const want = reference(a, b, dims, transposeA, transposeB);
          expectClose(got, want.product, want.magnitude);
          backend.dispose(out);
        }
      }
      // One pipeline per operand layout; the only gpu.js kernel is the upload copy.
      expect(backend.kernelStats()).toMatchObject({ tiledPipelines: 4, kernels: 1 });
      backend.destroy();
    });

    it('fuses the bias and each activation of linear', async () => {
      const backend = (await gpujsBackend({ mode: 'webgpu' })) as GpujsBackend;
      const [m, k, n] = [37, 70, 45];
      // Scaled so pre-activations span about [-6, 6]: sigmoid and tanh are tested off their linear parts.
      const x = values(m * k, 101).map((v) => v * 1.5);
      const weight = values(n * k, 102);
      const bias = values(n, 103);
      const xInfo = tensor(backend, x, [m, k]);
      const weightInfo = tensor(backend, weight, [n, k]);
      const biasInfo = tensor(backend, bias, [n]);
      const { product, magnitude } = reference(x, weight, [1, m, k, n], false, true);
      for (const [activation, f] of Object.entries(ACTIVATIONS) as [FusedActivation, (y: number) => number][])
        for (const withBias of [false, true]) {
          const out = backend.linear(xInfo, weightInfo, withBias ? biasInfo : null, activation);
          const got = await readFloats(backend, out, [m, n]);
          const want = product.map((z, i) => f(z + (withBias ? bias[i % n] : 0)));
          // Each activation's slope is at most 1, so the product's tolerance carries over.
          expectClose(
            got,
            want,
            magnitude.map((s) => s + 1),
          );
          backend.dispose(out);
        }
      expect(backend.kernelStats()).toMatchObject({ tiledPipelines: 8, kernels: 1 });
      backend.destroy();
    });

    it('feeds gpu.js kernels and is fed by them, in submission order', async () => {
      const backend = (await gpujsBackend({ mode: 'webgpu' })) as GpujsBackend;
      const [m, k, n] = [20, 33, 18];
      const a = values(m * k, 7);
      const b = values(k * n, 8);
      const c = values(n * 9, 9);
      const aInfo = tensor(backend, a, [1, m, k]);
      const bInfo = tensor(backend, b, [1, k, n]);
      const cInfo = tensor(backend, c, [1, n, 9]);
      // relu(a·b)·c: tiled product → gpu.js relu → tiled product, read once at the end.
      const ab = backend.matmul(aInfo, bInfo, false, false);
      const relu = backend.unary('relu', { dataId: ab, shape: [1, m, n], dtype: 'float32' });
      backend.dispose(ab);
      const out = backend.matmul({ dataId: relu, shape: [1, m, n], dtype: 'float32' }, cInfo, false, false);
      backend.dispose(relu);
      const got = await readFloats(backend, out, [1, m, 9]);
      const first = reference(a, b, [1, m, k, n], false, false);
      const hidden = first.product.map((v) => Math.max(v, 0));
      const want = reference(Float32Array.from(hidden), c, [1, m, n, 9], false, false);
      // The first product's rounding, carried through the second: Σ_j Σ|a·b|_ij · |c_jl|.
      const carried = reference(
        Float32Array.from(first.magnitude),
        c.map(Math.abs),
        [1, m, n, 9],
        false,
        false,
      );
      expectClose(
        got,
        want.product,
        want.magnitude.map((s, i) => s + carried.product[i]),
      );
      backend.destroy();
    });
  });
}
