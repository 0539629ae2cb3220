import {
  ArgumentError,
  type DType,
  fromArray,
  gather,
  narrow,
  ShapeError,
  squeeze,
  type Tensor,
  type TypedArray,
} from '@backprop/core';
import { permutation, resolveGenerator, type SeedOptions } from './random.js';
import { checkTensor } from './validate.js';

/** A random-access collection of samples: `length` samples, `get(i)` for `0 <= i < length`. */
export interface Dataset<T> {
  readonly length: number;
  get(index: number): T;
}

/** Options a batched dataset receives from the loader. */
export interface BatchOptions {
  /** Backend to upload host data to (the active backend when absent). */
  device?: string;
}

/**
 * A dataset that builds a whole batch at once (one upload or one gather per column instead of a
 * tensor per sample). `getBatch(indices)` must return what the default collate would make of
 * `indices.map(get)`, only faster; `DataLoader` uses it when no custom `collate` is given.
 */
export interface BatchedDataset<T, B> extends Dataset<T> {
  getBatch(indices: Int32Array, options?: BatchOptions): B;
}

/** Whether `dataset` offers the fast `getBatch` path. */
export function isBatched<T>(dataset: Dataset<T>): dataset is BatchedDataset<T, unknown> {
  return typeof (dataset as Partial<BatchedDataset<T, unknown>>).getBatch === 'function';
}

export function checkIndex(op: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new ArgumentError(
      `${op}: index ${index} is out of range for a dataset of ${length} samples (expected 0..${length - 1})`,
    );
  }
}

function checkIndices(op: string, indices: Int32Array, length: number): void {
  for (let i = 0; i < indices.length; i++) checkIndex(op, indices[i], length);
}

/** Whether indices are `start, start+1, …` (a batch that is one slice). */
function contiguous(indices: Int32Array): boolean {
  for (let i = 1; i < indices.length; i++) if (indices[i] !== indices[0] + i) return false;
  return true;
}

/**
 * Tensors that share their first dimension; sample `i` is row `i` of each. `get(i)` returns one
 * new tensor per column (the row, without the first dimension); the loader instead gathers a whole
 * batch of rows on the tensors' backend with one kernel per column. The dataset does not own the
 * tensors: dispose them yourself when done.
 */
export class TensorDataset implements BatchedDataset<Tensor[], Tensor[]> {
  readonly tensors: readonly Tensor[];
  readonly length: number;

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new ArgumentError('TensorDataset: expected at least one tensor');
    tensors.forEach((t, i) => {
      checkTensor('TensorDataset', `tensor ${i}`, t);
    });
    for (const t of tensors) {
      if (t.rank === 0)
        throw new ShapeError('TensorDataset: tensors must have a first (sample) dimension, got a scalar');
      if (t.shape[0] !== tensors[0].shape[0]) {
        throw new ShapeError(
          `TensorDataset: tensors must share the first dimension, got ${tensors.map((x) => `[${x.shape.join(', ')}]`).join(' and ')}`,
        );
      }
    }
    this.tensors = tensors;
    this.length = tensors[0].shape[0];
  }

  get(index: number): Tensor[] {
    checkIndex('TensorDataset.get', index, this.length);
    return this.tensors.map((t) => {
      const row = narrow(t, 0, index, 1);
      const out = squeeze(row, 0);
      row.dispose();
      return out;
    });
  }

  /** Rows `indices` of every tensor (a slice when they are contiguous, a gather otherwise). */
  getBatch(indices: Int32Array): Tensor[] {
    checkIndices('TensorDataset.getBatch', indices, this.length);
    if (indices.length > 0 && contiguous(indices))
      return this.tensors.map((t) => narrow(t, 0, indices[0], indices.length));
    return this.tensors.map((t) => {
      const idx = fromArray(indices, [indices.length], { dtype: 'int32', device: t.device });
      const out = gather(t, idx, 0);
      idx.dispose();
      return out;
    });
  }
}

/** One column of an `ArrayDataset`: row-major values and the full shape `[numSamples, ...]`. */
export interface ArrayColumn {
  values: TypedArray;
  shape: readonly number[];
}

function dtypeOf(values: TypedArray): DType {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Int32Array) return 'int32';
  return 'bool';
}

/**
 * Typed arrays in host memory that share their first dimension (`Float32Array` → float32,
 * `Int32Array` → int32, `Uint8Array` → bool). The loader builds each batch's typed array by
 * copying rows and uploads it once per column, so no tensor is made per sample and the data set
 * takes no backend memory between batches. `get(i)` returns views (`subarray`) of row `i`.
 */
export class ArrayDataset implements BatchedDataset<TypedArray[], Tensor[]> {
  readonly columns: readonly ArrayColumn[];
  readonly length: number;
  private readonly rowSizes: number[];

  constructor(columns: ArrayColumn[]) {
    if (columns.length === 0) throw new ArgumentError('ArrayDataset: expected at least one column');
    for (const [c, col] of columns.entries()) {
      const size = col.shape.reduce((a, b) => a * b, 1);
      if (col.shape.length === 0 || col.shape.some((d) => !Number.isInteger(d) || d < 0)) {
        throw new ShapeError(
          `ArrayDataset: column ${c} needs a shape [numSamples, ...], got [${col.shape.join(', ')}]`,
        );
      }
      if (size !== col.values.length) {
        throw new ShapeError(
          `ArrayDataset: column ${c} has ${col.values.length} values but shape [${col.shape.join(', ')}] holds ${size}`,
        );
      }
      if (col.shape[0] !== columns[0].shape[0]) {
        throw new ShapeError(
          `ArrayDataset: columns must share the first dimension, got ${columns.map((x) => `[${x.shape.join(', ')}]`).join(' and ')}`,
        );
      }
    }
    this.columns = columns;
    this.length = columns[0].shape[0];
    this.rowSizes = columns.map((col) => col.shape.slice(1).reduce((a, b) => a * b, 1));
  }

  get(index: number): TypedArray[] {
    checkIndex('ArrayDataset.get', index, this.length);
    return this.columns.map((col, c) =>
      col.values.subarray(index * this.rowSizes[c], (index + 1) * this.rowSizes[c]),
    );
  }

  /** One tensor per column holding rows `indices`: the rows are copied into one typed array and uploaded once. */
  getBatch(indices: Int32Array, options: BatchOptions = {}): Tensor[] {
    checkIndices('ArrayDataset.getBatch', indices, this.length);
    return this.columns.map((col, c) => {
      const row = this.rowSizes[c];
      const shape = [indices.length, ...col.shape.slice(1)];
      const dtype = dtypeOf(col.values);
      if (indices.length > 0 && contiguous(indices)) {
        const view = col.values.subarray(indices[0] * row, (indices[0] + indices.length) * row);
        return fromArray(view, shape, { dtype, device: options.device });
      }
      const out = new (col.values.constructor as new (n: number) => TypedArray)(indices.length * row);
      if (row === 1) for (let i = 0; i < indices.length; i++) out[i] = col.values[indices[i]];
      else
        for (let i = 0; i < indices.length; i++)
          out.set(col.values.subarray(indices[i] * row, (indices[i] + 1) * row), i * row);
      return fromArray(out, shape, { dtype, device: options.device });
    });
  }
}

/** The samples of `dataset` at `indices`, in that order (keeps the fast batch path of the source). */
export class Subset<T> implements Dataset<T> {
  readonly dataset: Dataset<T>;
  readonly indices: Int32Array;

  constructor(dataset: Dataset<T>, indices: ArrayLike<number>) {
    this.dataset = dataset;
    this.indices = Int32Array.from(indices);
    checkIndices('Subset', this.indices, dataset.length);
    if (isBatched(dataset)) {
      const source = dataset;
      (this as unknown as BatchedDataset<T, unknown>).getBatch = (
        batch: Int32Array,
        options?: BatchOptions,
      ) => {
        const mapped = new Int32Array(batch.length);
        for (let i = 0; i < batch.length; i++) {
          checkIndex('Subset.getBatch', batch[i], this.indices.length);
          mapped[i] = this.indices[batch[i]];
        }
        return source.getBatch(mapped, options);
      };
    }
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): T {
    checkIndex('Subset.get', index, this.indices.length);
    return this.dataset.get(this.indices[index]);
  }
}

/** A dataset whose samples are `fn(dataset.get(i), i)`, computed when read. */
export function mapDataset<T, U>(dataset: Dataset<T>, fn: (item: T, index: number) => U): Dataset<U> {
  return {
    get length() {
      return dataset.length;
    },
    get: (index: number) => fn(dataset.get(index), index),
  };
}

/**
 * Splits a dataset at random into non-overlapping subsets of the given sizes: sample counts that
 * sum to `dataset.length`, or fractions that sum to 1 (each part gets `floor(fraction × n)`, and the
 * samples left over go one each to the first parts). Deterministic for a seed.
 * @example const [train, test] = randomSplit(ds, [0.8, 0.2], { seed: 42 });
 */
export function randomSplit<T>(
  dataset: Dataset<T>,
  lengths: readonly number[],
  options: SeedOptions = {},
): Subset<T>[] {
  const n = dataset.length;
  if (lengths.length === 0) throw new ArgumentError('randomSplit: expected at least one length');
  if (lengths.some((l) => !Number.isFinite(l) || l < 0)) {
    throw new ArgumentError(`randomSplit: lengths must be non-negative numbers, got [${lengths.join(', ')}]`);
  }
  const total = lengths.reduce((a, b) => a + b, 0);
  let counts: number[];
  if (lengths.every(Number.isInteger) && total === n) {
    counts = [...lengths];
  } else if (lengths.every((l) => l <= 1) && Math.abs(total - 1) < 1e-6) {
    counts = lengths.map((f) => Math.floor(f * n));
    let left = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; left > 0; i = (i + 1) % counts.length, left--) counts[i]++;
  } else {
    throw new ArgumentError(
      `randomSplit: lengths [${lengths.join(', ')}] must be counts summing to the dataset's ${n} samples or fractions summing to 1`,
    );
  }
  const order = permutation(n, resolveGenerator('randomSplit', options));
  const parts: Subset<T>[] = [];
  let offset = 0;
  for (const count of counts) {
    parts.push(new Subset(dataset, order.subarray(offset, offset + count)));
    offset += count;
  }
  return parts;
}
