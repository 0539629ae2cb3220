/**
 * The gradient rules of the arithmetic `binary` kernels, one per op (comparisons output bool and
 * are not differentiated). Rules return gradients in the broadcast output's shape; the table's
 * registration sums them back to each operand's shape.
 */
import type { BinaryOp } from '../backend/backend.js';
import { div, mul, pow, sub } from '../ops/arithmetic.js';
import { eq, ge, gt, lt, where } from '../ops/compare.js';
import { log, neg } from '../ops/unary.js';
import type { Tensor } from '../tensor.js';

/** The comparison kernels: their outputs are bool and carry no gradient. */
export type ComparisonOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export type ArithmeticOp = Exclude<BinaryOp, ComparisonOp>;

/** Gradients for `a` and `b` (null where none is needed), before summing over broadcast dimensions. */
export type BinaryGradRule = (g: Tensor, a: Tensor, b: Tensor, out: Tensor) => [Tensor | null, Tensor | null];

export const BINARY_GRADIENTS: Record<ArithmeticOp, BinaryGradRule> = {
  add: (g) => [g, g],
  sub: (g) => [g, neg(g)],
  mul: (g, a, b) => [mul(g, b), mul(g, a)],
  div: (g, _a, b, out) => [div(g, b), neg(div(mul(g, out), b))],
  // d/da = b·a^(b−1), taken as 0 where b = 0 (0·0⁻¹ would be NaN at a = 0); d/db = out·log a where a > 0.
  pow: (g, a, b, out) => [
    a.requiresGrad ? mul(g, where(eq(b, 0), 0, mul(b, pow(a, sub(b, 1))))) : null,
    b.requiresGrad ? where(gt(a, 0), mul(g, mul(out, log(a))), 0) : null,
  ],
  // Ties send the whole gradient to a (PyTorch splits it); see maximum's and minimum's TSDoc.
  maximum: (g, a, b) => {
    const pickA = ge(a, b);
    return [where(pickA, g, 0), where(pickA, 0, g)];
  },
  minimum: (g, a, b) => {
    const pickB = lt(b, a);
    return [where(pickB, 0, g), where(pickB, g, 0)];
  },
};
