import type { Tensor } from '../tensor.js';
import { add, mul, sub } from './arithmetic.js';
import { cast } from './cast.js';
import { gt } from './compare.js';
import { composite } from './composite.js';
import { abs, exp, log1p, neg, square, unary } from './unary.js';

/** 1 / (1 + e^−x), computed without overflow for large |x|. */
export const sigmoid = (x: Tensor): Tensor =>
  unary('sigmoid', x, (g, _, out) => mul(g, mul(out, sub(1, out))));

export const tanh = (x: Tensor): Tensor => unary('tanh', x, (g, _, out) => mul(g, sub(1, square(out))));

/** max(x, 0); the gradient at 0 is 0, as in PyTorch. */
export const relu = (x: Tensor): Tensor => unary('relu', x, (g, v) => mul(g, cast(gt(v, 0), g.dtype)));

/** log(1 + e^x), stable for large |x|: max(x, 0) + log1p(e^−|x|). Its gradient is sigmoid(x). */
export function softplus(x: Tensor): Tensor {
  return composite(
    'softplus',
    [x],
    () => add(relu(x), log1p(exp(neg(abs(x))))),
    (g) => [mul(g, sigmoid(x))],
  );
}
