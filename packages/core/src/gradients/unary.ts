/** The gradient rules of the `unary` kernels, one per UnaryOp: a new kernel without a rule does not compile. */
import type { UnaryOp } from '../backend/backend.js';
import { add, div, mul, sub } from '../ops/arithmetic.js';
import { zerosLike } from '../ops/creation.js';
import { cos, exp, neg, sign, sin, sqrt, square } from '../ops/unary.js';
import type { Tensor } from '../tensor.js';
import { activationGrad } from './fused.js';

/** d out / d x times `g`, from the input `x` and the output `out`; null when no gradient flows. */
export type UnaryGradRule = (g: Tensor, x: Tensor, out: Tensor) => Tensor | null;

const zero: UnaryGradRule = (g) => zerosLike(g);

export const UNARY_GRADIENTS: Record<UnaryOp, UnaryGradRule> = {
  neg: (g) => neg(g),
  abs: (g, x) => mul(g, sign(x)),
  sign: zero,
  exp: (g, _x, out) => mul(g, out),
  log: (g, x) => div(g, x),
  sqrt: (g, _x, out) => div(g, mul(out, 2)),
  reciprocal: (g, _x, out) => neg(mul(g, square(out))),
  square: (g, x) => mul(g, mul(x, 2)),
  sin: (g, x) => mul(g, cos(x)),
  cos: (g, x) => neg(mul(g, sin(x))),
  tanh: (g, _x, out) => activationGrad(g, out, 'tanh'),
  sigmoid: (g, _x, out) => activationGrad(g, out, 'sigmoid'),
  relu: (g, _x, out) => activationGrad(g, out, 'relu'),
  erf: (g, x) => mul(g, mul(exp(neg(square(x))), 2 / Math.sqrt(Math.PI))),
  floor: zero,
  ceil: zero,
  round: zero,
  log1p: (g, x) => div(g, add(x, 1)),
  expm1: (g, _x, out) => mul(g, add(out, 1)),
  asin: (g, x) => div(g, sqrt(sub(1, square(x)))),
  atan: (g, x) => div(g, add(square(x), 1)),
};
