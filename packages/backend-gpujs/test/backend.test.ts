import { BackendError, type DataId } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { type GpujsBackend, type GpujsMode, gpujsBackend, probeModeSync } from '../src/index.js';

const MODES: GpujsMode[] = ['webasm', 'cpu', 'headlessgl'];

for (const mode of MODES) {
  const probe = probeModeSync(mode);
  describe(`gpujs backend (${mode})`, () => {
    if (!probe.available) {
      it.skip(`${mode} unavailable here: ${probe.reason}`, () => {});
      return;
    }
    const make = () => gpujsBackend({ mode }) as GpujsBackend;

    it('reports its mode and float32 precision', () => {
      const b = make();
      expect(b.mode).toBe(mode);
      expect(b.floatPrecision()).toBe(32);
      b.destroy();
    });

    it('stores int32 and bool as floats but reads back their own array types, exactly', async () => {
      const b = make();
      const ints = new Int32Array([-16777216, -3, 0, 7, 16777216]);
      const id = b.write(ints, [5], 'int32');
      const sum = b.binary(
        'add',
        { dataId: id, shape: [5], dtype: 'int32' },
        { dataId: id, shape: [5], dtype: 'int32' },
        [5],
        'int32',
      );
      expect(b.readSync({ dataId: id, shape: [5], dtype: 'int32' })).toEqual(ints);
      const twice = await b.read({ dataId: sum, shape: [5], dtype: 'int32' });
      expect(twice).toBeInstanceOf(Int32Array);
      expect([...twice]).toEqual([...ints].map((v) => 2 * v));
      const flags = b.binary(
        'gt',
        { dataId: id, shape: [5], dtype: 'int32' },
        { dataId: b.fill([], 0, 'int32'), shape: [], dtype: 'int32' },
        [5],
        'bool',
      );
      const read = b.readSync({ dataId: flags, shape: [5], dtype: 'bool' });
      expect(read).toBeInstanceOf(Uint8Array);
      expect([...read]).toEqual([0, 0, 0, 1, 1]);
      b.destroy();
    });

    it('compiles each kernel once per op and structure, and reuses it for every shape', () => {
      const b = make();
      const info = (values: number[], shape: number[]) => ({
        dataId: b.write(new Float32Array(values), shape, 'float32'),
        shape,
        dtype: 'float32' as const,
      });
      const read = (dataId: DataId, shape: number[]) => [...b.readSync({ dataId, shape, dtype: 'float32' })];
      const upload = b.isResident ? 1 : 0;
      const x = info([1, 2, 3, 4, 5, 6], [2, 3]);
      for (let i = 0; i < 5; i++) b.dispose(b.unary('neg', x));
      expect(b.kernelStats().builds).toBe(upload + 1);
      const y = info([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], [5, 3]);
      expect(read(b.unary('neg', y), [15])).toEqual([
        -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12, -13, -14, -15,
      ]);
      expect(b.kernelStats().builds).toBe(upload + 1);
      // A row sum, then another row sum of a different shape: one kernel, right sums for both.
      expect(read(b.reduce('sum', x, [1]), [2])).toEqual([6, 15]);
      expect(read(b.reduce('sum', y, [1]), [5])).toEqual([6, 15, 24, 33, 42]);
      expect(b.kernelStats().builds).toBe(upload + 2);
      // A row broadcast over matrices of two shapes: one kernel.
      const row2 = info([10, 20, 30], [3]);
      expect(read(b.binary('add', x, row2, [2, 3], 'float32'), [6])).toEqual([11, 22, 33, 14, 25, 36]);
      expect(read(b.binary('add', y, row2, [5, 3], 'float32'), [15]).slice(9)).toEqual([
        20, 31, 42, 23, 34, 45,
      ]);
      expect(b.kernelStats().builds).toBe(upload + 3);
      // Products of two shapes: one kernel.
      const ab = b.matmul({ ...x, shape: [1, 2, 3] }, { ...y, shape: [1, 3, 5] }, false, false);
      expect(read(ab, [10])).toEqual([46, 52, 58, 64, 70, 100, 115, 130, 145, 160]);
      const yx = b.matmul({ ...y, shape: [1, 5, 3] }, { ...x, shape: [1, 3, 2] }, false, false);
      expect(read(yx, [10]).slice(0, 2)).toEqual([22, 28]);
      expect(b.kernelStats().builds).toBe(upload + 4);
      b.destroy();
    });

    it('handles empty tensors without running kernels', async () => {
      const b = make();
      const e = {
        dataId: b.write(new Float32Array(0), [0, 3], 'float32'),
        shape: [0, 3],
        dtype: 'float32' as const,
      };
      expect(await b.read({ dataId: b.unary('exp', e), shape: [0, 3], dtype: 'float32' })).toEqual(
        new Float32Array(0),
      );
      expect([...b.readSync({ dataId: b.reduce('sum', e, [0]), shape: [3], dtype: 'float32' })]).toEqual([
        0, 0, 0,
      ]);
      expect(b.kernelStats().builds).toBe(1); // only the fill of the empty sum
      b.destroy();
    });
  });
}

describe('gpujs modes', () => {
  it('names the reason when a mode is unavailable', () => {
    const missing = (['webgl2', 'webgl'] as const).find((m) => !probeModeSync(m).available);
    if (!missing) return;
    expect(() => gpujsBackend({ mode: missing })).toThrow(BackendError);
    expect(() => gpujsBackend({ mode: missing })).toThrow(/unavailable/);
  });
});
