import {
  ArgumentError,
  checkBoolean,
  checkOptions,
  describeValue,
  dispose,
  type Generator,
} from '@backprop/core';
import { type Collated, defaultCollate } from './collate.js';
import { type Dataset, isBatched } from './dataset.js';
import { resolveGenerator, shuffleInPlace } from './random.js';

/** Options of `DataLoader`. */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Visit the samples in a new random order every epoch (default false). */
  shuffle?: boolean;
  /** Seed of the loader's own generator for shuffling: the same seed gives the same order, epoch after epoch. */
  seed?: number;
  /** Shuffle with this generator instead (its state advances); core's `globalGenerator` when neither seed nor generator is given. */
  generator?: Generator;
  /** Leave out the last batch when it has fewer than `batchSize` samples (default false). */
  dropLast?: boolean;
  /** Joins samples into a batch; without it the dataset's `getBatch` (if any) or `defaultCollate` is used. */
  collate?: (items: T[]) => B;
  /** Backend the default batching uploads to (the active backend when absent). */
  device?: string;
  /**
   * Dispose each batch's tensors when the next batch is requested and when the loop ends
   * (default false). Do not keep a batch's tensors across iterations with this on.
   */
  autoDispose?: boolean;
}

/**
 * Iterates a dataset in batches, one epoch per loop, synchronously (`for (const b of loader)`) or
 * asynchronously (`for await (const b of loader)`). With `shuffle`, each epoch draws a new order
 * from the loader's generator, so a seeded loader replays the same sequence of epochs. Batches are
 * new tensors owned by the caller: dispose them (or use `tidy`, or `autoDispose`).
 * @example
 * const loader = new DataLoader(train, { batchSize: 64, shuffle: true, seed: 1 });
 * for (const [x, y] of loader) { ... }
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B>, AsyncIterable<B> {
  readonly dataset: Dataset<T>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  /** The generator the shuffled orders are drawn from (save its state to resume a run). */
  readonly generator: Generator;
  private readonly collate: ((items: T[]) => B) | undefined;
  private readonly device: string | undefined;
  private readonly autoDispose: boolean;
  private epochCount = 0;

  constructor(dataset: Dataset<T>, options: DataLoaderOptions<T, B> = {}) {
    const checked = checkOptions<DataLoaderOptions<T, B>>('DataLoader', options, [
      'batchSize',
      'shuffle',
      'seed',
      'generator',
      'dropLast',
      'collate',
      'device',
      'autoDispose',
    ]);
    const { batchSize = 1 } = checked;
    const shuffle = checkBoolean('DataLoader', 'shuffle', checked.shuffle) ?? false;
    const dropLast = checkBoolean('DataLoader', 'dropLast', checked.dropLast) ?? false;
    const autoDispose = checkBoolean('DataLoader', 'autoDispose', checked.autoDispose) ?? false;
    if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1) {
      throw new ArgumentError(
        `DataLoader: batchSize must be a positive integer, got ${describeValue(batchSize)}`,
      );
    }
    if (checked.collate !== undefined && typeof checked.collate !== 'function')
      throw new ArgumentError(
        `DataLoader: collate must be a function, got ${describeValue(checked.collate)}`,
      );
    if (checked.device !== undefined && typeof checked.device !== 'string')
      throw new ArgumentError(
        `DataLoader: device must be a backend name, got ${describeValue(checked.device)}`,
      );
    if (
      dataset === null ||
      typeof dataset !== 'object' ||
      typeof (dataset as Dataset<T>).get !== 'function'
    ) {
      throw new ArgumentError(
        `DataLoader: expected a dataset (an object with length and get(index)), got ${describeValue(dataset)}`,
      );
    }
    if (!Number.isInteger(dataset.length) || dataset.length < 0) {
      throw new ArgumentError(
        `DataLoader: the dataset's length must be a non-negative integer, got ${dataset.length}`,
      );
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = resolveGenerator('DataLoader', options);
    this.collate = options.collate;
    this.device = options.device;
    this.autoDispose = autoDispose;
  }

  /** Number of batches in one epoch: `floor(n / batchSize)` with `dropLast`, else `ceil(n / batchSize)`. */
  len(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** Number of batches in one epoch (same as `len()`). */
  get length(): number {
    return this.len();
  }

  /** How many epochs have been started. */
  get epoch(): number {
    return this.epochCount;
  }

  /**
   * The sample indices of the next epoch, batch by batch (this starts an epoch: with `shuffle`
   * it draws that epoch's order). Iterating the loader uses this.
   */
  batchIndices(): Int32Array[] {
    const n = this.dataset.length;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    if (this.shuffle) shuffleInPlace(order, this.generator);
    this.epochCount++;
    const batches: Int32Array[] = [];
    for (let b = 0; b < this.len(); b++)
      batches.push(order.subarray(b * this.batchSize, Math.min(n, (b + 1) * this.batchSize)));
    return batches;
  }

  /** Builds the batch of the given sample indices. */
  batch(indices: Int32Array): B {
    if (this.collate) return this.collate(Array.from(indices, (i) => this.dataset.get(i)));
    if (isBatched(this.dataset)) return this.dataset.getBatch(indices, { device: this.device }) as B;
    return defaultCollate(
      Array.from(indices, (i) => this.dataset.get(i)),
      { device: this.device },
    ) as B;
  }

  *[Symbol.iterator](): IterableIterator<B> {
    let previous: B | undefined;
    try {
      for (const indices of this.batchIndices()) {
        if (this.autoDispose && previous !== undefined) dispose(previous);
        previous = this.batch(indices);
        yield previous;
      }
    } finally {
      if (this.autoDispose && previous !== undefined) dispose(previous);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    yield* this[Symbol.iterator]();
  }
}
