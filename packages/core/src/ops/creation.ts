import { allocArray, type DType, type TypedArray, toDTypeArray } from '../dtype.js';
import { ENGINE } from '../engine/engine.js';
import { ArgumentError, DTypeError, ShapeError } from '../errors.js';
import { type Generator, globalGenerator } from '../random/generator.js';
import { assertValidShape, formatShape, type Shape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { makeTensor } from './kernel.js';

/** Nested arrays of numbers or booleans, as `tensor()` accepts them. */
export type NestedInput = number | boolean | readonly NestedInput[];

export interface CreationOptions {
  /** Element type; float32 unless the input is an Int32Array or Uint8Array or holds booleans. */
  dtype?: DType;
  /** Make a leaf whose gradient `backward()` fills in. */
  requiresGrad?: boolean;
  /** Backend name; the active backend by default. */
  device?: string;
}

export interface RandomOptions extends CreationOptions {
  /** Draw from this generator instead of the global one. */
  generator?: Generator;
}

function backendFor(device: string | undefined) {
  return device === undefined ? ENGINE.activeBackend() : ENGINE.backendByName(device);
}

/** Uploads a flat array as a new tensor. */
export function fromArray(
  values: TypedArray | readonly number[],
  shape: Shape,
  options: CreationOptions = {},
): Tensor {
  assertValidShape('tensor', shape);
  const dtype = options.dtype ?? inferDType(values);
  if (values.length !== sizeOf(shape)) {
    throw new ShapeError(
      `tensor: ${values.length} values cannot fill shape ${formatShape(shape)} (${sizeOf(shape)} elements)`,
    );
  }
  const backend = backendFor(options.device);
  const data = toDTypeArray(values, dtype);
  const t = makeTensor(backend, backend.write(data, shape, dtype), shape, dtype);
  if (options.requiresGrad) setRequiresGrad(t);
  return t;
}

function setRequiresGrad(t: Tensor): void {
  if (t.dtype !== 'float32')
    throw new DTypeError(`tensor: only float32 tensors can require gradients, got ${t.dtype}`);
  t.requiresGrad = true;
}

function inferDType(values: TypedArray | readonly unknown[]): DType {
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Uint8Array) return 'bool';
  if (!(values instanceof Float32Array) && values.length > 0 && typeof values[0] === 'boolean') return 'bool';
  return 'float32';
}

/**
 * Makes a tensor from nested arrays, a typed array or a number.
 * @example tensor([[1, 2], [3, 4]], { requiresGrad: true })
 */
export function tensor(
  values: NestedInput | TypedArray,
  options: CreationOptions & { shape?: Shape } = {},
): Tensor {
  if (ArrayBuffer.isView(values))
    return fromArray(values as TypedArray, options.shape ?? [values.length], options);
  const shape = inferShape(values);
  const flat: number[] = [];
  let sawBool = false;
  flatten(values, shape, 0, flat, (b) => (sawBool ||= b));
  const dtype = options.dtype ?? (sawBool ? 'bool' : 'float32');
  if (options.shape && sizeOf(options.shape) !== flat.length) {
    throw new ShapeError(`tensor: ${flat.length} values cannot fill shape ${formatShape(options.shape)}`);
  }
  return fromArray(flat, options.shape ?? shape, { ...options, dtype });
}

function inferShape(values: NestedInput): number[] {
  const shape: number[] = [];
  let v: NestedInput = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0] as NestedInput;
    if (v === undefined) break;
  }
  return shape;
}

function flatten(
  v: NestedInput,
  shape: Shape,
  dim: number,
  out: number[],
  onBool: (b: boolean) => void,
): void {
  if (dim === shape.length) {
    if (Array.isArray(v))
      throw new ShapeError(`tensor: ragged nested array: expected a number at depth ${dim}, got an array`);
    if (typeof v === 'boolean') {
      onBool(true);
      out.push(v ? 1 : 0);
    } else if (typeof v === 'number') out.push(v);
    else throw new ArgumentError(`tensor: expected numbers or booleans, got ${typeof v}`);
    return;
  }
  if (!Array.isArray(v) || v.length !== shape[dim]) {
    throw new ShapeError(
      `tensor: ragged nested array: expected ${shape[dim]} entries at depth ${dim}, got ${Array.isArray(v) ? v.length : typeof v}`,
    );
  }
  for (const item of v) flatten(item as NestedInput, shape, dim + 1, out, onBool);
}

/** A tensor with every element `value`. */
export function full(shape: Shape, value: number, options: CreationOptions = {}): Tensor {
  assertValidShape('full', shape);
  const dtype = options.dtype ?? 'float32';
  const backend = backendFor(options.device);
  const t = makeTensor(backend, backend.fill(shape, value, dtype), shape, dtype);
  if (options.requiresGrad) setRequiresGrad(t);
  return t;
}

export function zeros(shape: Shape, options: CreationOptions = {}): Tensor {
  return full(shape, 0, options);
}

export function ones(shape: Shape, options: CreationOptions = {}): Tensor {
  return full(shape, 1, options);
}

function likeOptions(t: Tensor, options: CreationOptions): CreationOptions {
  return { dtype: t.dtype, device: t.device, ...options };
}

export function zerosLike(t: Tensor, options: CreationOptions = {}): Tensor {
  return zeros(t.shape, likeOptions(t, options));
}

export function onesLike(t: Tensor, options: CreationOptions = {}): Tensor {
  return ones(t.shape, likeOptions(t, options));
}

export function fullLike(t: Tensor, value: number, options: CreationOptions = {}): Tensor {
  return full(t.shape, value, likeOptions(t, options));
}

/** Values from `start` up to (not including) `end` by `step`, like Python's range; int32 when all arguments are integers. */
export function arange(start: number, end?: number, step = 1, options: CreationOptions = {}): Tensor {
  const [from, to] = end === undefined ? [0, start] : [start, end];
  if (step === 0 || !Number.isFinite(step))
    throw new ArgumentError(`arange: step must be a finite non-zero number, got ${step}`);
  const n = Math.max(0, Math.ceil((to - from) / step));
  const dtype =
    options.dtype ??
    (Number.isInteger(from) && Number.isInteger(to) && Number.isInteger(step) ? 'int32' : 'float32');
  const values = allocArray(dtype, n);
  for (let i = 0; i < n; i++) values[i] = from + i * step;
  return fromArray(values, [n], { ...options, dtype });
}

/** `steps` evenly spaced values from `start` to `end` inclusive. */
export function linspace(start: number, end: number, steps: number, options: CreationOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0)
    throw new ArgumentError(`linspace: steps must be a non-negative integer, got ${steps}`);
  const values = new Float32Array(steps);
  for (let i = 0; i < steps; i++) values[i] = steps === 1 ? start : start + ((end - start) * i) / (steps - 1);
  return fromArray(values, [steps], options);
}

/** An n×m matrix with ones on the diagonal. */
export function eye(n: number, m = n, options: CreationOptions = {}): Tensor {
  const dtype = options.dtype ?? 'float32';
  const values = allocArray(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) values[i * m + i] = 1;
  return fromArray(values, [n, m], { ...options, dtype });
}

function randomTensor(shape: Shape, options: RandomOptions, draw: (g: Generator) => number): Tensor {
  assertValidShape('random', shape);
  const generator = options.generator ?? globalGenerator;
  const values = new Float32Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = draw(generator);
  return fromArray(values, shape, { ...options, dtype: 'float32' });
}

/** Uniform samples in [low, high) from the seeded generator. */
export function rand(shape: Shape, options: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  const { low = 0, high = 1 } = options;
  return randomTensor(shape, options, (g) => low + (high - low) * g.uniform());
}

/** Normal samples (mean 0, std 1 unless given) from the seeded generator. */
export function randn(shape: Shape, options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const { mean = 0, std = 1 } = options;
  return randomTensor(shape, options, (g) => mean + std * g.normal());
}

/** Uniform integers in [low, high) from the seeded generator (int32). */
export function randint(low: number, high: number, shape: Shape, options: RandomOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ArgumentError(`randint: expected integers low < high, got low=${low}, high=${high}`);
  }
  assertValidShape('randint', shape);
  const generator = options.generator ?? globalGenerator;
  const values = new Int32Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = generator.integer(low, high);
  return fromArray(values, shape, { ...options, dtype: 'int32' });
}

export function randLike(t: Tensor, options: RandomOptions = {}): Tensor {
  return rand(t.shape, { device: t.device, ...options });
}

export function randnLike(t: Tensor, options: RandomOptions = {}): Tensor {
  return randn(t.shape, { device: t.device, ...options });
}

export function randintLike(t: Tensor, low: number, high: number, options: RandomOptions = {}): Tensor {
  return randint(low, high, t.shape, { device: t.device, ...options });
}
