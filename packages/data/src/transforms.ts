import { ArgumentError, oneHot as coreOneHot, fromArray, Tensor } from '@backprop/core';
import type { ArrayData } from './arrays.js';

/** A mean or standard deviation: one number for every feature, or one per feature. */
export type PerFeature = number | ArrayLike<number>;

function perFeature(op: string, name: string, v: PerFeature, numFeatures: number): Float32Array {
  if (typeof v === 'number') return new Float32Array(numFeatures).fill(v);
  if (v.length !== numFeatures)
    throw new ArgumentError(`${op}: ${name} has ${v.length} values but there are ${numFeatures} features`);
  return Float32Array.from(v);
}

function numFeaturesOf(x: Tensor): number {
  if (x.rank === 0)
    throw new ArgumentError('normalize: expected a tensor with a feature (last) axis, got a scalar');
  return x.shape[x.rank - 1];
}

/**
 * `(x − mean) / std`, per feature (the last axis) or with scalars. Takes a tensor (returns a new
 * tensor, with gradients) or a row-major `Float32Array` with `numFeatures` columns (returns a new array).
 * @example normalize(x, 0.1307, 0.3081) // MNIST's usual constants
 */
export function normalize(x: Tensor, mean: PerFeature, std: PerFeature): Tensor;
export function normalize(
  x: Float32Array,
  mean: PerFeature,
  std: PerFeature,
  numFeatures: number,
): Float32Array;
export function normalize(
  x: Tensor | Float32Array,
  mean: PerFeature,
  std: PerFeature,
  numFeatures?: number,
): Tensor | Float32Array {
  const d = x instanceof Tensor ? numFeaturesOf(x) : numFeatures;
  if (d === undefined || !Number.isInteger(d) || d < 1)
    throw new ArgumentError(`normalize: numFeatures must be a positive integer, got ${d}`);
  const m = perFeature('normalize', 'mean', mean, d);
  const s = perFeature('normalize', 'std', std, d);
  s.forEach((v, i) => {
    if (!(v > 0) || !Number.isFinite(v))
      throw new ArgumentError(`normalize: std must be positive and finite, got ${v} for feature ${i}`);
  });
  if (x instanceof Tensor) {
    const mt = fromArray(m, [d], { device: x.device });
    const st = fromArray(s, [d], { device: x.device });
    const centered = x.sub(mt);
    const out = centered.div(st);
    for (const t of [mt, st, centered]) t.dispose();
    return out;
  }
  if (x.length % d !== 0)
    throw new ArgumentError(`normalize: ${x.length} values are not rows of ${d} features`);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - m[i % d]) / s[i % d];
  return out;
}

/**
 * Per-feature standardization to mean 0 and standard deviation 1: `fit` on the training set,
 * then `transform` the training and test sets with the same statistics. Features with zero
 * variance (MNIST's border pixels) are only centered (their std is taken as 1), as in scikit-learn.
 */
export class Standardizer {
  readonly mean: Float32Array;
  readonly std: Float32Array;

  constructor(mean: ArrayLike<number>, std: ArrayLike<number>) {
    if (mean.length !== std.length || mean.length === 0) {
      throw new ArgumentError(
        `Standardizer: mean (${mean.length}) and std (${std.length}) need the same, non-zero length`,
      );
    }
    this.mean = Float32Array.from(mean);
    this.std = Float32Array.from(std);
    this.std.forEach((v, i) => {
      if (!(v > 0) || !Number.isFinite(v))
        throw new ArgumentError(`Standardizer: std must be positive, got ${v} for feature ${i}`);
    });
  }

  get numFeatures(): number {
    return this.mean.length;
  }

  /** Fits the mean and (population) standard deviation of each column of row-major `x` (in float64). */
  static fit(x: Float32Array, numFeatures: number): Standardizer {
    if (!Number.isInteger(numFeatures) || numFeatures < 1 || x.length % numFeatures !== 0 || x.length === 0) {
      throw new ArgumentError(
        `Standardizer.fit: ${x.length} values are not a non-empty set of rows of ${numFeatures} features`,
      );
    }
    const n = x.length / numFeatures;
    const mean = new Float64Array(numFeatures);
    for (let i = 0; i < x.length; i++) mean[i % numFeatures] += x[i];
    for (let f = 0; f < numFeatures; f++) mean[f] /= n;
    const sq = new Float64Array(numFeatures);
    for (let i = 0; i < x.length; i++) {
      const dv = x[i] - mean[i % numFeatures];
      sq[i % numFeatures] += dv * dv;
    }
    const std = Array.from(sq, (s) => {
      const v = Math.sqrt(s / n);
      return v > 1e-7 ? v : 1;
    });
    return new Standardizer(mean, std);
  }

  /** Standardizes row-major `x` (returns a new array) or a tensor whose last axis is the features. */
  transform(x: Float32Array): Float32Array;
  transform(x: Tensor): Tensor;
  transform(x: Float32Array | Tensor): Float32Array | Tensor {
    if (x instanceof Tensor) return normalize(x, this.mean, this.std);
    return normalize(x, this.mean, this.std, this.numFeatures);
  }

  /** Undoes `transform` on row-major values. */
  inverse(x: Float32Array): Float32Array {
    const d = this.numFeatures;
    if (x.length % d !== 0)
      throw new ArgumentError(`Standardizer.inverse: ${x.length} values are not rows of ${d} features`);
    return x.map((v, i) => v * this.std[i % d] + this.mean[i % d]);
  }

  /** Plain numbers, for saving with a checkpoint. */
  toJSON(): { mean: number[]; std: number[] } {
    return { mean: Array.from(this.mean), std: Array.from(this.std) };
  }

  static fromJSON(json: { mean: ArrayLike<number>; std: ArrayLike<number> }): Standardizer {
    return new Standardizer(json.mean, json.std);
  }
}

/**
 * Fits a `Standardizer` on `train`'s features and applies it to `train` and each of `others`
 * (new data sets; the inputs are unchanged).
 * @example const { data: [train, test], standardizer } = standardize(split.train, split.test);
 */
export function standardize<D extends ArrayData>(
  train: D,
  ...others: D[]
): { data: D[]; standardizer: Standardizer } {
  const standardizer = Standardizer.fit(train.x, train.numFeatures);
  const data = [train, ...others].map((d) => {
    if (d.numFeatures !== train.numFeatures) {
      throw new ArgumentError(
        `standardize: a data set has ${d.numFeatures} features but the training set ${train.numFeatures}`,
      );
    }
    return { ...d, x: standardizer.transform(d.x) };
  });
  return { data, standardizer };
}

/**
 * One-hot rows for class indices: a tensor gives a float32 tensor `[..., numClasses]` (core's
 * `oneHot`); an array gives a row-major `Float32Array` of `length × numClasses`. Indices outside
 * `0..numClasses-1` are an error naming the position.
 */
export function oneHot(labels: Tensor, numClasses: number): Tensor;
export function oneHot(labels: ArrayLike<number>, numClasses: number): Float32Array;
export function oneHot(labels: Tensor | ArrayLike<number>, numClasses: number): Tensor | Float32Array {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new ArgumentError(`oneHot: numClasses must be a positive integer, got ${numClasses}`);
  }
  if (labels instanceof Tensor) return coreOneHot(labels, numClasses);
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
      throw new ArgumentError(
        `oneHot: label ${c} at position ${i} is not a class index in 0..${numClasses - 1}`,
      );
    }
    out[i * numClasses + c] = 1;
  }
  return out;
}
