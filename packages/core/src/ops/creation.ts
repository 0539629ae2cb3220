import { describeValue } from '../describe.js';
import { type DType, type TypedArray, toDTypeArray } from '../dtype.js';
import { ENGINE } from '../engine/engine.js';
import { makeTensor } from '../engine/make-tensor.js';
import { ArgumentError, DTypeError, ShapeError } from '../errors.js';
import { Generator, globalGenerator } from '../random/generator.js';
import { assertValidShape, formatShape, type Shape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkBoolean, checkNumber, checkOptions, MAX_ELEMENTS, resolveDType } from '../validate.js';
import { assertTensor } from './operands.js';

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

function backendFor(op: string, device: unknown) {
  if (device === undefined) return ENGINE.activeBackend();
  if (typeof device !== 'string')
    throw new ArgumentError(`${op}: device must be a backend name, got ${describeValue(device)}`);
  return ENGINE.backendByName(device);
}

const CREATION_OPTIONS = ['dtype', 'requiresGrad', 'device'] as const;
const RANDOM_OPTIONS = [...CREATION_OPTIONS, 'generator'] as const;

/** The one check of a creation op's options: a plain object of known keys with values of the right types. */
function creationOptions<T extends CreationOptions>(
  op: string,
  options: unknown,
  known: readonly string[],
): T {
  const checked = checkOptions<T>(op, options, known);
  if (checked.dtype !== undefined) resolveDType(op, checked.dtype);
  checkBoolean(op, 'requiresGrad', checked.requiresGrad);
  return checked;
}

/** The generator a random op draws from: the option when given (it must be a Generator), else the global one. */
function generatorOf(op: string, options: RandomOptions): Generator {
  const g = options.generator;
  if (g === undefined) return globalGenerator;
  if (!(g instanceof Generator))
    throw new ArgumentError(`${op}: generator must be a Generator, got ${describeValue(g)}`);
  return g;
}

/** Refuses a dtype option a random op cannot honour (rand and randn draw float32, randint int32). */
function fixedDType(op: string, options: CreationOptions, dtype: DType): DType {
  if (options.dtype !== undefined && options.dtype !== dtype)
    throw new DTypeError(
      `${op}: draws ${dtype} values, got dtype '${options.dtype}' (expected '${dtype}' or none)`,
    );
  return dtype;
}

/** Uploads a flat array as a new tensor. */
export function fromArray(
  values: TypedArray | readonly number[],
  shape: Shape,
  options: CreationOptions = {},
): Tensor {
  return upload('fromArray', values, shape, creationOptions('fromArray', options, CREATION_OPTIONS));
}

/** Checks and uploads flat values; every creation op ends here, so every value is checked against its dtype. */
function upload(
  op: string,
  values: TypedArray | readonly number[],
  shape: Shape,
  options: CreationOptions,
): Tensor {
  if (!Array.isArray(values) && !ArrayBuffer.isView(values)) {
    throw new ArgumentError(
      `${op}: values must be an array or a typed array of numbers, got ${describeValue(values)}`,
    );
  }
  if (values instanceof DataView || values instanceof BigInt64Array || values instanceof BigUint64Array) {
    throw new DTypeError(`${op}: values must hold numbers, got a ${values.constructor.name}`);
  }
  assertValidShape(op, shape);
  const dtype = resolveDType(op, options.dtype, inferDType(values as TypedArray));
  if (values.length !== sizeOf(shape)) {
    throw new ShapeError(
      `${op}: ${values.length} values cannot fill shape ${formatShape(shape)} (${sizeOf(shape)} elements)`,
    );
  }
  const backend = backendFor(op, options.device);
  const data = toDTypeArray(values as ArrayLike<number>, dtype, op, backend.allocate?.bind(backend));
  const t = makeTensor(backend, backend.write(data, shape, dtype), shape, dtype);
  if (options.requiresGrad) setRequiresGrad(op, t);
  return t;
}

function setRequiresGrad(op: string, t: Tensor): void {
  if (t.dtype !== 'float32')
    throw new DTypeError(`${op}: only float32 tensors can require gradients, got ${t.dtype}`);
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
  const { shape: given, ...rest } = creationOptions<CreationOptions & { shape?: Shape }>('tensor', options, [
    ...CREATION_OPTIONS,
    'shape',
  ]);
  if (given !== undefined) assertValidShape('tensor', given);
  if (ArrayBuffer.isView(values))
    return upload('tensor', values as TypedArray, given ?? [values.length], rest);
  if (typeof values !== 'number' && typeof values !== 'boolean' && !Array.isArray(values)) {
    throw new ArgumentError(
      `tensor: expected a number, a boolean, nested arrays of them or a typed array, got ${describeValue(values)}`,
    );
  }
  const shape = inferShape(values);
  assertValidShape('tensor', shape);
  const flat: number[] = [];
  let sawBool = false;
  flatten(values, shape, 0, flat, (b) => (sawBool ||= b));
  const dtype = rest.dtype ?? (sawBool ? 'bool' : 'float32');
  return upload('tensor', flat, given ?? shape, { ...rest, dtype });
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
    else throw new ArgumentError(`tensor: expected numbers or booleans, got ${describeValue(v)}`);
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
  return filled('full', shape, value, options);
}

/**
 * A filled tensor. The fill value converts as `cast` does (toward zero for int32, nonzero → 1 for
 * bool, as PyTorch's `full`), but a value that would wrap (outside int32's range) or has no integer
 * value (NaN, ±Infinity) is refused.
 */
function filled(op: string, shape: Shape, value: number | boolean, options: CreationOptions): Tensor {
  assertValidShape(op, shape);
  const checked = creationOptions(op, options, CREATION_OPTIONS);
  const dtype = resolveDType(op, checked.dtype, 'float32');
  const number = fillValue(op, value, dtype);
  const backend = backendFor(op, checked.device);
  const t = makeTensor(backend, backend.fill(shape, number, dtype), shape, dtype);
  if (checked.requiresGrad) setRequiresGrad(op, t);
  return t;
}

function fillValue(op: string, value: unknown, dtype: DType): number {
  const number = typeof value === 'boolean' ? Number(value) : value;
  // float32 takes any number, NaN and ±Infinity included; toDTypeArray refuses non-numbers.
  if (dtype === 'float32') return toDTypeArray([number as number], dtype, op)[0];
  if (dtype === 'bool') return checkNumber(op, 'value', number, { finite: true }) !== 0 ? 1 : 0;
  const truncated = Math.trunc(checkNumber(op, 'value', number, { finite: true }));
  toDTypeArray([truncated], dtype, op);
  return truncated;
}

export function zeros(shape: Shape, options: CreationOptions = {}): Tensor {
  return filled('zeros', shape, 0, options);
}

export function ones(shape: Shape, options: CreationOptions = {}): Tensor {
  return filled('ones', shape, 1, options);
}

function likeOptions(op: string, t: Tensor, options: CreationOptions): CreationOptions {
  assertTensor(op, t);
  return { dtype: t.dtype, device: t.device, ...creationOptions(op, options, CREATION_OPTIONS) };
}

export function zerosLike(t: Tensor, options: CreationOptions = {}): Tensor {
  return filled('zerosLike', t?.shape, 0, likeOptions('zerosLike', t, options));
}

export function onesLike(t: Tensor, options: CreationOptions = {}): Tensor {
  return filled('onesLike', t?.shape, 1, likeOptions('onesLike', t, options));
}

export function fullLike(t: Tensor, value: number, options: CreationOptions = {}): Tensor {
  return filled('fullLike', t?.shape, value, likeOptions('fullLike', t, options));
}

/** Values from `start` up to (not including) `end` by `step`, like Python's range; int32 when all arguments are integers. */
export function arange(start: number, end?: number, step = 1, options: CreationOptions = {}): Tensor {
  checkNumber('arange', 'start', start, { finite: true });
  if (end !== undefined) checkNumber('arange', 'end', end, { finite: true });
  const [from, to] = end === undefined ? [0, start] : [start, end];
  if (step === 0 || typeof step !== 'number' || !Number.isFinite(step))
    throw new ArgumentError(`arange: step must be a finite non-zero number, got ${describeValue(step)}`);
  const n = Math.max(0, Math.ceil((to - from) / step));
  if (n > MAX_ELEMENTS)
    throw new ArgumentError(
      `arange: [${from}, ${to}) by ${step} has ${n} values, more than a tensor can hold (at most ${MAX_ELEMENTS})`,
    );
  const checked = creationOptions('arange', options, CREATION_OPTIONS);
  const dtype = resolveDType(
    'arange',
    checked.dtype,
    Number.isInteger(from) && Number.isInteger(to) && Number.isInteger(step) ? 'int32' : 'float32',
  );
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = from + i * step;
  return upload('arange', values as unknown as TypedArray, [n], { ...checked, dtype });
}

/** `steps` evenly spaced values from `start` to `end` inclusive. */
export function linspace(start: number, end: number, steps: number, options: CreationOptions = {}): Tensor {
  checkNumber('linspace', 'start', start, { finite: true });
  checkNumber('linspace', 'end', end, { finite: true });
  checkNumber('linspace', 'steps', steps, { integer: true, min: 0, max: MAX_ELEMENTS });
  const values = new Float32Array(steps);
  for (let i = 0; i < steps; i++) values[i] = steps === 1 ? start : start + ((end - start) * i) / (steps - 1);
  return upload('linspace', values, [steps], creationOptions('linspace', options, CREATION_OPTIONS));
}

/** An n×m matrix with ones on the diagonal. */
export function eye(n: number, m = n, options: CreationOptions = {}): Tensor {
  checkNumber('eye', 'n', n, { integer: true, min: 0 });
  checkNumber('eye', 'm', m, { integer: true, min: 0 });
  assertValidShape('eye', [n, m]);
  const checked = creationOptions('eye', options, CREATION_OPTIONS);
  const values = new Float32Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) values[i * m + i] = 1;
  return upload('eye', values, [n, m], { ...checked, dtype: resolveDType('eye', checked.dtype, 'float32') });
}

function randomTensor(
  op: string,
  shape: Shape,
  options: RandomOptions,
  draw: (g: Generator) => number,
): Tensor {
  assertValidShape(op, shape);
  const generator = generatorOf(op, options);
  const values = new Float32Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = draw(generator);
  const { generator: _, ...rest } = options;
  return upload(op, values, shape, { ...rest, dtype: fixedDType(op, options, 'float32') });
}

/** Uniform samples in [low, high) from the seeded generator; low ≤ high, both finite. */
export function rand(shape: Shape, options: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  const {
    low = 0,
    high = 1,
    ...rest
  } = creationOptions<RandomOptions & { low?: number; high?: number }>('rand', options, [
    ...RANDOM_OPTIONS,
    'low',
    'high',
  ]);
  checkNumber('rand', 'low', low, { finite: true });
  checkNumber('rand', 'high', high, { finite: true });
  if (low > high)
    throw new ArgumentError(`rand: low ${low} is greater than high ${high} (expected low <= high)`);
  return randomTensor('rand', shape, rest, (g) => low + (high - low) * g.uniform());
}

/** Normal samples (mean 0, std 1 unless given, std ≥ 0) from the seeded generator. */
export function randn(shape: Shape, options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const {
    mean = 0,
    std = 1,
    ...rest
  } = creationOptions<RandomOptions & { mean?: number; std?: number }>('randn', options, [
    ...RANDOM_OPTIONS,
    'mean',
    'std',
  ]);
  checkNumber('randn', 'mean', mean, { finite: true });
  checkNumber('randn', 'std', std, { finite: true, min: 0 });
  return randomTensor('randn', shape, rest, (g) => mean + std * g.normal());
}

/** Uniform integers in [low, high) from the seeded generator (int32). */
export function randint(low: number, high: number, shape: Shape, options: RandomOptions = {}): Tensor {
  if (
    typeof low !== 'number' ||
    typeof high !== 'number' ||
    !Number.isInteger(low) ||
    !Number.isInteger(high) ||
    high <= low
  ) {
    throw new ArgumentError(
      `randint: expected integers low < high, got low=${describeValue(low)}, high=${describeValue(high)}`,
    );
  }
  checkNumber('randint', 'low', low, { min: -(2 ** 31) });
  checkNumber('randint', 'high', high, { max: 2 ** 31 });
  assertValidShape('randint', shape);
  const checked = creationOptions<RandomOptions>('randint', options, RANDOM_OPTIONS);
  const generator = generatorOf('randint', checked);
  const values = new Int32Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = generator.integer(low, high);
  const { generator: _, ...rest } = checked;
  return upload('randint', values, shape, { ...rest, dtype: fixedDType('randint', checked, 'int32') });
}

export function randLike(t: Tensor, options: RandomOptions = {}): Tensor {
  assertTensor('randLike', t);
  return rand(t.shape, { device: t.device, ...checkOptions('randLike', options, RANDOM_OPTIONS) });
}

export function randnLike(t: Tensor, options: RandomOptions = {}): Tensor {
  assertTensor('randnLike', t);
  return randn(t.shape, { device: t.device, ...checkOptions('randnLike', options, RANDOM_OPTIONS) });
}

export function randintLike(t: Tensor, low: number, high: number, options: RandomOptions = {}): Tensor {
  assertTensor('randintLike', t);
  return randint(low, high, t.shape, {
    device: t.device,
    ...checkOptions('randintLike', options, RANDOM_OPTIONS),
  });
}
