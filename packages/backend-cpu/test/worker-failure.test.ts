import { afterEach, describe, expect, it, vi } from 'vitest';
import { gemm, type Product } from '../src/kernels/matmul.js';
import { GemmPool } from '../src/threads/gemm-pool.js';
import { type WorkerHandle, type WorkerStarter, workerStarter } from '../src/threads/platform.js';
import type { WorkerStart } from '../src/threads/worker-source.js';
import { randomValues } from './helpers.js';

/** The runtime's own worker starter, keeping the workers it starts (and changing their start message). */
function keepingStarter(change: (start: WorkerStart) => WorkerStart = (start) => start) {
  const real = workerStarter();
  if (!real.ok) throw new Error(real.reason);
  const workers: WorkerHandle[] = [];
  const starter: WorkerStarter = {
    ok: true,
    start(source, onStop) {
      const worker = real.start(source, onStop);
      workers.push(worker);
      return {
        postMessage: (message) => worker.postMessage(change(message as WorkerStart)),
        terminate: () => worker.terminate(),
      };
    },
  };
  return { starter, workers };
}

const [m, k, n] = [24, 70, 40];
const a = Float32Array.from(randomValues(m * k, 5));
const b = Float32Array.from(randomValues(k * n, 6));

/** A fresh m×n product of a and b (row-major views). */
function product(): Product {
  return {
    m,
    n,
    k,
    a: { data: a, offset: 0, rowStride: k, colStride: 1 },
    b: { data: b, offset: 0, rowStride: n, colStride: 1 },
    c: new Float32Array(m * n),
    cOffset: 0,
  };
}

function onThisThread(): Float32Array {
  const p = product();
  gemm(p);
  return p.c;
}

function onPool(pool: GemmPool): Float32Array {
  const p = product();
  gemm(p, pool);
  return p.c;
}

const pools: GemmPool[] = [];
function start(threads: number, starter: WorkerStarter): GemmPool {
  const pool = GemmPool.create(threads, 0, starter);
  if (typeof pool === 'string') throw new Error(pool);
  pools.push(pool);
  return pool;
}

/** Blocks this thread, so that no worker event reaches the pool meanwhile. */
const sleepHere = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

afterEach(() => {
  for (const pool of pools.splice(0)) pool.close();
  vi.restoreAllMocks();
});

describe('a worker that dies or fails to start', () => {
  it('killed between products: the next one is recomputed on the calling thread, with one warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { starter, workers } = keepingStarter();
    const pool = start(3, starter);
    const expected = Array.from(onThisThread());
    expect(Array.from(onPool(pool))).toEqual(expected);
    expect(pool.failure).toBeNull();
    // A killed worker never makes progress, so a short limit only makes the test quicker.
    pool.stallTimeoutMs = 200;
    workers[1].terminate();
    // The exit event cannot arrive while this thread blocks: the pool must see the dead worker by itself.
    sleepHere(300);
    expect(Array.from(onPool(pool))).toEqual(expected);
    expect(pool.failure).toMatch(/running on one thread: a worker stopped responding/);
    expect(Array.from(onPool(pool))).toEqual(expected);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toBe(pool.failure);
  });

  it('killed while the event loop runs: the exit event ends the pool before the next product', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { starter, workers } = keepingStarter();
    const pool = start(2, starter);
    workers[0].terminate();
    await vi.waitFor(() => expect(pool.failure).toMatch(/a worker exited with code 1/), { timeout: 600_000 });
    expect(Array.from(onPool(pool))).toEqual(Array.from(onThisThread()));
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('throwing while it starts (its module does not compile): the pool ends at once', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { starter } = keepingStarter((start) => ({
      ...start,
      moduleBytes: new Uint8Array([0, 97, 115, 109]),
    }));
    const pool = start(2, starter);
    expect(pool.failure).toMatch(/a worker failed to start/);
    expect(Array.from(onPool(pool))).toEqual(Array.from(onThisThread()));
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('that cannot be created: the pool runs on the calling thread', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const starter: WorkerStarter = {
      ok: true,
      start: () => {
        throw new Error('no more threads');
      },
    };
    const pool = start(2, starter);
    expect(pool.failure).toBe(
      'cpu backend: running on one thread: a worker failed to start (no more threads)',
    );
    expect(Array.from(onPool(pool))).toEqual(Array.from(onThisThread()));
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
