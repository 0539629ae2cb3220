/** The gradient rules of the `reduce` kernels, one per ReduceOp. */
import type { ReduceOp } from '../backend/backend.js';
import { div, mul } from '../ops/arithmetic.js';
import { cast } from '../ops/cast.js';
import { eq, where } from '../ops/compare.js';
import { broadcastTo, reshape } from '../ops/movement.js';
import { prod, sum } from '../ops/reduce.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';

/**
 * d out / d x times `g` for a reduction of `x` over `axes`; `g` and `out` come in the kept shape
 * (reduced axes of size 1), so they broadcast against `x`.
 */
export type ReduceGradRule = (g: Tensor, x: Tensor, out: Tensor, axes: readonly number[]) => Tensor;

/** `x.shape` with the reduced axes kept as size 1. */
export function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** The gradient is shared equally among the elements that reach the extremum, as in PyTorch. */
const extremum: ReduceGradRule = (g, x, out, axes) => {
  const hits = cast(eq(x, out), 'float32');
  return div(mul(hits, g), sum(hits, [...axes], { keepDims: true }));
};

export const REDUCE_GRADIENTS: Record<ReduceOp, ReduceGradRule> = {
  sum: (g, x) => broadcastTo(g, x.shape),
  max: extremum,
  min: extremum,
  // The product of the other elements, without dividing by a zero: with no zero in the row it is
  // out / x; with one zero, the product of the rest at the zero and 0 elsewhere; with more, 0.
  prod: (g, x, out, axes) => {
    const isZero = eq(x, 0);
    const zeros = sum(cast(isZero, 'float32'), [...axes], { keepDims: true });
    const safeX = where(isZero, 1, x);
    const othersIfNoZero = div(out, safeX);
    const productOfNonzeros = prod(safeX, [...axes], { keepDims: true });
    const atTheOnlyZero = where(isZero, productOfNonzeros, 0);
    const local = where(eq(zeros, 0), othersIfNoZero, where(eq(zeros, 1), atTheOnlyZero, 0));
    return mul(g, local);
  },
};

/** Reshapes a reduction's output-shaped tensor to the kept shape. */
export function toKept(t: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return reshape(t, keptShape(x.shape, axes));
}
