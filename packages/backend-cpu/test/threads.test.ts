import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ArgumentError,
  linear,
  registerBackend,
  setBackend,
  softmaxCrossEntropy,
  type TensorInfo,
  tensor,
  tidy,
} from '@backprop/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type CpuBackend, cpuBackend, THREADS_VARIABLE } from '../src/index.js';
import { randomValues } from './helpers.js';

const one = cpuBackend({ threads: 1 });
const two = cpuBackend({ threads: 2, minWorkPerThread: 0 });
const three = cpuBackend({ threads: 3, minWorkPerThread: 0 });
afterAll(() => {
  two.destroy();
  three.destroy();
});

function upload(backend: CpuBackend, values: number[], shape: number[]): TensorInfo {
  return { dataId: backend.write(Float32Array.from(values), shape, 'float32'), shape, dtype: 'float32' };
}

/** The product on `backend`, read back. */
function product(
  backend: CpuBackend,
  a: number[],
  aShape: number[],
  b: number[],
  bShape: number[],
  transposeA: boolean,
  transposeB: boolean,
  outShape: number[],
): Float32Array {
  const out = backend.matmul(upload(backend, a, aShape), upload(backend, b, bShape), transposeA, transposeB);
  return backend.readSync({ dataId: out, shape: outShape, dtype: 'float32' }) as Float32Array;
}

describe('worker pool', () => {
  it('starts the threads asked for and reports them', () => {
    product(three, randomValues(64), [1, 8, 8], randomValues(64), [1, 8, 8], false, false, [1, 8, 8]);
    expect(three.threading).toEqual({ requested: 3, source: 'option', threads: 3, note: null });
    expect(one.threading.threads).toBe(1);
  });

  // [batch, m, k, n, transposeA, transposeB]: odd sizes leave partial tiles at every edge; m < 12
  // or n < 24 leaves a thread without a share; n > m splits by columns, m ≥ n by rows.
  const shapes: [number, number, number, number, boolean, boolean][] = [
    [1, 1, 1, 1, false, false],
    [1, 5, 3, 2, false, false],
    [1, 64, 300, 33, false, false],
    [2, 13, 257, 70, true, false],
    [3, 70, 31, 9, false, true],
    [1, 9, 520, 530, true, true],
  ];
  for (const [batch, m, k, n, ta, tb] of shapes) {
    it(`gives bit-identical products on 1, 2 and 3 threads: [${batch}, ${m}, ${k}] · [${batch}, ${k}, ${n}]${ta ? ' Aᵀ' : ''}${tb ? ' Bᵀ' : ''}`, () => {
      const a = randomValues(batch * m * k, m + k);
      const b = randomValues(batch * k * n, n + 7);
      const aShape = ta ? [batch, k, m] : [batch, m, k];
      const bShape = tb ? [batch, n, k] : [batch, k, n];
      const [r1, r2, r3] = [one, two, three].map((backend) =>
        product(backend, a, aShape, b, bShape, ta, tb, [batch, m, n]),
      );
      expect(Array.from(r2)).toEqual(Array.from(r1));
      expect(Array.from(r3)).toEqual(Array.from(r1));
      // And right: one entry against a float64 dot product.
      const [i, j] = [m - 1, n - 1];
      let dot = 0;
      for (let p = 0; p < k; p++) {
        const av = ta ? a[(batch - 1) * m * k + p * m + i] : a[(batch - 1) * m * k + i * k + p];
        const bv = tb ? b[(batch - 1) * k * n + j * k + p] : b[(batch - 1) * k * n + p * n + j];
        dot += av * bv;
      }
      expect(r1[batch * m * n - 1]).toBeCloseTo(dot, 4);
    });
  }

  it('gives bit-identical softmax and log-softmax rows on 1, 2 and 3 threads, and the line kernel’s bits', () => {
    const shape = [37, 301];
    const values = randomValues(37 * 301, 9).map((v) => v * 8);
    for (const kernel of ['softmax', 'logSoftmax'] as const) {
      const [r1, r2, r3] = [one, two, three].map((backend) => {
        const out = backend[kernel](upload(backend, values, shape), 1);
        return Array.from(backend.readSync({ dataId: out, shape, dtype: 'float32' }));
      });
      expect(r2).toEqual(r1);
      expect(r3).toEqual(r1);
      // The same values through the strided line kernel (softmax over axis 0 of the transpose).
      const transposedShape = [301, 37];
      const transposed = Array.from(
        { length: values.length },
        (_, i) => values[(i % 37) * 301 + Math.floor(i / 37)],
      );
      const line = one[kernel](upload(one, transposed, transposedShape), 0);
      const lineValues = one.readSync({ dataId: line, shape: transposedShape, dtype: 'float32' });
      expect(
        Array.from({ length: values.length }, (_, i) => lineValues[(i % 301) * 37 + Math.floor(i / 301)]),
      ).toEqual(r1);
    }
  });

  it('trains bit-identically on 1 and 3 threads (linear, softmax cross-entropy, SGD steps)', async () => {
    // Core keys some of its caches by backend name: give each instance its own.
    const named = (backend: CpuBackend, name: string) => Object.create(backend, { name: { value: name } });
    registerBackend('cpu-threads-test-1', () => named(one, 'cpu-threads-test-1'), 0);
    registerBackend('cpu-threads-test-3', () => named(three, 'cpu-threads-test-3'), 0);
    const losses = async (name: string) => {
      await setBackend(name);
      const w = tensor(randomValues(40 * 30, 3), { shape: [40, 30], requiresGrad: true });
      const x = tensor(randomValues(50 * 30, 4), { shape: [50, 30] });
      const labels = tensor(Int32Array.from({ length: 50 }, (_, i) => (i * 7) % 40));
      const out: number[] = [];
      for (let step = 0; step < 5; step++)
        tidy(() => {
          const loss = softmaxCrossEntropy(linear(x, w, null, 'relu'), labels).sum();
          loss.backward();
          out.push(loss.item());
          const grad = w.grad!.dataSync() as Float32Array;
          const next = (w.dataSync() as Float32Array).map((v, i) => v - 0.01 * grad[i]);
          w.assign(tensor(next, { shape: [40, 30] }));
          w.grad = null;
        });
      return out;
    };
    const single = await losses('cpu-threads-test-1');
    expect(await losses('cpu-threads-test-3')).toEqual(single);
    expect(single[4]).toBeLessThan(single[0]);
  });

  it('starts no workers until a product is large enough for two threads', () => {
    const backend = cpuBackend({ threads: 2 });
    const small = randomValues(64 * 64);
    product(backend, small, [1, 64, 64], small, [1, 64, 64], false, false, [1, 64, 64]);
    expect(backend.threading).toEqual({ requested: 2, source: 'option', threads: 1, note: null });
    // 256³ multiply-adds is twice the default minimum for each of two threads.
    const [a, b] = [randomValues(256 * 256, 5), randomValues(256 * 256, 6)];
    const split = product(backend, a, [1, 256, 256], b, [1, 256, 256], false, false, [1, 256, 256]);
    expect(backend.threading.threads).toBe(2);
    backend.destroy();
    const whole = product(one, a, [1, 256, 256], b, [1, 256, 256], false, false, [1, 256, 256]);
    expect(Array.from(split)).toEqual(Array.from(whole));
  });

  it('falls back to the calling thread after destroy', () => {
    const backend = cpuBackend({ threads: 2, minWorkPerThread: 0 });
    const a = randomValues(6 * 40);
    const before = product(backend, a, [1, 6, 40], a, [1, 40, 6], false, false, [1, 6, 6]);
    expect(backend.threading.threads).toBe(2);
    backend.destroy();
    expect(backend.threading.threads).toBe(1);
    const after = product(backend, a, [1, 6, 40], a, [1, 40, 6], false, false, [1, 6, 6]);
    expect(Array.from(after)).toEqual(Array.from(before));
  });

  it('computes the softmax cross-entropy gradient on the pool with the calling thread’s bits', () => {
    const [rows, classes] = [16, 64];
    const logits = randomValues(rows * classes, 31).map((v) => v * 8);
    const labels = Array.from({ length: rows }, (_, r) => (r * 37) % classes);
    const g = randomValues(rows, 32);
    const onBackend = (backend: CpuBackend) =>
      Array.from(
        backend.readSync({
          dataId: backend.softmaxCrossEntropyGrad!(
            upload(backend, logits, [rows, classes]),
            {
              dataId: backend.write(Int32Array.from(labels), [rows], 'int32'),
              shape: [rows],
              dtype: 'int32',
            },
            upload(backend, g, [rows]),
          ),
          shape: [rows, classes],
          dtype: 'float32',
        }),
      );
    const expected = onBackend(one);
    expect(onBackend(two)).toEqual(expected);
    expect(onBackend(three)).toEqual(expected);
    expect(two.threading).toMatchObject({ threads: 2, note: null });
  });

  it('takes jobs posted while its workers spin and after they have gone to sleep', () => {
    const a = randomValues(64 * 300, 3);
    const b = randomValues(300 * 33, 4);
    const expected = Array.from(product(one, a, [1, 64, 300], b, [1, 300, 33], false, false, [1, 64, 33]));
    const onTwo = () => Array.from(product(two, a, [1, 64, 300], b, [1, 300, 33], false, false, [1, 64, 33]));
    // Back to back, the worker is still spinning; after a pause far past its spin window it sleeps
    // in Atomics.wait and must be woken (a worker that missed the job would stall the product).
    expect([onTwo(), onTwo()]).toEqual([expected, expected]);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    expect(onTwo()).toEqual(expected);
    expect(two.threading).toMatchObject({ threads: 2, note: null });
  });

  it('rejects a bad thread count from the option or the environment', () => {
    expect(() => cpuBackend({ threads: 0 })).toThrow(ArgumentError);
    expect(() => cpuBackend({ threads: 1.5 })).toThrow(/whole number ≥ 1, got 1.5/);
    expect(() => cpuBackend({ minWorkPerThread: -1 })).toThrow(ArgumentError);
    process.env[THREADS_VARIABLE] = 'many';
    try {
      expect(() => cpuBackend()).toThrow(`${THREADS_VARIABLE}=many`);
      process.env[THREADS_VARIABLE] = '2';
      expect(cpuBackend().threading).toMatchObject({ requested: 2, source: 'environment' });
    } finally {
      delete process.env[THREADS_VARIABLE];
    }
  });

  it('does not keep the process alive', () => {
    // A child that starts a pool, multiplies on it and never calls destroy() must still exit (the
    // limit only ends a hang: it is far beyond a busy machine's start-up time).
    const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
    const script = `import { cpuBackend } from './src/index.ts';
      const b = cpuBackend({ threads: 2, minWorkPerThread: 0 });
      const x = { dataId: b.write(new Float32Array(64).fill(1), [1, 8, 8], 'float32'), shape: [1, 8, 8], dtype: 'float32' };
      const out = b.readSync({ dataId: b.matmul(x, x, false, false), shape: [1, 8, 8], dtype: 'float32' });
      console.log(b.threading.threads, out[0]);`;
    const child = spawnSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: packageDir, encoding: 'utf8', timeout: 600_000 },
    );
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('2 8');
    expect(child.status).toBe(0);
  });
});
