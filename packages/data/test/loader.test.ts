import { memory, type Tensor, tensor } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import './setup.js';
import {
  ArrayDataset,
  DataLoader,
  type Dataset,
  defaultCollate,
  mapDataset,
  randomSplit,
  Subset,
  TensorDataset,
} from '../src/index.js';

/** A dataset whose sample i is the number i, batched into plain arrays: shows the loader's index order. */
const indexDataset = (n: number): Dataset<number> => ({ length: n, get: (i) => i });
const identity = (items: number[]) => items;

describe('DataLoader', () => {
  it('counts batches with and without dropLast, and the last batch is partial', () => {
    const ds = indexDataset(10);
    const keep = new DataLoader(ds, { batchSize: 4, collate: identity });
    expect(keep.len()).toBe(3);
    expect(keep.length).toBe(3);
    expect([...keep]).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    const drop = new DataLoader(ds, { batchSize: 4, dropLast: true, collate: identity });
    expect(drop.len()).toBe(2);
    expect([...drop]).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(new DataLoader(indexDataset(8), { batchSize: 4, dropLast: true }).len()).toBe(2);
    expect(new DataLoader(indexDataset(3), { batchSize: 4, dropLast: true }).len()).toBe(0);
    expect(new DataLoader(indexDataset(0), { batchSize: 4 }).len()).toBe(0);
    expect(new DataLoader(ds).len()).toBe(10);
  });

  it('shuffles every index exactly once per epoch, differently each epoch', () => {
    const loader = new DataLoader(indexDataset(103), {
      batchSize: 10,
      shuffle: true,
      seed: 7,
      collate: identity,
    });
    const epochs = [0, 1, 2].map(() => [...loader].flat());
    for (const order of epochs) {
      expect(order).toHaveLength(103);
      expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
      expect(order).not.toEqual(Array.from({ length: 103 }, (_, i) => i));
    }
    expect(epochs[0]).not.toEqual(epochs[1]);
    expect(epochs[1]).not.toEqual(epochs[2]);
    expect(loader.epoch).toBe(3);
  });

  it('replays the same epochs for the same seed, and differs for another seed', () => {
    const run = (seed: number) => {
      const loader = new DataLoader(indexDataset(50), {
        batchSize: 8,
        shuffle: true,
        seed,
        collate: identity,
      });
      return [[...loader], [...loader]];
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it('shuffles from a given generator, whose state advances', async () => {
    const { Generator } = await import('@backprop/core');
    const a = new DataLoader(indexDataset(20), {
      batchSize: 20,
      shuffle: true,
      generator: new Generator(3),
      collate: identity,
    });
    const b = new DataLoader(indexDataset(20), { batchSize: 20, shuffle: true, seed: 3, collate: identity });
    expect([...a]).toEqual([...b]);
    expect([...a]).toEqual([...b]);
    expect(() => new DataLoader(indexDataset(2), { seed: 1, generator: new Generator(1) })).toThrow(
      /either seed or generator/,
    );
  });

  it('rejects a bad batch size', () => {
    expect(() => new DataLoader(indexDataset(2), { batchSize: 0 })).toThrow(
      /batchSize must be a positive integer, got 0/,
    );
    expect(() => new DataLoader(indexDataset(2), { batchSize: 1.5 })).toThrow(/batchSize/);
  });

  it('iterates asynchronously with the same batches', async () => {
    const loader = new DataLoader(indexDataset(7), {
      batchSize: 3,
      shuffle: true,
      seed: 5,
      collate: identity,
    });
    const twin = new DataLoader(indexDataset(7), { batchSize: 3, shuffle: true, seed: 5, collate: identity });
    const batches: number[][] = [];
    for await (const b of loader) batches.push(b);
    expect(batches).toEqual([...twin]);
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
  });

  it('batches a TensorDataset by gathering rows, in shuffled order', () => {
    const x = tensor([
      [0, 0.5],
      [1, 1.5],
      [2, 2.5],
      [3, 3.5],
      [4, 4.5],
    ]);
    const y = tensor(new Int32Array([0, 10, 20, 30, 40]));
    const ds = new TensorDataset(x, y);
    expect(ds.length).toBe(5);
    const [x3, y3] = ds.get(3);
    expect(x3.shape).toEqual([2]);
    expect(Array.from(x3.dataSync())).toEqual([3, 3.5]);
    expect(y3.shape).toEqual([]);
    expect(y3.item()).toBe(30);
    const loader = new DataLoader(ds, { batchSize: 2, shuffle: true, seed: 11 });
    const seen: number[] = [];
    for (const [bx, by] of loader) {
      expect(bx.shape[1]).toBe(2);
      expect(by.dtype).toBe('int32');
      const xs = bx.dataSync();
      const ys = Array.from(by.dataSync());
      ys.forEach((v, i) => {
        expect(xs[i * 2]).toBe(v / 10);
      }); // rows stay paired with their labels
      seen.push(...ys);
      bx.dispose();
      by.dispose();
    }
    expect(seen.sort((a, b) => a - b)).toEqual([0, 10, 20, 30, 40]);
    // In order, batches are slices of contiguous rows.
    const ordered = [...new DataLoader(ds, { batchSize: 2 })];
    expect(ordered.map(([, by]) => Array.from(by.dataSync()))).toEqual([[0, 10], [20, 30], [40]]);
    expect(ordered[2][0].arraySync()).toEqual([[4, 4.5]]);
    for (const b of ordered) for (const t of b) t.dispose();
    expect(() => new TensorDataset(x, tensor([1, 2]))).toThrow(
      /share the first dimension, got \[5, 2\] and \[2\]/,
    );
    expect(() => ds.get(5)).toThrow(/index 5 is out of range for a dataset of 5 samples/);
    for (const t of [x, y, x3, y3]) t.dispose();
  });

  it('batches an ArrayDataset with one upload per column and no tensor per sample', () => {
    const n = 10;
    const x = Float32Array.from({ length: n * 3 }, (_, i) => i);
    const y = Int32Array.from({ length: n }, (_, i) => i % 4);
    const ds = new ArrayDataset([
      { values: x, shape: [n, 3] },
      { values: y, shape: [n] },
    ]);
    expect(Array.from(ds.get(2)[0])).toEqual([6, 7, 8]);
    const loader = new DataLoader(ds, { batchSize: 4, shuffle: true, seed: 2 });
    const before = memory().numTensors;
    const batches = [...loader];
    // Exactly two tensors (x and y) per batch, nothing else left alive.
    expect(memory().numTensors - before).toBe(2 * 3);
    expect(batches.map(([bx]) => bx.shape)).toEqual([
      [4, 3],
      [4, 3],
      [2, 3],
    ]);
    const rows = batches.flatMap(([bx, by]) => {
      const xs = bx.dataSync();
      return Array.from(by.dataSync(), (label, i) => {
        const first = xs[i * 3];
        expect(label).toBe((first / 3) % 4);
        expect([xs[i * 3 + 1], xs[i * 3 + 2]]).toEqual([first + 1, first + 2]);
        return first / 3;
      });
    });
    expect(rows.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batches[0][1].dtype).toBe('int32');
    for (const b of batches) for (const t of b) t.dispose();
    expect(memory().numTensors).toBe(before);
    expect(
      () =>
        new ArrayDataset([
          { values: x, shape: [n, 3] },
          { values: y, shape: [n - 1] },
        ]),
    ).toThrow(/column 1 has 10 values but shape \[9\] holds 9/);
  });

  it('autoDispose frees each batch when the next is taken and at the end', () => {
    const ds = new ArrayDataset([{ values: new Float32Array(12), shape: [6, 2] }]);
    const before = memory().numTensors;
    let live = 0;
    for (const [bx] of new DataLoader(ds, { batchSize: 2, autoDispose: true })) {
      expect(bx.isDisposed).toBe(false);
      live = Math.max(live, memory().numTensors - before);
    }
    expect(live).toBe(1);
    expect(memory().numTensors).toBe(before);
    // Breaking out early disposes too.
    for (const _ of new DataLoader(ds, { batchSize: 2, autoDispose: true })) break;
    expect(memory().numTensors).toBe(before);
  });

  it('collates plain samples by default: numbers, typed arrays, tensors, strings, objects', () => {
    const items = [
      { x: new Float32Array([1, 2]), y: 1, label: new Int32Array([3]), name: 'a', t: tensor([1, 1]) },
      { x: new Float32Array([3, 4]), y: 0.5, label: new Int32Array([4]), name: 'b', t: tensor([2, 2]) },
    ];
    const batch = defaultCollate(items);
    expect(batch.x.shape).toEqual([2, 2]);
    expect(Array.from(batch.x.dataSync())).toEqual([1, 2, 3, 4]);
    expect(batch.y.dtype).toBe('float32');
    expect(Array.from(batch.y.dataSync())).toEqual([1, 0.5]);
    expect(batch.label.dtype).toBe('int32');
    expect(batch.label.shape).toEqual([2, 1]);
    expect(batch.name).toEqual(['a', 'b']);
    expect(batch.t.arraySync()).toEqual([
      [1, 1],
      [2, 2],
    ]);
    const pairs = defaultCollate([
      [1, true],
      [2, false],
    ] as [number, boolean][]);
    expect(pairs[1].dtype).toBe('bool');
    expect(() => defaultCollate([{ x: 1 }, { x: 'a' }] as unknown[])).toThrow(
      /batch.x of sample 0 is number but of sample 1 is string/,
    );
    expect(() => defaultCollate([new Float32Array(2), new Float32Array(3)])).toThrow(
      /sample 0 has 2 values but of sample 1 has 3/,
    );
    for (const it of items) it.t.dispose();
  });

  it('uses the default collate for datasets without getBatch, and a custom collate when given', () => {
    const ds = mapDataset(indexDataset(5), (i) => ({ v: new Float32Array([i, -i]), k: i }));
    const loader = new DataLoader(ds, { batchSize: 5 });
    const [batch] = [...loader];
    expect(batch.v.arraySync()).toEqual([
      [0, -0],
      [1, -1],
      [2, -2],
      [3, -3],
      [4, -4],
    ]);
    expect(Array.from(batch.k.dataSync())).toEqual([0, 1, 2, 3, 4]);
    const sums = new DataLoader(ds, {
      batchSize: 2,
      collate: (items) => items.reduce((s, it) => s + it.k, 0),
    });
    expect([...sums]).toEqual([1, 5, 4]);
    batch.v.dispose();
    batch.k.dispose();
  });
});

describe('randomSplit', () => {
  it('splits by counts and by fractions into disjoint parts covering the data set', () => {
    const ds = indexDataset(10);
    const [a, b] = randomSplit(ds, [7, 3], { seed: 0 });
    expect([a.length, b.length]).toEqual([7, 3]);
    const all = [...a.indices, ...b.indices].sort((p, q) => p - q);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(b.get(0)).toBe(b.indices[0]);
    // floor(0.5·11)=5, floor(0.3·11)=3, floor(0.2·11)=2: one left over, to the first part.
    const parts = randomSplit(indexDataset(11), [0.5, 0.3, 0.2], { seed: 0 });
    expect(parts.map((p) => p.length)).toEqual([6, 3, 2]);
  });

  it('is deterministic for a seed and differs for another', () => {
    const split = (seed: number) =>
      randomSplit(indexDataset(100), [0.8, 0.2], { seed }).map((s) => Array.from(s.indices));
    expect(split(42)).toEqual(split(42));
    expect(split(42)).not.toEqual(split(43));
  });

  it('rejects lengths that fit neither rule', () => {
    expect(() => randomSplit(indexDataset(10), [5, 4])).toThrow(
      /counts summing to the dataset's 10 samples or fractions summing to 1/,
    );
    expect(() => randomSplit(indexDataset(10), [0.5, 0.4])).toThrow(/fractions summing to 1/);
  });

  it('keeps the fast batch path through a Subset', () => {
    const ds = new ArrayDataset([{ values: Float32Array.from([10, 11, 12, 13]), shape: [4] }]);
    const sub = new Subset(ds, [3, 1]);
    const [batch] = [...new DataLoader(sub, { batchSize: 2 })] as Tensor[][];
    expect(Array.from(batch[0].dataSync())).toEqual([13, 11]);
    batch[0].dispose();
    expect(() => new Subset(ds, [4])).toThrow(/index 4 is out of range/);
  });
});
