import { noGrad } from '../autograd/grad-mode.js';
import type { ArgReduceOp, ReduceOp } from '../backend/backend.js';
import { ENGINE } from '../engine/engine.js';
import { ArgumentError, ShapeError } from '../errors.js';
import type { Axis, ReduceOptions, VarianceOptions } from '../op-options.js';
import { argReducePrimitive, reducePrimitive } from '../primitives/reduce.js';
import { formatShape, normalizeAxes, normalizeAxis, type Shape, shapesEqual, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkBoolean, checkNumber, checkOptions } from '../validate.js';
import { add, div, sub } from './arithmetic.js';
import { cast } from './cast.js';
import { eq, ne, where } from './compare.js';
import { full } from './creation.js';
import { reshape } from './movement.js';
import { assertTensor } from './operands.js';
import { abs, exp, log, sqrt, square } from './unary.js';

export type { Axis, ReduceOptions, VarianceOptions } from '../op-options.js';

/**
 * The one entry check of every reduction: `x` is a Tensor, `axis` names valid axes and the options
 * object holds values of the right types. Returns the normalized axes.
 */
function reductionAxes(op: string, x: Tensor, axis: Axis, options: unknown): number[] {
  assertTensor(op, x);
  const checked = checkOptions<VarianceOptions>(op, options);
  checkBoolean(op, 'keepDims', checked.keepDims);
  if (checked.correction !== undefined)
    checkNumber(op, 'correction', checked.correction, { finite: true, min: 0 });
  return normalizeAxes(op, axis, x.rank);
}

function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  return keepDims ? keptShape(shape, axes) : shape.filter((_, i) => !axes.includes(i));
}

/** The reduction primitive over `axes` (bool input summed as int32), its output shaped as `keepDims` asks. */
function reduction(op: ReduceOp, x: Tensor, axes: number[], keepDims: boolean): Tensor {
  const shape = reducedShape(x.shape, axes, keepDims);
  if (x.dtype !== 'bool') return reducePrimitive(op, x, axes, shape);
  const input = cast(x, 'int32');
  const out = reducePrimitive(op, x, axes, shape, input);
  input.dispose();
  return out;
}

/** Sum over `axis` (all axes by default). */
export function sum(x: Tensor, axis?: Axis, options: ReduceOptions = {}): Tensor {
  const axes = reductionAxes('sum', x, axis, options);
  const keepDims = options.keepDims ?? false;
  if (axes.length === 0) return reshape(x, x.shape);
  return reduction('sum', x, axes, keepDims);
}

/** Mean over `axis` (all axes by default). */
export function mean(x: Tensor, axis?: Axis, options: ReduceOptions = {}): Tensor {
  const axes = reductionAxes('mean', x, axis, options);
  const count = sizeOf(axes.map((a) => x.shape[a]));
  return div(sum(x, axes, options), count);
}

function extremum(op: 'max' | 'min', x: Tensor, axis: Axis, options: ReduceOptions): Tensor {
  const axes = reductionAxes(op, x, axis, options);
  if (axes.some((a) => x.shape[a] === 0))
    throw new ShapeError(`${op}: cannot reduce over an empty dimension of ${formatShape(x.shape)}`);
  if (axes.length === 0) return reshape(x, x.shape);
  const keepDims = options.keepDims ?? false;
  return reduction(op, x, axes, keepDims);
}

/** Maximum over `axis`; the gradient is shared equally among the elements that reach it, as in PyTorch. */
export function max(x: Tensor, axis?: Axis, options: ReduceOptions = {}): Tensor {
  return extremum('max', x, axis, options);
}

/** Minimum over `axis`; the gradient is shared equally among the elements that reach it, as in PyTorch. */
export function min(x: Tensor, axis?: Axis, options: ReduceOptions = {}): Tensor {
  return extremum('min', x, axis, options);
}

/** Product over `axis`. Its gradient is exact with zeros in the input (`prod([2, 0, 3])` has gradient `[0, 6, 0]`). */
export function prod(x: Tensor, axis?: Axis, options: ReduceOptions = {}): Tensor {
  const axes = reductionAxes('prod', x, axis, options);
  if (axes.length === 0) return reshape(x, x.shape);
  return reduction('prod', x, axes, options.keepDims ?? false);
}

/** Variance over `axis`, with Bessel's correction by default (as PyTorch). */
export function variance(x: Tensor, axis?: Axis, options: VarianceOptions = {}): Tensor {
  const axes = reductionAxes('var', x, axis, options);
  const count = sizeOf(axes.map((a) => x.shape[a]));
  const correction = options.correction ?? 1;
  const centered = sub(x, mean(x, axes, { keepDims: true }));
  return div(sum(square(centered), axes, { keepDims: options.keepDims }), Math.max(count - correction, 0));
}

/**
 * Standard deviation over `axis`, with Bessel's correction by default. Where it is 0 (a constant
 * row) its gradient is 0, as in PyTorch, not the 0·∞ of the square root's.
 */
export function std(x: Tensor, axis?: Axis, options: VarianceOptions = {}): Tensor {
  reductionAxes('std', x, axis, options);
  return sqrtWithZeroGradAtZero(variance(x, axis, options));
}

/**
 * √v with gradient 0 where v = 0: the square root only sees v where v ≠ 0 (1 elsewhere), and
 * `where` sends no gradient to the branch it does not pick, so nothing multiplies 0 by ∞.
 */
function sqrtWithZeroGradAtZero(v: Tensor): Tensor {
  const nonzero = ne(v, 0);
  return where(nonzero, sqrt(where(nonzero, v, 1)), 0);
}

/**
 * log(sum(exp(x))) over `axis`, computed stably by subtracting the maximum first. A row whose
 * maximum is infinite gives that infinity (all −∞ → −∞, any +∞ → +∞) and an empty axis gives −∞,
 * as in PyTorch. Its gradient is softmax(x), by composition: the shift is a constant to autograd.
 */
export function logsumexp(x: Tensor, axis?: Axis, options: ReduceOptions = {}): Tensor {
  const axes = reductionAxes('logsumexp', x, axis, options);
  const keepDims = options.keepDims ?? false;
  if (axes.some((a) => x.shape[a] === 0))
    return full(reducedShape(x.shape, axes, keepDims), Number.NEGATIVE_INFINITY, { device: x.device });
  const shift = ENGINE.tidy(() =>
    noGrad(() => {
      const m = max(x, axes, { keepDims: true });
      return where(eq(abs(m), Number.POSITIVE_INFINITY), 0, m);
    }),
  );
  const out = add(log(sum(exp(sub(x, shift)), axes, { keepDims: true })), shift);
  return keepDims ? out : reshape(out, reducedShape(x.shape, axes, false));
}

function argReduce(op: ArgReduceOp, x: Tensor, axis: number | undefined, options: ReduceOptions): Tensor {
  reductionAxes(op, x, undefined, options);
  const keepDims = options.keepDims ?? false;
  if (axis === undefined) {
    if (x.size === 0)
      throw new ShapeError(`${op}: cannot take ${op} over an empty dimension of ${formatShape([0])}`);
    return argReducePrimitive(op, x, 0, [x.size], keepDims ? x.shape.map(() => 1) : []);
  }
  const a = normalizeAxis(op, axis, x.rank);
  if (x.rank > 0 && x.shape[a] === 0)
    throw new ShapeError(`${op}: cannot take ${op} over an empty dimension of ${formatShape(x.shape)}`);
  if (x.rank === 0) return full([], 0, { device: x.device, dtype: 'int32' });
  return argReducePrimitive(op, x, a, x.shape, reducedShape(x.shape, [a], keepDims));
}

/** Index of the first maximum along `axis` (of the flattened tensor when undefined), int32. */
export function argmax(x: Tensor, axis?: number, options: ReduceOptions = {}): Tensor {
  return argReduce('argmax', x, axis, options);
}

/** Index of the first minimum along `axis` (of the flattened tensor when undefined), int32. */
export function argmin(x: Tensor, axis?: number, options: ReduceOptions = {}): Tensor {
  return argReduce('argmin', x, axis, options);
}

/** Sums a broadcast gradient back down to `shape` (the inverse of NumPy broadcasting). */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  if (lead < 0)
    throw new ArgumentError(
      `sumToShape: gradient ${formatShape(g.shape)} has lower rank than ${formatShape(shape)}`,
    );
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  return reshape(sum(g, axes), shape);
}
