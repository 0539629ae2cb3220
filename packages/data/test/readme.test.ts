/**
 * The README's examples, verbatim (imports aside): the first test checks that every README code
 * block appears here, the others run them and check what they print.
 */
import { readFileSync } from 'node:fs';
import { fullLike } from '@backprop/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import './setup.js';
import {
  accuracy,
  classCounts,
  confusionMatrix,
  DataLoader,
  type Dataset,
  loadMnist,
  parseCsv,
  randomSplit,
  spirals,
  standardize,
  toArrayDataset,
} from '../src/index.js';

let logged: unknown[][] = [];
beforeEach(() => {
  logged = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logged.push(args);
  });
});
afterEach(() => vi.restoreAllMocks());

/** Code without import statements and whitespace (formatting may differ between README and here). */
const normalize = (code: string) => code.replace(/^import [\s\S]*?;$/gm, '').replace(/\s+/g, '');

describe('README', () => {
  it('has its examples in this file', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const self = normalize(readFileSync(new URL(import.meta.url), 'utf8'));
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => normalize(m[1]));
    expect(blocks.length).toBe(4);
    for (const block of blocks) expect(self).toContain(block);
  });

  it('synthetic data and a loader', () => {
    const data = spirals({ numSamples: 300, numClasses: 3, noise: 0.2, seed: 1 });
    console.log(data.x.length, data.y.length, data.numFeatures, data.numClasses); // 600 300 2 3

    const loader = new DataLoader(toArrayDataset(data), { batchSize: 64, shuffle: true, seed: 1 });
    console.log(loader.len()); // 5 (four of 64 and a last batch of 44)
    for (const [x, y] of loader) {
      console.log(x.shape, y.shape, y.dtype); // [64, 2] [64] 'int32' … and finally [44, 2] [44] 'int32'
      x.dispose();
      y.dispose();
    }

    expect(logged[0]).toEqual([600, 300, 2, 3]);
    expect(logged[1]).toEqual([5]);
    expect(logged.slice(2)).toEqual([
      ...Array.from({ length: 4 }, () => [[64, 2], [64], 'int32']),
      [[44, 2], [44], 'int32'],
    ]);
  });

  it('MNIST, standardized, with metrics', () => {
    // 10,000 real digits from the mnist package, split with the seeded generator (stratified by digit).
    const split = loadMnist({ train: 8000, test: 2000, seed: 0 });
    console.log(classCounts(split.test)); // [200, 225, 198, 206, 196, 173, 203, 214, 189, 196]

    // Fit the statistics on the training set, apply them to both.
    const {
      data: [train, test],
      standardizer,
    } = standardize(split.train, split.test);
    console.log(standardizer.numFeatures, train.numSamples, test.numSamples); // 784 8000 2000

    const loader = new DataLoader(toArrayDataset(test), { batchSize: 500, autoDispose: true });
    let correct = 0;
    for (const [x, y] of loader) {
      const guess = fullLike(y, 1); // a stand-in for model(x).argmax(1): always 'one'
      correct += accuracy(guess, y) * x.shape[0];
      guess.dispose();
    }
    console.log(correct / test.numSamples); // the fraction of ones in the test set: 0.1125
    console.log(confusionMatrix([1, 0, 1], [1, 1, 1])); // [[0, 0], [1, 2]]: rows are truth, columns predictions

    expect(logged[0]).toEqual([[200, 225, 198, 206, 196, 173, 203, 214, 189, 196]]);
    expect(logged[1]).toEqual([784, 8000, 2000]);
    expect(logged[2][0]).toBeCloseTo(0.1125, 12);
    expect(logged[3]).toEqual([
      [
        [0, 0],
        [1, 2],
      ],
    ]);
  });

  it('CSV', () => {
    const csv = `age,city,height,label
30,Paris,1.80,tall
25,"Rome",1.60,short
19,Oslo,1.50,short`;
    const people = parseCsv(csv, { target: 'label', categorical: ['city'] });
    console.log(people.featureNames); // ['age', 'city=Oslo', 'city=Paris', 'city=Rome', 'height']
    console.log(people.task === 'classification' && people.classNames); // ['short', 'tall']

    try {
      parseCsv('age,label\n30,tall\nthirty,short\n', { target: 'label' });
    } catch (e) {
      console.log((e as Error).message); // parseCsv: line 3, column 'age': "thirty" is not a number
    }

    expect(logged).toEqual([
      [['age', 'city=Oslo', 'city=Paris', 'city=Rome', 'height']],
      [['short', 'tall']],
      [`parseCsv: line 3, column 'age': "thirty" is not a number`],
    ]);
  });

  it('your own dataset', async () => {
    const squares: Dataset<{ x: Float32Array; y: number }> = {
      length: 10,
      get: (i) => ({ x: new Float32Array([i, i * i]), y: i % 2 }),
    };
    const [train, valid] = randomSplit(squares, [0.8, 0.2], { seed: 3 });
    console.log(train.length, valid.length); // 8 2

    // The default collate keeps the sample's structure: { x: [B, 2] float32, y: [B] float32 }.
    for await (const batch of new DataLoader(train, { batchSize: 4, shuffle: true, seed: 3 })) {
      console.log(batch.x.shape, batch.y.shape); // [4, 2] [4]
      batch.x.dispose();
      batch.y.dispose();
    }

    expect(logged).toEqual([
      [8, 2],
      [[4, 2], [4]],
      [[4, 2], [4]],
    ]);
  });
});
