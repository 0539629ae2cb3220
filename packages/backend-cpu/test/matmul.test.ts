import { describe, expect, it } from 'vitest';
import { gemm, javascriptKernel, matmulPath } from '../src/kernels/matmul.js';
import { backend, input, output, randomValues } from './helpers.js';

/**
 * Float64 reference of the batched product, reading A and B through the transpose flags by
 * definition; also returns Σ|a||b| per output for a tolerance that scales with the sum.
 */
function reference(
  a: number[],
  b: number[],
  batch: number,
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
) {
  const value = new Float64Array(batch * m * n);
  const magnitude = new Float64Array(batch * m * n);
  for (let s = 0; s < batch; s++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        let abs = 0;
        for (let p = 0; p < k; p++) {
          const x = transposeA ? a[s * k * m + p * m + i] : a[s * m * k + i * k + p];
          const y = transposeB ? b[s * n * k + j * k + p] : b[s * k * n + p * n + j];
          sum += x * y;
          abs += Math.abs(x * y);
        }
        value[(s * m + i) * n + j] = sum;
        magnitude[(s * m + i) * n + j] = abs;
      }
    }
  }
  return { value, magnitude };
}

const sizes: [number, number, number, number][] = [
  [1, 1, 1, 1],
  [1, 3, 17, 1],
  [2, 17, 3, 65],
  [1, 65, 130, 17],
  [1, 130, 65, 130],
  [3, 1, 130, 65],
  [1, 67, 257, 5],
  [2, 5, 1, 3],
  [1, 5, 3, 1030],
];

/** Every case of `sizes` × transpose flags: inputs, shapes and the float64 reference. */
function cases() {
  return sizes.flatMap(([batch, m, k, n]) =>
    [false, true].flatMap((transposeA) =>
      [false, true].map((transposeB) => {
        const a = randomValues(batch * m * k, m * 31 + k).map(Math.fround);
        const b = randomValues(batch * k * n, n * 17 + k).map(Math.fround);
        return {
          name: `[${batch}] ${m}x${k} · ${k}x${n} transposeA=${transposeA} transposeB=${transposeB}`,
          ...{ a, b, batch, m, k, n, transposeA, transposeB },
          ...reference(a, b, batch, m, k, n, transposeA, transposeB),
        };
      }),
    ),
  );
}

function expectWithin(
  actual: ArrayLike<number>,
  value: Float64Array,
  magnitude: Float64Array,
  relative: number,
) {
  expect(actual.length).toBe(value.length);
  for (let i = 0; i < value.length; i++) {
    const error = Math.abs(actual[i] - value[i]);
    expect(error, `element ${i}: ${actual[i]} vs ${value[i]}`).toBeLessThanOrEqual(
      relative * magnitude[i] + 1e-30,
    );
  }
}

describe('matmul', () => {
  it('runs the WebAssembly SIMD macro-kernel in Node', () => {
    expect(matmulPath()).toBe('wasm-simd');
  });

  for (const c of cases()) {
    it(c.name, () => {
      const aShape = c.transposeA ? [c.batch, c.k, c.m] : [c.batch, c.m, c.k];
      const bShape = c.transposeB ? [c.batch, c.n, c.k] : [c.batch, c.k, c.n];
      const actual = output(
        backend.matmul(input(c.a, aShape), input(c.b, bShape), c.transposeA, c.transposeB),
        [c.batch, c.m, c.n],
      );
      // Sums accumulate in float32: the classic dot-product bound, k rounding errors of 2⁻²⁴
      // relative to Σ|a||b|, plus the final rounding of the result.
      expectWithin(actual, c.value, c.magnitude, (c.k + 1) * 2 ** -24);
    });
  }

  it('computes a known product exactly', () => {
    const a = input([1, 2, 3, 4, 5, 6], [1, 2, 3]);
    const b = input([7, 8, 9, 10, 11, 12], [1, 3, 2]);
    expect(Array.from(output(backend.matmul(a, b, false, false), [1, 2, 2]))).toEqual([58, 64, 139, 154]);
    expect(Array.from(output(backend.matmul(b, a, true, true), [1, 2, 2]))).toEqual([58, 139, 64, 154]);
  });

  it('gives zeros for an empty inner dimension and nothing for empty outer ones', () => {
    expect(
      Array.from(output(backend.matmul(input([], [2, 3, 0]), input([], [2, 0, 2]), false, false), [2, 3, 2])),
    ).toEqual(new Array(12).fill(0));
    expect(
      output(
        backend.matmul(input([], [1, 0, 4]), input(new Array(8).fill(1), [1, 4, 2]), false, false),
        [1, 0, 2],
      ).length,
    ).toBe(0);
    expect(
      output(backend.matmul(input([], [0, 3, 4]), input([], [0, 4, 2]), false, false), [0, 3, 2]).length,
    ).toBe(0);
  });
});

describe('matmul outputs in recycled arrays', () => {
  it('overwrites every element, and gives zeros for an empty inner dimension', () => {
    // 128×128 floats are 64 KiB, so a disposed output is kept and handed to the next one as it is.
    const ones = input(new Array(128 * 4).fill(1), [1, 128, 4]);
    const full = backend.matmul(ones, ones, false, true);
    expect(output(full, [1, 128, 128])[0]).toBe(4);
    backend.dispose(full);
    const empty = backend.matmul(input([], [1, 128, 0]), input([], [1, 0, 128]), false, false);
    expect(output(empty, [1, 128, 128]).every((v) => v === 0)).toBe(true);
    backend.dispose(empty);
    const twos = input(new Array(128 * 3).fill(2), [1, 3, 128]);
    const product = backend.matmul(twos, twos, true, false);
    expect(output(product, [1, 128, 128]).every((v) => v === 12)).toBe(true);
  });
});

describe('the JavaScript matmul path (where WebAssembly SIMD is missing or blocked)', () => {
  for (const c of cases()) {
    it(c.name, () => {
      const out = new Float32Array(c.batch * c.m * c.n);
      const [m, k, n] = [c.m, c.k, c.n];
      const kernel = javascriptKernel();
      for (let s = 0; s < c.batch; s++) {
        const a = {
          data: Float32Array.from(c.a),
          offset: s * m * k,
          rowStride: c.transposeA ? 1 : k,
          colStride: c.transposeA ? m : 1,
        };
        const b = {
          data: Float32Array.from(c.b),
          offset: s * k * n,
          rowStride: c.transposeB ? 1 : n,
          colStride: c.transposeB ? k : 1,
        };
        gemm({ m, n, k, a, b, c: out, cOffset: s * m * n }, null, kernel);
      }
      // Double-precision running sums: only the final rounding to float32 remains.
      expectWithin(out, c.value, c.magnitude, 2e-7);
    });
  }
});
