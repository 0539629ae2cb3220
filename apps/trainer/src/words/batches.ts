import { fromArray, Generator, type Tensor } from '@backprop/core';
import { DataLoader } from '@backprop/data';
import { encodeBatch } from './data.js';
import { IGNORE } from './vocabulary.js';

/** A batch as `fit` reads it: int32 [N, T] inputs and [N, T] targets (padding IGNORE). */
export interface WordTensors {
  readonly x: Tensor;
  readonly y: Tensor;
}

/**
 * The words cut into batches of similar length, so little of a batch is padding: the words are
 * shuffled with `seed`, sorted by length (ties keep the shuffled order) and cut into groups of
 * `batchSize`. The groups stay fixed; the loader shuffles their order every epoch.
 */
export function lengthBuckets(words: readonly string[], batchSize: number, seed: number): string[][] {
  const order = Array.from(words);
  const g = new Generator(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = g.integer(0, i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const sorted = order
    .map((w, i) => [w, i] as const)
    .sort((a, b) => a[0].length - b[0].length || a[1] - b[1]);
  const groups: string[][] = [];
  for (let i = 0; i < sorted.length; i += batchSize)
    groups.push(sorted.slice(i, i + batchSize).map(([w]) => w));
  return groups;
}

/** The tensors of one group of words. */
export function wordTensors(words: readonly string[]): WordTensors {
  const b = encodeBatch(words, IGNORE);
  return {
    x: fromArray(b.input, [b.rows, b.steps], { dtype: 'int32' }),
    y: fromArray(b.target, [b.rows, b.steps], { dtype: 'int32' }),
  };
}

/** A loader over length buckets: one bucket per batch, in a seeded shuffled order when `shuffle`. */
export function bucketLoader(
  groups: readonly (readonly string[])[],
  shuffle: boolean,
  seed: number,
): DataLoader<readonly string[], WordTensors> {
  return new DataLoader(
    { length: groups.length, get: (i: number) => groups[i] },
    { batchSize: 1, shuffle, generator: new Generator(seed), collate: (items) => wordTensors(items[0]) },
  );
}
