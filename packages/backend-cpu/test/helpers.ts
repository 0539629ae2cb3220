import type { DataId, DType, Shape, TensorInfo, TypedArray } from '@backprop/core';
import { sizeOf, stridesOf } from '@backprop/core';
import { expect } from 'vitest';
import { cpuBackend } from '../src/index.js';

/** A fresh backend for kernel-level tests. */
export const backend = cpuBackend();

/** Uploads values as a kernel input. */
export function input(values: ArrayLike<number>, shape: Shape, dtype: DType = 'float32'): TensorInfo {
  const array =
    dtype === 'float32'
      ? Float32Array.from(values)
      : dtype === 'int32'
        ? Int32Array.from(values)
        : Uint8Array.from(values);
  return { dataId: backend.write(array, shape, dtype), shape, dtype };
}

/** Reads a kernel output back. */
export function output(dataId: DataId, shape: Shape, dtype: DType = 'float32'): TypedArray {
  return backend.readSync({ dataId, shape, dtype });
}

/** 0, 1, 2, … as float32 values of `shape`. */
export function iota(shape: Shape): number[] {
  return Array.from({ length: sizeOf(shape) }, (_, i) => i);
}

/** Deterministic pseudo-random values in [-1, 1) (a tiny LCG, independent of the code under test). */
export function randomValues(n: number, seed = 1): number[] {
  let state = seed >>> 0;
  return Array.from({ length: n }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.fround((state / 2 ** 32) * 2 - 1);
  });
}

/** The multi-index of flat position `flat` in `shape`. */
export function unravel(flat: number, shape: Shape): number[] {
  const strides = stridesOf(shape);
  return strides.map((s, d) => Math.floor(flat / s) % shape[d]);
}

/** Element `index` of a row-major array of `shape`, broadcasting size-1 and missing leading dimensions. */
export function at(values: ArrayLike<number>, shape: Shape, index: readonly number[]): number {
  const lead = index.length - shape.length;
  const strides = stridesOf(shape);
  let offset = 0;
  shape.forEach((d, i) => {
    offset += (d === 1 ? 0 : index[lead + i]) * strides[i];
  });
  return values[offset];
}

/** Elementwise closeness with an absolute-plus-relative tolerance, reporting the first bad index. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    if (Number.isNaN(e)) {
      expect(a, `index ${i}`).toBeNaN();
      continue;
    }
    if (!Number.isFinite(e)) {
      expect(a, `index ${i}`).toBe(e);
      continue;
    }
    expect(Math.abs(a - e), `index ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(tolerance * (1 + Math.abs(e)));
  }
}
