/**
 * Issue 17: reductions over long axes in every Node mode. headless-gl (Mesa's llvmpipe) ends a
 * shader invocation's loops after 65,535 iterations in all, so a reduction that looped over the
 * whole axis in one thread stopped at 63,551 elements, silently; the backend now reduces in passes
 * of at most REDUCE_CHUNK elements per thread. Also: float32 accumulation as good as a pairwise
 * sum, exact indices past 2^23 elements, and the 2^24-element limit as a BackendError.
 */
import {
  BackendError,
  fromArray,
  indexAdd,
  neg,
  ones,
  registerBackend,
  setBackend,
  softmax,
  sum,
  variance,
  zeros,
} from '@backprop/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GpujsMode, gpujsBackend, probeModeSync } from '../src/index.js';
import { REDUCE_CHUNK } from '../src/kernels/reduce.js';

/** Deterministic values in [lo, lo + 1): a linear congruential generator. */
function values(n: number, lo: number): Float32Array {
  const out = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 16807) % 2147483647;
    out[i] = lo + s / 2147483647;
  }
  return out;
}

/** float32 pairwise (recursive halving) sum: the accuracy the backend's sums must match. */
function pairwise32(v: ArrayLike<number>, from = 0, to = v.length): number {
  if (to - from <= 8) {
    let s = 0;
    for (let i = from; i < to; i++) s = Math.fround(s + v[i]);
    return s;
  }
  const mid = from + Math.floor((to - from) / 2);
  return Math.fround(pairwise32(v, from, mid) + pairwise32(v, mid, to));
}

/** The sample variance (n − 1) in float64, and as a float32 pipeline with pairwise sums. */
function varianceOf(x: Float32Array): { exact: number; pairwise: number } {
  let s = 0;
  for (const v of x) s += v;
  const m = s / x.length;
  let q = 0;
  for (const v of x) q += (v - m) ** 2;
  const m32 = Math.fround(pairwise32(x) / x.length);
  const squares = Float32Array.from(x, (v) => Math.fround(Math.fround(v - m32) ** 2));
  return { exact: q / (x.length - 1), pairwise: Math.fround(pairwise32(squares) / (x.length - 1)) };
}

const MODES: GpujsMode[] = ['webasm', 'cpu', 'headlessgl'];

for (const mode of MODES) {
  const probe = probeModeSync(mode);
  describe(`gpujs ${mode}: long reductions`, () => {
    if (!probe.available) {
      it.skip(`${mode} unavailable here: ${probe.reason}`, () => {});
      return;
    }
    const name = `gpujs-long-${mode}`;
    beforeAll(async () => {
      registerBackend(name, () => gpujsBackend({ mode }), 0);
      await setBackend(name);
    });

    it('sums ones past the 63,551 elements where headless-gl used to stop, and past one reduction pass', async () => {
      for (const n of [63_551, 63_552, 70_000, REDUCE_CHUNK * 1024 + 1]) {
        expect((await sum(ones([n])).data())[0]).toBe(n);
      }
    });

    it('softmax over 10^5 zeros sums to 1', async () => {
      expect((await sum(softmax(zeros([100_000]), 0)).data())[0]).toBeCloseTo(1, 5);
    });

    it('sums and takes the variance of 10^6 values around 1000 as accurately as a float32 pairwise sum', async () => {
      const x = values(1_000_000, 999.5);
      const t = fromArray(x, [x.length]);
      let exactSum = 0;
      for (const v of x) exactSum += v;
      const sumError = Math.abs((await sum(t).data())[0] - exactSum);
      const pairwiseSumError = Math.abs(pairwise32(x) - exactSum);
      // Both within a few ulps of 10^9 (64 in float32): far from the naive loop's drift.
      expect(sumError).toBeLessThanOrEqual(Math.max(2 * pairwiseSumError, 256));
      const { exact, pairwise } = varianceOf(x);
      const got = (await variance(t).data())[0];
      expect(Math.abs(got - exact)).toBeLessThanOrEqual(Math.max(2 * Math.abs(pairwise - exact), 1e-5));
    });

    it('indexAdd accumulates 70,000 indices (more than one pass of indices)', async () => {
      const n = 70_000;
      const idx = fromArray(
        Int32Array.from({ length: n }, (_, i) => i % 3),
        [n],
        { dtype: 'int32' },
      );
      const out = await indexAdd(zeros([3, 2]), 0, idx, ones([n, 2])).data();
      expect([...out]).toEqual([23334, 23334, 23333, 23333, 23333, 23333]);
    });

    it('refuses tensors above 2^24 elements with a BackendError naming the limit and the shape', () => {
      expect(() => zeros([2 ** 24 + 1])).toThrow(BackendError);
      expect(() => zeros([4097, 4096])).toThrow(/2\^24 = 16777216 elements per tensor/);
      expect(() => zeros([4097, 4096])).toThrow(/fill of shape \[4097,4096\] has 16781312 elements/);
    });

    if (mode === 'webasm') {
      it('indexes exactly past 2^23 elements (float32 lost the +0.5 there)', async () => {
        const n = 2 ** 23 + 16;
        const x = new Float32Array(n);
        for (let i = 0; i < n; i++) x[i] = i;
        const y = await neg(fromArray(x, [n])).data();
        const wrong = [];
        for (let i = n - 64; i < n; i++) if (y[i] !== -i) wrong.push(i);
        expect(wrong).toEqual([]);
      });
    }
  });
}
