import { BackendError } from '@backprop/core';
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

    it('compiles each kernel once per op and shape and reuses it', () => {
      const b = make();
      const x = {
        dataId: b.write(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], 'float32'),
        shape: [2, 3],
        dtype: 'float32' as const,
      };
      for (let i = 0; i < 5; i++) b.dispose(b.unary('exp', x));
      expect(b.kernelStats().builds).toBe(b.isResident ? 2 : 1); // (+ the upload kernel on GL)
      b.dispose(b.unary('exp', { ...x, shape: [3, 2] }));
      expect(b.kernelStats().builds).toBe(b.isResident ? 2 : 1); // same flat size: elementwise kernels are shape-agnostic
      b.dispose(b.reduce('sum', x, [1]));
      b.dispose(b.reduce('sum', x, [1]));
      expect(b.kernelStats().builds).toBe(b.isResident ? 3 : 2);
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
