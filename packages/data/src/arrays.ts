import {
  ArgumentError,
  checkBoolean,
  checkOptions,
  describeValue,
  fromArray,
  type Tensor,
} from '@backprop/core';
import { ArrayDataset, TensorDataset } from './dataset.js';
import { apportion, permutation, resolveGenerator, type SeedOptions, shuffleInPlace } from './random.js';

/** A classification data set in host memory: features row-major `[numSamples, numFeatures]`, class indices. */
export interface ClassificationData {
  readonly task: 'classification';
  /** Features, row-major, `numSamples × numFeatures` float32 values. */
  readonly x: Float32Array;
  /** Class index of each sample, in `0..numClasses-1`. */
  readonly y: Int32Array;
  readonly numSamples: number;
  readonly numFeatures: number;
  readonly numClasses: number;
  /** Name of each class (`classNames[y[i]]`), when known. */
  readonly classNames?: readonly string[];
  /** Name of each feature column, when known. */
  readonly featureNames?: readonly string[];
}

/** A regression data set in host memory: features `[numSamples, numFeatures]`, float targets `[numSamples, numTargets]`. */
export interface RegressionData {
  readonly task: 'regression';
  readonly x: Float32Array;
  /** Targets, row-major, `numSamples × numTargets` float32 values. */
  readonly y: Float32Array;
  readonly numSamples: number;
  readonly numFeatures: number;
  readonly numTargets: number;
  readonly featureNames?: readonly string[];
  readonly targetNames?: readonly string[];
}

/** Features and targets in typed arrays, as the synthetic, real and CSV loaders return them. */
export type ArrayData = ClassificationData | RegressionData;

/** Builds a `ClassificationData`, checking sizes and label range. */
export function classificationData(
  x: Float32Array,
  y: Int32Array,
  numFeatures: number,
  numClasses: number,
  names: { classNames?: readonly string[]; featureNames?: readonly string[] } = {},
): ClassificationData {
  const numSamples = y.length;
  if (x.length !== numSamples * numFeatures) {
    throw new ArgumentError(
      `classificationData: ${x.length} feature values do not fill ${numSamples} samples × ${numFeatures} features`,
    );
  }
  for (let i = 0; i < numSamples; i++) {
    if (!(y[i] >= 0 && y[i] < numClasses))
      throw new ArgumentError(
        `classificationData: label ${y[i]} of sample ${i} is outside 0..${numClasses - 1}`,
      );
  }
  return { task: 'classification', x, y, numSamples, numFeatures, numClasses, ...names };
}

/** Builds a `RegressionData`, checking sizes. */
export function regressionData(
  x: Float32Array,
  y: Float32Array,
  numFeatures: number,
  numTargets = 1,
  names: { featureNames?: readonly string[]; targetNames?: readonly string[] } = {},
): RegressionData {
  const numSamples = numTargets === 0 ? 0 : y.length / numTargets;
  if (!Number.isInteger(numSamples) || x.length !== numSamples * numFeatures) {
    throw new ArgumentError(
      `regressionData: ${x.length} feature values and ${y.length} targets do not fit ${numFeatures} features and ${numTargets} targets per sample`,
    );
  }
  return { task: 'regression', x, y, numSamples, numFeatures, numTargets, ...names };
}

/** Samples `indices` of `data` (in that order), as a new data set with copied arrays. */
/** Checks that `data` is a classification or regression data set, as the builders here make them. */
function checkArrayData(op: string, data: unknown): asserts data is ArrayData {
  const d = data as Partial<ArrayData> | null;
  if (
    d === null ||
    typeof d !== 'object' ||
    (d.task !== 'classification' && d.task !== 'regression') ||
    !ArrayBuffer.isView(d.x) ||
    !ArrayBuffer.isView(d.y)
  ) {
    throw new ArgumentError(
      `${op}: expected a data set from classificationData/regressionData (task, x, y, ...), got ${describeValue(data)}`,
    );
  }
}

export function subset<D extends ArrayData>(data: D, indices: ArrayLike<number>): D {
  checkArrayData('subset', data);
  const d = data.numFeatures;
  const t = data.task === 'classification' ? 1 : data.numTargets;
  const x = new Float32Array(indices.length * d);
  const y =
    data.task === 'classification' ? new Int32Array(indices.length) : new Float32Array(indices.length * t);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    if (!Number.isInteger(k) || k < 0 || k >= data.numSamples) {
      throw new ArgumentError(`subset: index ${k} is out of range for ${data.numSamples} samples`);
    }
    x.set(data.x.subarray(k * d, (k + 1) * d), i * d);
    if (t === 1) y[i] = data.y[k];
    else y.set(data.y.subarray(k * t, (k + 1) * t), i * t);
  }
  return { ...data, x, y, numSamples: indices.length };
}

/** Options of `trainTestSplit`. */
export interface TrainTestSplitOptions extends SeedOptions {
  /** Size of the test part: a count, or a fraction in (0, 1) of the samples (default 0.2). */
  test?: number;
  /**
   * Keep the class proportions in both parts (default true for classification): each class's
   * test share is apportioned by largest remainder, so the counts add up exactly.
   */
  stratify?: boolean;
}

/**
 * Splits a data set at random into train and test parts (both shuffled). Deterministic for a seed;
 * stratified for classification unless `stratify: false`.
 * @example const { train, test } = trainTestSplit(loadIris(), { test: 0.2, seed: 0 });
 */
export function trainTestSplit<D extends ArrayData>(
  data: D,
  options: TrainTestSplitOptions = {},
): { train: D; test: D } {
  checkArrayData('trainTestSplit', data);
  checkOptions<TrainTestSplitOptions>('trainTestSplit', options, ['test', 'stratify', 'seed', 'generator']);
  const generator = resolveGenerator('trainTestSplit', options);
  const n = data.numSamples;
  const testSpec: unknown = options.test ?? 0.2;
  const numTest =
    typeof testSpec === 'number' && testSpec > 0 && testSpec < 1 ? Math.round(testSpec * n) : testSpec;
  if (typeof numTest !== 'number' || !Number.isInteger(numTest) || numTest < 0 || numTest > n) {
    throw new ArgumentError(
      `trainTestSplit: test must be a fraction in (0, 1) or a count in 0..${n}, got ${describeValue(testSpec)}`,
    );
  }
  const stratify =
    checkBoolean('trainTestSplit', 'stratify', options.stratify) ?? data.task === 'classification';
  let trainIdx: Int32Array;
  let testIdx: Int32Array;
  if (stratify) {
    if (data.task !== 'classification')
      throw new ArgumentError('trainTestSplit: stratify needs a classification data set');
    const byClass: number[][] = Array.from({ length: data.numClasses }, () => []);
    for (let i = 0; i < n; i++) byClass[data.y[i]].push(i);
    const testCounts = apportion(
      numTest,
      byClass.map((c) => c.length),
    );
    const tr: number[] = [];
    const te: number[] = [];
    byClass.forEach((members, c) => {
      shuffleInPlace(members, generator);
      te.push(...members.slice(0, testCounts[c]));
      tr.push(...members.slice(testCounts[c]));
    });
    trainIdx = shuffleInPlace(Int32Array.from(tr), generator);
    testIdx = shuffleInPlace(Int32Array.from(te), generator);
  } else {
    const order = permutation(n, generator);
    testIdx = order.slice(0, numTest);
    trainIdx = order.slice(numTest);
  }
  return { train: subset(data, trainIdx), test: subset(data, testIdx) };
}

/** Options of the tensor helpers. */
export interface ToTensorOptions {
  /** Backend to upload to (the active backend when absent). */
  device?: string;
}

/** Uploads a data set as `x` float32 `[N, numFeatures]` and `y` int32 `[N]` (classification) or float32 `[N, numTargets]` (regression). */
export function toTensors(data: ArrayData, options: ToTensorOptions = {}): { x: Tensor; y: Tensor } {
  checkArrayData('toTensors', data);
  checkOptions('toTensors', options, ['device']);
  const x = fromArray(data.x, [data.numSamples, data.numFeatures], {
    dtype: 'float32',
    device: options.device,
  });
  const y =
    data.task === 'classification'
      ? fromArray(data.y, [data.numSamples], { dtype: 'int32', device: options.device })
      : fromArray(data.y, [data.numSamples, data.numTargets], { dtype: 'float32', device: options.device });
  return { x, y };
}

/** Uploads a data set once as a `TensorDataset` of `[x, y]` (see `toTensors`); batches are gathered on the backend. */
export function toTensorDataset(data: ArrayData, options: ToTensorOptions = {}): TensorDataset {
  const { x, y } = toTensors(data, options);
  return new TensorDataset(x, y);
}

/**
 * Wraps a data set as an `ArrayDataset` of `[x, y]` kept in host memory; the loader uploads one
 * batch at a time (`x` float32 `[B, numFeatures]`, `y` int32 `[B]` or float32 `[B, numTargets]`).
 * The better choice for large sets such as MNIST.
 */
export function toArrayDataset(data: ArrayData): ArrayDataset {
  return new ArrayDataset([
    { values: data.x, shape: [data.numSamples, data.numFeatures] },
    data.task === 'classification'
      ? { values: data.y, shape: [data.numSamples] }
      : { values: data.y, shape: [data.numSamples, data.numTargets] },
  ]);
}

/** Number of samples of each class. */
export function classCounts(data: ClassificationData): number[] {
  const counts = new Array<number>(data.numClasses).fill(0);
  for (let i = 0; i < data.numSamples; i++) counts[data.y[i]]++;
  return counts;
}
