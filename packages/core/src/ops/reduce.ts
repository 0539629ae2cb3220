import type { ArgReduceOp, ReduceOp } from '../backend/backend.js';
import { ArgumentError, ShapeError } from '../errors.js';
import type { Axis, ReduceOptions, VarianceOptions } from '../op-options.js';
import { formatShape, normalizeAxes, normalizeAxis, type Shape, shapesEqual, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkBoolean, checkNumber, checkOptions } from '../validate.js';
import { add, div, mul, sub } from './arithmetic.js';
import { cast } from './cast.js';
import { eq } from './compare.js';
import { composite } from './composite.js';
import { assertTensor, record, runKernel } from './kernel.js';
import { broadcastTo, reshape } from './movement.js';
import { exp, log, sqrt, square } from './unary.js';

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

function reduceKernel(op: ReduceOp, x: Tensor, axes: number[], keepDims: boolean): Tensor {
  const shape = reducedShape(x.shape, axes, false);
  const dtype = x.dtype === 'bool' ? 'int32' : x.dtype;
  const input = x.dtype === 'bool' ? cast(x, 'int32') : x;
  const out = runKernel(op, [input], shape, dtype, (b) => b.reduce(op, input.info(), axes));
  if (input !== x) input.dispose();
  return keepDims ? reshapeNoGrad(out, keptShape(x.shape, axes)) : out;
}

function reshapeNoGrad(t: Tensor, shape: Shape): Tensor {
  const out = reshape(t, shape);
  t.dispose();
  return out;
}

/** Sum over `axis` (all axes by default). */
export function sum(x: Tensor, axis?: Axis, options: ReduceOptions = {}): Tensor {
  const axes = reductionAxes('sum', x, axis, options);
  const keepDims = options.keepDims ?? false;
  if (axes.length === 0) return reshape(x, x.shape);
  const out = reduceKernel('sum', x, axes, keepDims);
  return record('sum', out, [x], (g) => [broadcastTo(reshape(g, keptShape(x.shape, axes)), x.shape)]);
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
  const out = reduceKernel(op, x, axes, keepDims);
  // The gradient is shared equally among the elements that reach the extremum, as in PyTorch.
  return record(op, out, [x], (g) => {
    const kept = keptShape(x.shape, axes);
    const hits = cast(eq(x, reshape(out, kept)), 'float32');
    return [div(mul(hits, reshape(g, kept)), sum(hits, axes, { keepDims: true }))];
  });
}

export function max(x: Tensor, axis?: Axis, options: ReduceOptions = {}): Tensor {
  return extremum('max', x, axis, options);
}

export function min(x: Tensor, axis?: Axis, options: ReduceOptions = {}): Tensor {
  return extremum('min', x, axis, options);
}

/** Product over `axis`; its gradient divides by the inputs, so it assumes no zeros. */
export function prod(x: Tensor, axis?: Axis, options: ReduceOptions = {}): Tensor {
  const axes = reductionAxes('prod', x, axis, options);
  if (axes.length === 0) return reshape(x, x.shape);
  const out = reduceKernel('prod', x, axes, options.keepDims ?? false);
  return record('prod', out, [x], (g) => {
    const kept = keptShape(x.shape, axes);
    return [div(mul(reshape(g, kept), reshape(out, kept)), x)];
  });
}

/** Variance over `axis`, with Bessel's correction by default (as PyTorch). */
export function variance(x: Tensor, axis?: Axis, options: VarianceOptions = {}): Tensor {
  const axes = reductionAxes('var', x, axis, options);
  const count = sizeOf(axes.map((a) => x.shape[a]));
  const correction = options.correction ?? 1;
  const centered = sub(x, mean(x, axes, { keepDims: true }));
  return div(sum(square(centered), axes, { keepDims: options.keepDims }), Math.max(count - correction, 0));
}

/** Standard deviation over `axis`, with Bessel's correction by default. */
export function std(x: Tensor, axis?: Axis, options: VarianceOptions = {}): Tensor {
  reductionAxes('std', x, axis, options);
  return sqrt(variance(x, axis, options));
}

/** log(sum(exp(x))) over `axis`, computed stably by subtracting the maximum first. */
export function logsumexp(x: Tensor, axis?: Axis, options: ReduceOptions = {}): Tensor {
  const axes = reductionAxes('logsumexp', x, axis, options);
  const keepDims = options.keepDims ?? false;
  return composite(
    'logsumexp',
    [x],
    () => {
      const m = max(x, axes, { keepDims: true });
      const s = add(log(sum(exp(sub(x, m)), axes, { keepDims: true })), m);
      return keepDims ? s : reshape(s, reducedShape(x.shape, axes, false));
    },
    (g, out) => {
      const kept = keptShape(x.shape, axes);
      return [mul(reshape(g, kept), exp(sub(x, reshape(out, kept))))];
    },
  );
}

function argReduce(op: ArgReduceOp, x: Tensor, axis: number | undefined, options: ReduceOptions): Tensor {
  reductionAxes(op, x, undefined, options);
  if (axis === undefined) {
    const flat = reshape(x, [x.size]);
    const out = argReduce(op, flat, 0, {});
    flat.dispose();
    return options.keepDims
      ? reshapeNoGrad(
          out,
          x.shape.map(() => 1),
        )
      : out;
  }
  const a = normalizeAxis(op, axis, x.rank);
  if (x.rank > 0 && x.shape[a] === 0)
    throw new ShapeError(`${op}: cannot take ${op} over an empty dimension of ${formatShape(x.shape)}`);
  if (x.rank === 0) return runKernel(op, [x], [], 'int32', (b) => b.fill([], 0, 'int32'));
  const out = runKernel(op, [x], reducedShape(x.shape, [a], false), 'int32', (b) =>
    b.argReduce(op, x.info(), a),
  );
  return options.keepDims ? reshapeNoGrad(out, keptShape(x.shape, [a])) : out;
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
