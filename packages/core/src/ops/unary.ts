import type { UnaryOp } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';
import { checkNumber } from '../validate.js';
import { add, div, maximum, minimum, mul } from './arithmetic.js';
import { cast } from './cast.js';
import { ge, le, where } from './compare.js';
import { composite } from './composite.js';
import { zerosLike } from './creation.js';
import { assertTensor, record, runKernel } from './kernel.js';

/** Ops that keep integer dtypes; every other unary op computes in float32. */
const INTEGER_SAFE: ReadonlySet<UnaryOp> = new Set(['neg', 'abs', 'sign', 'square', 'relu']);

type UnaryGrad = (g: Tensor, x: Tensor, out: Tensor) => Tensor | null;

/** Runs a unary kernel (casting integer input to float32 where the op needs it) and records its gradient. */
export function unary(op: UnaryOp, x: Tensor, grad: UnaryGrad): Tensor {
  assertTensor(op, x);
  const input =
    x.dtype === 'float32' || (INTEGER_SAFE.has(op) && x.dtype === 'int32') ? x : cast(x, 'float32');
  const out = runKernel(op, [input], input.shape, input.dtype, (b) => b.unary(op, input.info()));
  if (input !== x) input.dispose();
  return record(op, out, [x], (g) => [grad(g, x, out)]);
}

export const neg = (x: Tensor): Tensor => unary('neg', x, (g) => neg(g));
export const abs = (x: Tensor): Tensor => unary('abs', x, (g, v) => mul(g, sign(v)));
/** −1, 0 or 1; its gradient is zero. */
export const sign = (x: Tensor): Tensor => unary('sign', x, (g) => zerosLike(g));
export const exp = (x: Tensor): Tensor => unary('exp', x, (g, _, out) => mul(g, out));
export const log = (x: Tensor): Tensor => unary('log', x, (g, v) => div(g, v));
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x, (g, _, out) => div(g, mul(out, 2)));
export const reciprocal = (x: Tensor): Tensor =>
  unary('reciprocal', x, (g, _, out) => neg(mul(g, square(out))));
export const square = (x: Tensor): Tensor => unary('square', x, (g, v) => mul(g, mul(v, 2)));
export const sin = (x: Tensor): Tensor => unary('sin', x, (g, v) => mul(g, cos(v)));
export const cos = (x: Tensor): Tensor => unary('cos', x, (g, v) => neg(mul(g, sin(v))));
export const floor = (x: Tensor): Tensor => unary('floor', x, (g) => zerosLike(g));
export const ceil = (x: Tensor): Tensor => unary('ceil', x, (g) => zerosLike(g));
/** Rounds half to even, as PyTorch and NumPy do. */
export const round = (x: Tensor): Tensor => unary('round', x, (g) => zerosLike(g));
export const log1p = (x: Tensor): Tensor => unary('log1p', x, (g, v) => div(g, add(v, 1)));
export const expm1 = (x: Tensor): Tensor => unary('expm1', x, (g, _, out) => mul(g, add(out, 1)));
/** The Gauss error function (for exact GELU). */
export const erf = (x: Tensor): Tensor =>
  unary('erf', x, (g, v) => mul(g, mul(exp(neg(square(v))), 2 / Math.sqrt(Math.PI))));

/** Limits values to [min, max]; the gradient flows where the input is inside the range. */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  assertTensor('clamp', x);
  if (min !== undefined) checkNumber('clamp', 'min', min);
  if (max !== undefined) checkNumber('clamp', 'max', max);
  return composite(
    'clamp',
    [x],
    () => {
      const low = min === undefined ? x : maximum(x, min);
      return max === undefined ? cast(low, low.dtype) : minimum(low, max);
    },
    (g) => {
      let inside = g;
      if (min !== undefined) inside = where(ge(x, min), inside, zerosLike(g));
      if (max !== undefined) inside = where(le(x, max), inside, zerosLike(g));
      return [inside];
    },
  );
}
