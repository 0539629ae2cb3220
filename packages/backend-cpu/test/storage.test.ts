import { BackendError } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/index.js';
import { backend, input, output } from './helpers.js';

describe('cpu backend: identity and storage', () => {
  it('is named cpu, computes in float32, and the factory makes new instances', () => {
    expect(backend.name).toBe('cpu');
    expect(backend.floatPrecision()).toBe(32);
    expect(cpuBackend()).not.toBe(cpuBackend());
  });

  it('reads return copies the caller owns, in the dtype array type', async () => {
    const x = input([1.5, -2, 3], [3]);
    const first = backend.readSync(x);
    expect(first).toBeInstanceOf(Float32Array);
    first[0] = 100;
    expect(Array.from(backend.readSync(x))).toEqual([1.5, -2, 3]);
    const viaPromise = await backend.read(x);
    expect(viaPromise).not.toBe(first);
    expect(Array.from(viaPromise)).toEqual([1.5, -2, 3]);
    expect(backend.readSync(input([1, 2], [2], 'int32'))).toBeInstanceOf(Int32Array);
    expect(backend.readSync(input([1, 0], [2], 'bool'))).toBeInstanceOf(Uint8Array);
  });

  it('fails loudly when disposed data is used', () => {
    const x = input([1], []);
    backend.dispose(x.dataId);
    expect(() => backend.readSync(x)).toThrow(BackendError);
    expect(() => backend.unary('neg', x)).toThrow(/disposed/);
  });

  it('rejects another backend’s handle', () => {
    expect(() => backend.readSync({ dataId: {}, shape: [], dtype: 'float32' })).toThrow(/another backend/);
  });

  it('fills every dtype, scalars and empty shapes', () => {
    expect(Array.from(output(backend.fill([2, 2], 2.5, 'float32'), [2, 2]))).toEqual([2.5, 2.5, 2.5, 2.5]);
    expect(Array.from(output(backend.fill([3], -2.7, 'int32'), [3], 'int32'))).toEqual([-2, -2, -2]);
    expect(Array.from(output(backend.fill([2], 0.5, 'bool'), [2], 'bool'))).toEqual([1, 1]);
    expect(Array.from(output(backend.fill([2], 256, 'bool'), [2], 'bool'))).toEqual([1, 1]);
    expect(Array.from(output(backend.fill([], 7, 'float32'), []))).toEqual([7]);
    expect(output(backend.fill([3, 0], 1, 'float32'), [3, 0]).length).toBe(0);
  });

  it('casts: float→int32 truncates toward zero, anything→bool is x != 0, same dtype copies', () => {
    const x = input([-2.7, 2.7, -0.5, 0.5, 3, Number.NaN], [6]);
    expect(Array.from(output(backend.cast(x, 'int32'), [6], 'int32'))).toEqual([-2, 2, 0, 0, 3, 0]);
    expect(Array.from(output(backend.cast(x, 'bool'), [6], 'bool'))).toEqual([1, 1, 1, 1, 1, 1]);
    const zeros = input([0, -0, 1], [3]);
    expect(Array.from(output(backend.cast(zeros, 'bool'), [3], 'bool'))).toEqual([0, 0, 1]);
    const ints = input([-3, 0, 5], [3], 'int32');
    expect(Array.from(output(backend.cast(ints, 'float32'), [3]))).toEqual([-3, 0, 5]);
    expect(Array.from(output(backend.cast(ints, 'bool'), [3], 'bool'))).toEqual([1, 0, 1]);
    const flags = input([1, 0], [2], 'bool');
    expect(Array.from(output(backend.cast(flags, 'float32'), [2]))).toEqual([1, 0]);
    const copy = backend.cast(x, 'float32');
    expect(copy).not.toBe(x.dataId);
    backend.dispose(copy);
    expect(backend.readSync(x)[1]).toBeCloseTo(2.7, 6);
  });
});
