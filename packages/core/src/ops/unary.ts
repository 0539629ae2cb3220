import type { Tensor } from '../tensor.js';
import { unaryOp } from './elementwise.js';

export const neg = (x: Tensor): Tensor => unaryOp('neg', x);
export const abs = (x: Tensor): Tensor => unaryOp('abs', x);
/** −1, 0 or 1; its gradient is zero. */
export const sign = (x: Tensor): Tensor => unaryOp('sign', x);
export const exp = (x: Tensor): Tensor => unaryOp('exp', x);
export const log = (x: Tensor): Tensor => unaryOp('log', x);
export const sqrt = (x: Tensor): Tensor => unaryOp('sqrt', x);
export const reciprocal = (x: Tensor): Tensor => unaryOp('reciprocal', x);
export const square = (x: Tensor): Tensor => unaryOp('square', x);
export const sin = (x: Tensor): Tensor => unaryOp('sin', x);
export const cos = (x: Tensor): Tensor => unaryOp('cos', x);
export const floor = (x: Tensor): Tensor => unaryOp('floor', x);
export const ceil = (x: Tensor): Tensor => unaryOp('ceil', x);
/** Rounds half to even, as PyTorch and NumPy do. */
export const round = (x: Tensor): Tensor => unaryOp('round', x);
export const log1p = (x: Tensor): Tensor => unaryOp('log1p', x);
export const expm1 = (x: Tensor): Tensor => unaryOp('expm1', x);
/** The Gauss error function (for exact GELU). */
export const erf = (x: Tensor): Tensor => unaryOp('erf', x);
/** The inverse sine, in [−π/2, π/2]; NaN outside [−1, 1]. Its gradient 1/√(1 − x²) is infinite at ±1. */
export const asin = (x: Tensor): Tensor => unaryOp('asin', x);
/** The inverse tangent, in (−π/2, π/2). */
export const atan = (x: Tensor): Tensor => unaryOp('atan', x);
