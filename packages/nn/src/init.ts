/**
 * Weight initialisers after `torch.nn.init`. Each fills a tensor in place (with `assign`, so the
 * tensor keeps its identity) from the seeded generator (`globalGenerator` unless one is given)
 * and returns it: with the same seed the same weights on every backend.
 */
import {
  ArgumentError,
  checkOptions,
  DTypeError,
  fromArray,
  type Generator,
  globalGenerator,
  type Tensor,
} from '@backprop/core';
import { checkReal, checkTensor } from './validate.js';

/** Nonlinearities `calculateGain` knows (PyTorch's names, with camelCase `leakyRelu` as well). */
export type Nonlinearity =
  | 'linear'
  | 'identity'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leakyRelu'
  | 'leaky_relu'
  | 'selu';

export interface InitOptions {
  /** Draw from this generator instead of the global one. */
  generator?: Generator;
}

/**
 * The recommended gain for a nonlinearity (PyTorch's `calculate_gain`): 1 for linear and sigmoid,
 * 5/3 for tanh, √2 for ReLU, √(2 / (1 + slope²)) for leaky ReLU (slope `param`, 0.01 by default), 3/4 for SELU.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'identity':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu':
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      if (!Number.isFinite(slope))
        throw new ArgumentError(`calculateGain: negative slope must be a finite number, got ${param}`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new ArgumentError(`calculateGain: unknown nonlinearity ${JSON.stringify(nonlinearity)}`);
  }
}

/** Fan-in and fan-out of a weight: [out, in, ...kernel] gives in·k and out·k, where k is the kernel size. */
export function calculateFans(t: Tensor): { fanIn: number; fanOut: number } {
  checkTensor('init', 'tensor', t);
  if (t.rank < 2) {
    throw new ArgumentError(
      `init: fan in and fan out need a tensor of at least 2 dimensions, got shape [${t.shape.join(', ')}]`,
    );
  }
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

function fill(t: Tensor, draw: (g: Generator, i: number) => number, generator = globalGenerator): Tensor {
  checkTensor('init', 'tensor', t);
  if (t.dtype !== 'float32') throw new DTypeError(`init: expected a float32 tensor, got ${t.dtype}`);
  const values = new Float32Array(t.size);
  for (let i = 0; i < values.length; i++) values[i] = draw(generator, i);
  const source = fromArray(values, t.shape, { device: t.device });
  t.assign(source);
  source.dispose();
  return t;
}

/** U(low, high). */
export function uniform(t: Tensor, low = 0, high = 1, options: InitOptions = {}): Tensor {
  checkReal('init.uniform', 'low', low);
  checkReal('init.uniform', 'high', high);
  if (!(high >= low))
    throw new ArgumentError(`init.uniform: expected low <= high, got low=${low}, high=${high}`);
  checkOptions('init.uniform', options, ['generator']);
  return fill(t, (g) => low + (high - low) * g.uniform(), options.generator);
}

/** N(mean, std²). */
export function normal(t: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  checkReal('init.normal', 'mean', mean);
  checkReal('init.normal', 'std', std, { min: 0 });
  checkOptions('init.normal', options, ['generator']);
  return fill(t, (g) => mean + std * g.normal(), options.generator);
}

/** Every element `value`. */
export function constant(t: Tensor, value: number): Tensor {
  if (typeof value !== 'number')
    throw new ArgumentError(`init.constant: value must be a number, got ${typeof value}`);
  return fill(t, () => value);
}

/** Every element 0. */
export function zeros(t: Tensor): Tensor {
  return constant(t, 0);
}

/** Every element 1. */
export function ones(t: Tensor): Tensor {
  return constant(t, 1);
}

/** The identity matrix (ones on the diagonal of a 2-D tensor, zeros elsewhere). */
export function eye(t: Tensor): Tensor {
  if (t.rank !== 2)
    throw new ArgumentError(`init.eye: expected a 2-D tensor, got shape [${t.shape.join(', ')}]`);
  const cols = t.shape[1];
  return fill(t, (_, i) => (Math.floor(i / cols) === i % cols ? 1 : 0));
}

export interface XavierOptions extends InitOptions {
  gain?: number;
}

/** Glorot uniform: U(±gain·√(6 / (fanIn + fanOut))). */
export function xavierUniform(t: Tensor, options: XavierOptions = {}): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  const bound = checkReal('init.xavierUniform', 'gain', options.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(t, -bound, bound, { generator: options.generator });
}

/** Glorot normal: N(0, (gain·√(2 / (fanIn + fanOut)))²). */
export function xavierNormal(t: Tensor, options: XavierOptions = {}): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  return normal(
    t,
    0,
    checkReal('init.xavierNormal', 'gain', options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)),
    { generator: options.generator },
  );
}

export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (0 by default: plain ReLU). */
  a?: number;
  /** Keep the variance of activations (`fanIn`, the default) or of gradients (`fanOut`). */
  mode?: 'fanIn' | 'fanOut';
  /** Which gain to use; `leakyRelu` (with slope `a`) by default, as PyTorch. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, options: KaimingOptions): number {
  const { fanIn, fanOut } = calculateFans(t);
  const mode = options.mode ?? 'fanIn';
  if (mode !== 'fanIn' && mode !== 'fanOut')
    throw new ArgumentError(`init.kaiming: mode must be 'fanIn' or 'fanOut', got ${JSON.stringify(mode)}`);
  const fan = mode === 'fanIn' ? fanIn : fanOut;
  return calculateGain(options.nonlinearity ?? 'leakyRelu', options.a ?? 0) / Math.sqrt(fan);
}

/** He uniform: U(±gain·√(3 / fan)). */
export function kaimingUniform(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, options);
  return uniform(t, -bound, bound, { generator: options.generator });
}

/** He normal: N(0, (gain / √fan)²). */
export function kaimingNormal(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal(t, 0, kaimingStd(t, options), { generator: options.generator });
}

/**
 * A (semi-)orthogonal matrix times `gain` (Saxe et al.): the tensor viewed as [rows, rest] gets
 * orthonormal rows (or columns, whichever are fewer), from a seeded normal matrix orthonormalised
 * by Gram–Schmidt in float64 (the Q of its QR decomposition with a positive diagonal R).
 */
export function orthogonal(t: Tensor, options: XavierOptions = {}): Tensor {
  if (t.rank < 2)
    throw new ArgumentError(
      `init.orthogonal: expected a tensor of at least 2 dimensions, got shape [${t.shape.join(', ')}]`,
    );
  const rows = t.shape[0];
  const cols = t.size / rows;
  if (t.size === 0) return t;
  const generator = options.generator ?? globalGenerator;
  const flat = new Float64Array(rows * cols);
  for (let i = 0; i < flat.length; i++) flat[i] = generator.normal();
  // Work on a tall matrix a (n × m, n ≥ m), stored as m columns of length n.
  const transposed = rows < cols;
  const n = transposed ? cols : rows;
  const m = transposed ? rows : cols;
  const columns: Float64Array[] = [];
  for (let j = 0; j < m; j++) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = transposed ? flat[j * cols + i] : flat[i * cols + j];
    // Modified Gram–Schmidt, twice for orthogonality to rounding.
    for (let pass = 0; pass < 2; pass++) {
      for (const q of columns) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[i] * col[i];
        for (let i = 0; i < n; i++) col[i] -= dot * q[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += col[i] * col[i];
    norm = Math.sqrt(norm);
    if (norm < 1e-12)
      throw new ArgumentError('init.orthogonal: the random matrix was rank-deficient; try another seed');
    for (let i = 0; i < n; i++) col[i] /= norm;
    columns.push(col);
  }
  const gain = options.gain ?? 1;
  return fill(t, (_, index) => {
    const r = Math.floor(index / cols);
    const c = index % cols;
    return gain * (transposed ? columns[r][c] : columns[c][r]);
  });
}
