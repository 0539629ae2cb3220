import { ArgumentError, checkBoolean, checkOptions, describeValue, type Generator } from '@backprop/core';
import {
  type ClassificationData,
  classificationData,
  type RegressionData,
  regressionData,
} from './arrays.js';
import { resolveGenerator, type SeedOptions, shuffleInPlace } from './random.js';

const SYNTHETIC_OPTIONS = ['numSamples', 'noise', 'shuffle', 'seed', 'generator'] as const;

/** Options every synthetic data set takes. */
export interface SyntheticOptions extends SeedOptions {
  /** Number of samples (split as evenly as possible between the classes). */
  numSamples?: number;
  /** Standard deviation of the Gaussian noise added to each feature. */
  noise?: number;
  /** Shuffle the samples (default true; false keeps them grouped by class, in class order). */
  shuffle?: boolean;
}

function checkCount(op: string, name: string, n: number, min = 0): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min)
    throw new ArgumentError(`${op}: ${name} must be an integer >= ${min}, got ${describeValue(n)}`);
}

function checkNoise(op: string, noise: number): void {
  if (typeof noise !== 'number' || !Number.isFinite(noise) || noise < 0)
    throw new ArgumentError(`${op}: noise must be a finite non-negative number, got ${describeValue(noise)}`);
}

/** Class sizes when `n` samples are shared between `k` classes (the first classes get one more). */
function perClass(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, c) => Math.floor(n / k) + (c < n % k ? 1 : 0));
}

/** Builds the data set from a point generator; shuffles rows when asked. */
function build(
  op: string,
  options: SyntheticOptions,
  defaults: { numSamples: number; noise: number },
  numFeatures: number,
  numClasses: number,
  point: (i: number, g: Generator, out: Float32Array) => number,
): ClassificationData {
  const n = options.numSamples ?? defaults.numSamples;
  const noise = options.noise ?? defaults.noise;
  checkCount(op, 'numSamples', n);
  checkNoise(op, noise);
  const g = resolveGenerator(op, options);
  const xs = new Float32Array(n * numFeatures);
  const ys = new Int32Array(n);
  const row = new Float32Array(numFeatures);
  for (let i = 0; i < n; i++) {
    ys[i] = point(i, g, row);
    for (let f = 0; f < numFeatures; f++)
      xs[i * numFeatures + f] = row[f] + (noise > 0 ? noise * g.normal() : 0);
  }
  if (checkBoolean(op, 'shuffle', options.shuffle) ?? true) {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    shuffleInPlace(order, g);
    const x2 = new Float32Array(xs.length);
    const y2 = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      x2.set(xs.subarray(order[i] * numFeatures, (order[i] + 1) * numFeatures), i * numFeatures);
      y2[i] = ys[order[i]];
    }
    return classificationData(x2, y2, numFeatures, numClasses);
  }
  return classificationData(xs, ys, numFeatures, numClasses);
}

/**
 * XOR: the four corners of the unit square, label `a XOR b`, cycled (sample `i` is corner `i % 4`
 * in the order (0,0), (0,1), (1,0), (1,1)) with Gaussian noise. With `numSamples: 4, noise: 0,
 * shuffle: false` it is the truth table itself. Defaults: 200 samples, noise 0.1.
 */
export function xor(options: SyntheticOptions = {}): ClassificationData {
  checkOptions('xor', options, SYNTHETIC_OPTIONS);
  return build('xor', options, { numSamples: 200, noise: 0.1 }, 2, 2, (i, _g, out) => {
    const a = (i >> 1) & 1;
    const b = i & 1;
    out[0] = a;
    out[1] = b;
    return a ^ b;
  });
}

/** Options of `spirals`. */
export interface SpiralOptions extends SyntheticOptions {
  /** Number of arms, one per class (default 3). */
  numClasses?: number;
  /** Turns of each arm (default 1 ⇒ the angle sweeps 4 radians, as in CS231n's example). */
  turns?: number;
}

/**
 * Interleaved spiral arms, one per class (CS231n's toy set): in arm `c`, point `j` of `m` has
 * radius `r = j / (m − 1)` and angle `θ = turns·4·r + c·2π/k` (plus noise on θ scaled by `noise`),
 * at `(r sin θ, r cos θ)`. Defaults: 300 samples, 3 classes, noise 0.2 (radians).
 */
export function spirals(options: SpiralOptions = {}): ClassificationData {
  checkOptions('spirals', options, [...SYNTHETIC_OPTIONS, 'numClasses', 'turns']);
  const k = options.numClasses ?? 3;
  checkCount('spirals', 'numClasses', k, 1);
  const turns = options.turns ?? 1;
  const n = options.numSamples ?? 300;
  checkCount('spirals', 'numSamples', n);
  const noise = options.noise ?? 0.2;
  checkNoise('spirals', noise);
  const sizes = perClass(n, k);
  const starts = sizes.map((_, c) => sizes.slice(0, c).reduce((a, b) => a + b, 0));
  // Noise perturbs the angle, not the coordinates, so pass 0 to `build` and draw it here.
  return build(
    'spirals',
    { ...options, noise: 0, numSamples: n },
    { numSamples: n, noise: 0 },
    2,
    k,
    (i, g, out) => {
      let c = 0;
      while (c + 1 < k && i >= starts[c + 1]) c++;
      const j = i - starts[c];
      const r = sizes[c] > 1 ? j / (sizes[c] - 1) : 0;
      const theta = turns * 4 * r + (c * 2 * Math.PI) / k + noise * g.normal();
      out[0] = r * Math.sin(theta);
      out[1] = r * Math.cos(theta);
      return c;
    },
  );
}

/**
 * Two interleaving half circles (scikit-learn's make_moons): class 0 on `(cos t, sin t)`, class 1
 * on `(1 − cos t, 0.5 − sin t)`, `t` evenly spaced in [0, π]. Defaults: 200 samples, noise 0.1.
 */
export function moons(options: SyntheticOptions = {}): ClassificationData {
  checkOptions('moons', options, SYNTHETIC_OPTIONS);
  const n = options.numSamples ?? 200;
  checkCount('moons', 'numSamples', n);
  const [outer, inner] = perClass(n, 2);
  return build('moons', options, { numSamples: 200, noise: 0.1 }, 2, 2, (i, _g, out) => {
    const inOuter = i < outer;
    const j = inOuter ? i : i - outer;
    const m = inOuter ? outer : inner;
    const t = m > 1 ? (Math.PI * j) / (m - 1) : 0;
    out[0] = inOuter ? Math.cos(t) : 1 - Math.cos(t);
    out[1] = inOuter ? Math.sin(t) : 0.5 - Math.sin(t);
    return inOuter ? 0 : 1;
  });
}

/** Options of `circles`. */
export interface CirclesOptions extends SyntheticOptions {
  /** Radius of the inner circle relative to the outer one, in (0, 1) (default 0.5). */
  factor?: number;
}

/**
 * Two concentric circles (scikit-learn's make_circles): class 0 on the unit circle, class 1 on a
 * circle of radius `factor`, angles evenly spaced. Defaults: 200 samples, noise 0.05, factor 0.5.
 */
export function circles(options: CirclesOptions = {}): ClassificationData {
  checkOptions('circles', options, [...SYNTHETIC_OPTIONS, 'factor']);
  const factor = options.factor ?? 0.5;
  if (!(factor > 0 && factor < 1))
    throw new ArgumentError(`circles: factor must be in (0, 1), got ${factor}`);
  const n = options.numSamples ?? 200;
  checkCount('circles', 'numSamples', n);
  const [outer, inner] = perClass(n, 2);
  return build('circles', options, { numSamples: 200, noise: 0.05 }, 2, 2, (i, _g, out) => {
    const inOuter = i < outer;
    const j = inOuter ? i : i - outer;
    const m = inOuter ? outer : inner;
    const t = (2 * Math.PI * j) / Math.max(m, 1);
    const r = inOuter ? 1 : factor;
    out[0] = r * Math.cos(t);
    out[1] = r * Math.sin(t);
    return inOuter ? 0 : 1;
  });
}

/** Options of `blobs`. */
export interface BlobsOptions extends SeedOptions {
  /** Number of samples (default 300), shared evenly between the blobs. */
  numSamples?: number;
  /** The blob centers (one per class), or how many to draw uniformly in `box` (default 3). */
  centers?: number | readonly (readonly number[])[];
  /** Standard deviation of each blob: one for all or one per blob (default 1). */
  std?: number | readonly number[];
  /** Features per sample when centers are drawn (default 2). */
  numFeatures?: number;
  /** Range the drawn centers lie in (default [-10, 10]). */
  box?: readonly [number, number];
  /** Shuffle the samples (default true). */
  shuffle?: boolean;
}

/** Isotropic Gaussian blobs, one class per center (scikit-learn's make_blobs). Returns the centers too. */
export function blobs(options: BlobsOptions = {}): ClassificationData & { centers: number[][] } {
  checkOptions('blobs', options, [
    'numSamples',
    'centers',
    'std',
    'numFeatures',
    'box',
    'shuffle',
    'seed',
    'generator',
  ]);
  const g = resolveGenerator('blobs', options);
  const spec = options.centers ?? 3;
  let centers: number[][];
  if (typeof spec === 'number') {
    checkCount('blobs', 'centers', spec, 1);
    const d = options.numFeatures ?? 2;
    checkCount('blobs', 'numFeatures', d, 1);
    const [lo, hi] = options.box ?? [-10, 10];
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi))
      throw new ArgumentError(
        `blobs: box must be [low, high] with finite low <= high, got ${describeValue(options.box)}`,
      );
    centers = Array.from({ length: spec }, () =>
      Array.from({ length: d }, () => lo + (hi - lo) * g.uniform()),
    );
  } else {
    if (spec.length === 0) throw new ArgumentError('blobs: centers must not be empty');
    const d = spec[0].length;
    if (d === 0 || spec.some((c) => c.length !== d))
      throw new ArgumentError('blobs: every center needs the same (non-zero) number of coordinates');
    if (options.numFeatures !== undefined && options.numFeatures !== d) {
      throw new ArgumentError(
        `blobs: numFeatures ${options.numFeatures} does not match the centers' ${d} coordinates`,
      );
    }
    centers = spec.map((c) => [...c]);
  }
  const k = centers.length;
  const d = centers[0].length;
  const stds =
    typeof options.std === 'number' || options.std === undefined
      ? new Array<number>(k).fill(options.std ?? 1)
      : [...options.std];
  if (stds.length !== k || stds.some((s) => !Number.isFinite(s) || s < 0)) {
    throw new ArgumentError(
      `blobs: std must be a non-negative number or one per center (${k}), got ${JSON.stringify(options.std)}`,
    );
  }
  const n = options.numSamples ?? 300;
  checkCount('blobs', 'numSamples', n);
  const sizes = perClass(n, k);
  const starts = sizes.map((_, c) => sizes.slice(0, c).reduce((a, b) => a + b, 0));
  const data = build(
    'blobs',
    { generator: g, numSamples: n, noise: 0, shuffle: options.shuffle },
    { numSamples: n, noise: 0 },
    d,
    k,
    (i, gen, out) => {
      let c = 0;
      while (c + 1 < k && i >= starts[c + 1]) c++;
      for (let f = 0; f < d; f++) out[f] = centers[c][f] + stds[c] * gen.normal();
      return c;
    },
  );
  return { ...data, centers };
}

/** Options of `sine`. */
export interface SineOptions extends SeedOptions {
  /** Number of samples (default 200). */
  numSamples?: number;
  /** Standard deviation of the noise added to the target (default 0.1). */
  noise?: number;
  /** Interval `x` is drawn from, uniformly (default [-π, π]). */
  range?: readonly [number, number];
}

/** Noisy 1-D regression: `x` uniform in `range`, `y = sin(x) + noise·N(0, 1)`; x `[N, 1]`, y `[N, 1]`. */
export function sine(options: SineOptions = {}): RegressionData {
  checkOptions('sine', options, ['numSamples', 'noise', 'range', 'seed', 'generator']);
  const n = options.numSamples ?? 200;
  checkCount('sine', 'numSamples', n);
  const noise = options.noise ?? 0.1;
  checkNoise('sine', noise);
  const [lo, hi] = options.range ?? [-Math.PI, Math.PI];
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo))
    throw new ArgumentError(`sine: range must be [low, high] with finite low < high, got [${lo}, ${hi}]`);
  const g = resolveGenerator('sine', options);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = lo + (hi - lo) * g.uniform();
    y[i] = Math.sin(x[i]) + (noise > 0 ? noise * g.normal() : 0);
  }
  return regressionData(x, y, 1, 1, { featureNames: ['x'], targetNames: ['y'] });
}
