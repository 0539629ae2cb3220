import '@backprop/backend-cpu';
import { fromArray } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/index.js';
import { ArrayRecycler, MAX_RECYCLED_BYTES, MIN_RECYCLED_BYTES } from '../src/recycler.js';

describe('ArrayRecycler', () => {
  it('hands a kept array to the next output of its type and length, as it is', () => {
    const recycler = new ArrayRecycler();
    const n = MIN_RECYCLED_BYTES / 4;
    const array = new Float32Array(n).fill(3);
    recycler.give(array);
    expect(recycler.take('int32', n) === array).toBe(false);
    expect(recycler.take('float32', n + 1) === array).toBe(false);
    const again = recycler.take('float32', n);
    expect(again === array).toBe(true);
    expect(again[0]).toBe(3);
    // Taken once, it is no longer kept.
    expect(recycler.take('float32', n) === array).toBe(false);
    recycler.give(array);
    const zeroed = recycler.takeZeroed('float32', n);
    expect(zeroed === array).toBe(true);
    expect(zeroed.every((v) => v === 0)).toBe(true);
  });

  it('keeps neither small arrays, nor views, nor shared memory, nor more than its cap', () => {
    const recycler = new ArrayRecycler();
    const small = new Float32Array(MIN_RECYCLED_BYTES / 4 - 1);
    // Compared with ===: handing typed arrays to expect would format their elements.
    recycler.give(small);
    expect(recycler.take('float32', small.length) === small).toBe(false);
    const view = new Float32Array(new ArrayBuffer(MIN_RECYCLED_BYTES * 2), MIN_RECYCLED_BYTES, 1024);
    recycler.give(view);
    expect(recycler.take('float32', 1024) === view).toBe(false);
    const shared = new Float32Array(new SharedArrayBuffer(MIN_RECYCLED_BYTES));
    recycler.give(shared);
    expect(recycler.take('float32', shared.length) === shared).toBe(false);
    const big = MAX_RECYCLED_BYTES / 4 / 2 + 1;
    const first = new Float32Array(big);
    const second = new Float32Array(big);
    recycler.give(first);
    recycler.give(second);
    expect(recycler.take('float32', big) === first).toBe(true);
    expect(recycler.take('float32', big) === second).toBe(false);
  });
});

describe('cpu backend arrays for fromArray', () => {
  it('hands the array of a disposed written tensor to the next allocate, and never a live one', () => {
    const backend = cpuBackend();
    const n = MIN_RECYCLED_BYTES / 4;
    const first = backend.allocate('float32', n);
    const live = backend.allocate('float32', n);
    const firstId = backend.write(first, [n], 'float32');
    backend.write(live, [n], 'float32');
    expect(first === live).toBe(false);
    backend.dispose(firstId);
    expect(backend.allocate('float32', n) === first).toBe(true);
    // Only the disposed one was kept: the live tensor's array is not handed out.
    expect(backend.allocate('float32', n) === live).toBe(false);
  });

  it('gives every batch made and disposed in a loop its own values, and leaves a live tensor alone', () => {
    const n = 2048;
    const values = (step: number) => Float32Array.from({ length: n }, (_, i) => step * 10_000 + i);
    const kept = fromArray(values(0), [n]);
    for (let step = 1; step <= 4; step++) {
      const batch = fromArray(values(step), [n]);
      expect(Array.from(batch.dataSync())).toEqual(Array.from(values(step)));
      batch.dispose();
    }
    expect(Array.from(kept.dataSync())).toEqual(Array.from(values(0)));
    kept.dispose();
  });
});
