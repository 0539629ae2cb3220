/**
 * Elementwise math beyond the backend's kernels, composed from core's primitives with PyTorch's
 * semantics; each gradient comes from the composition. Where a formula has a branch that would
 * overflow or divide by zero, both branches get inputs clamped to their safe range first, so the
 * branch not taken contributes no NaN to the gradient.
 */
import { describeValue } from '../describe.js';
import { ArgumentError, DTypeError } from '../errors.js';
import { Tensor, type TensorOrScalar } from '../tensor.js';
import { add, div, maximum, minimum, mul, pow, sub } from './arithmetic.js';
import { cast } from './cast.js';
import { eq, ge, gt, le, lt, ne, where } from './compare.js';
import { assertTensor, composed } from './compose.js';
import { full } from './creation.js';
import { detach } from './device.js';
import { logicalAnd, logicalOr } from './logic.js';
import {
  abs,
  asin,
  atan,
  ceil,
  cos,
  exp,
  expm1,
  floor,
  log,
  log1p,
  reciprocal,
  sin,
  sqrt,
  square,
} from './unary.js';

const LN2 = Math.LN2;
/** Above this magnitude asinh/acosh use log(2x): the next term, 1/(4x²), is below float32's resolution. */
const LARGE = 2 ** 12;

function floatInput(op: string, x: Tensor): Tensor {
  assertTensor(op, x);
  return x.dtype === 'float32' ? x : cast(x, 'float32');
}

/** tan(x) = sin(x) / cos(x). */
export function tan(x: Tensor): Tensor {
  assertTensor('tan', x);
  return composed([x], () => {
    const v = floatInput('tan', x);
    return div(sin(v), cos(v));
  });
}

/** sinh(x) = (expm1(x) − expm1(−x)) / 2, exact near 0. */
export function sinh(x: Tensor): Tensor {
  assertTensor('sinh', x);
  return composed([x], () => {
    const v = floatInput('sinh', x);
    return mul(sub(expm1(v), expm1(mul(v, -1))), 0.5);
  });
}

/** cosh(x) = (eˣ + e⁻ˣ) / 2. */
export function cosh(x: Tensor): Tensor {
  assertTensor('cosh', x);
  return composed([x], () => {
    const v = floatInput('cosh', x);
    return mul(add(exp(v), exp(mul(v, -1))), 0.5);
  });
}

/** The sign of x as ±1 (+1 at zero), a constant for the gradient: odd functions are s·f(s·x). */
function unitSign(x: Tensor): Tensor {
  return where(lt(x, 0), -1, 1);
}

/** asinh(x) = sign(x)·log1p(|x| + x²/(1 + √(1 + x²))), and sign(x)·log(2|x|) for large |x|. */
export function asinh(x: Tensor): Tensor {
  assertTensor('asinh', x);
  return composed([x], () => {
    const v = floatInput('asinh', x);
    const s = unitSign(v);
    const a = mul(v, s);
    const small = minimum(a, LARGE);
    const near = log1p(add(small, div(square(small), add(sqrt(add(square(small), 1)), 1))));
    const far = add(log(maximum(a, LARGE)), LN2);
    return mul(where(gt(a, LARGE), far, near), s);
  });
}

/** acosh(x) = log1p(t + √(t(t + 2))) with t = x − 1 (exact near 1), log(2x) for large x; NaN below 1. */
export function acosh(x: Tensor): Tensor {
  assertTensor('acosh', x);
  return composed([x], () => {
    const v = floatInput('acosh', x);
    const t = sub(minimum(v, LARGE), 1);
    const near = log1p(add(t, sqrt(mul(t, add(t, 2)))));
    const far = add(log(maximum(v, LARGE)), LN2);
    // NaN below 1 and for NaN explicitly: some GPUs' sqrt of a negative number is finite.
    return where(ge(v, 1), where(gt(v, LARGE), far, near), Number.NaN);
  });
}

/** atanh(x) = ½·log1p(2x / (1 − x)): ±∞ at ±1, NaN outside [−1, 1]. */
export function atanh(x: Tensor): Tensor {
  assertTensor('atanh', x);
  return composed([x], () => {
    const v = floatInput('atanh', x);
    return mul(log1p(div(mul(v, 2), sub(1, v))), 0.5);
  });
}

/** Base-2 logarithm. */
export function log2(x: Tensor): Tensor {
  assertTensor('log2', x);
  return composed([x], () => mul(log(x), 1 / LN2));
}

/** Base-10 logarithm. */
export function log10(x: Tensor): Tensor {
  assertTensor('log10', x);
  return composed([x], () => mul(log(x), 1 / Math.LN10));
}

/** 2ˣ (exact at integers, through the pow kernel). */
export function exp2(x: Tensor): Tensor {
  assertTensor('exp2', x);
  return composed([x], () => pow(2, x));
}

/** 1 / √x. */
export function rsqrt(x: Tensor): Tensor {
  assertTensor('rsqrt', x);
  return composed([x], () => reciprocal(sqrt(x)));
}

/** Rounds toward zero (torch.trunc); integer input is returned as a copy. Its gradient is zero. */
export function trunc(x: Tensor): Tensor {
  assertTensor('trunc', x);
  if (x.dtype !== 'float32') return cast(x, x.dtype);
  return composed([x], () => where(lt(x, 0), ceil(x), floor(x)));
}

function binaryArgs(op: string, a: TensorOrScalar, b: TensorOrScalar): void {
  for (const [v, which] of [
    [a, 'first'],
    [b, 'second'],
  ] as const) {
    if (!(v instanceof Tensor) && typeof v !== 'number')
      throw new ArgumentError(
        `${op}: ${which} operand must be a Tensor or a number, got ${describeValue(v)}`,
      );
  }
  if (!(a instanceof Tensor) && !(b instanceof Tensor))
    throw new DTypeError(`${op}: expected at least one tensor operand, got two numbers (${a}, ${b})`);
}

/** Both operands int32 (or bool)? Then an integer op returns int32, as PyTorch's does. */
function integerPair(a: TensorOrScalar, b: TensorOrScalar): boolean {
  const isInt = (v: TensorOrScalar) => (v instanceof Tensor ? v.dtype !== 'float32' : Number.isInteger(v));
  return isInt(a) && isInt(b);
}

/**
 * The remainder of a truncated or floored division: `a − q·b`, then one correction step that
 * keeps the result's sign and magnitude right where float32 rounded the quotient across an integer.
 */
function modulo(op: 'fmod' | 'remainder', a: TensorOrScalar, b: TensorOrScalar): Tensor {
  binaryArgs(op, a, b);
  return composed([a as Tensor, b as Tensor], () => {
    const q = div(a, b);
    const whole = op === 'fmod' ? where(lt(q, 0), ceil(q), floor(q)) : floor(q);
    let r = sub(a, mul(detach(whole), b));
    // The sign the result must have: the dividend's (fmod) or the divisor's (remainder).
    const guide = op === 'fmod' ? a : b;
    const s = guide instanceof Tensor ? where(lt(guide, 0), -1, 1) : guide < 0 ? -1 : 1;
    const size = b instanceof Tensor ? abs(b) : Math.abs(b);
    const step = typeof size === 'number' && typeof s === 'number' ? size * s : mul(size, s);
    r = where(lt(mul(r, s), 0), add(r, step), r);
    r = where(ge(abs(r), size), sub(r, step), r);
    return integerPair(a, b) ? cast(r, 'int32') : r;
  });
}

/**
 * C's fmod (torch.fmod): `a − trunc(a/b)·b`, with the sign of the dividend `a`. Integer operands
 * give int32 (an integer divisor of 0 gives an unspecified value, where PyTorch raises). Gradients: 1 for `a`,
 * −trunc(a/b) for `b`.
 */
export function fmod(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return modulo('fmod', a, b);
}

/**
 * Python's modulo (torch.remainder): `a − floor(a/b)·b`, with the sign of the divisor `b`. Integer
 * operands give int32. Gradients: 1 for `a`, −floor(a/b) for `b`.
 */
export function remainder(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return modulo('remainder', a, b);
}

/**
 * Linear interpolation `start + weight·(end − start)` (torch.lerp), computed as PyTorch does:
 * from `end` backwards when |weight| ≥ ½, so `weight = 1` gives exactly `end`.
 */
export function lerp(start: Tensor, end: Tensor, weight: TensorOrScalar): Tensor {
  assertTensor('lerp', start, 'start');
  assertTensor('lerp', end, 'end');
  if (!(weight instanceof Tensor) && typeof weight !== 'number')
    throw new ArgumentError(`lerp: weight must be a Tensor or a number, got ${describeValue(weight)}`);
  return composed([start, end, weight], () => {
    const diff = sub(end, start);
    if (typeof weight === 'number')
      return weight < 0.5 && weight > -0.5 ? add(start, mul(diff, weight)) : sub(end, mul(diff, 1 - weight));
    const low = lt(abs(weight), 0.5);
    return where(low, add(start, mul(diff, weight)), sub(end, mul(diff, sub(1, weight))));
  });
}

/**
 * `x · log(y)` with `0` where x = 0 (even where y is 0 or ∞), and NaN where y is NaN
 * (torch.xlogy). Gradients as PyTorch's: log(y) for x (0 where x = 0 and y ≤ 0), x / y for y
 * (0 where x = 0).
 */
export function xlogy(x: TensorOrScalar, y: TensorOrScalar): Tensor {
  binaryArgs('xlogy', x, y);
  return composed([x as Tensor, y as Tensor], () => {
    const device = (x instanceof Tensor ? x : (y as Tensor)).device;
    const xt = x instanceof Tensor ? x : full([], x, { device });
    const yt = y instanceof Tensor ? y : full([], y, { device });
    // Where x = 0 and log(y) would be −∞ or ∞, log(1) stands in: 0·log(1) = 0, no 0·∞.
    const unbounded = logicalOr(le(yt, 0), eq(yt, Number.POSITIVE_INFINITY));
    const safeY = where(logicalAnd(eq(xt, 0), unbounded), 1, yt);
    // NaN in y stays NaN explicitly: some GPUs' log(NaN) is finite, and 0 · that would be 0.
    return where(ne(yt, yt), Number.NaN, mul(xt, log(safeY)));
  });
}

/**
 * √(a² + b²) without overflow or underflow (torch.hypot): both are scaled by max(|a|, |b|) first.
 * ∞ if either is infinite (even if the other is NaN), as C's hypot. At a = b = 0 the gradients are 0 (PyTorch gives NaN there).
 */
export function hypot(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  binaryArgs('hypot', a, b);
  return composed([a as Tensor, b as Tensor], () => {
    const device = (a instanceof Tensor ? a : (b as Tensor)).device;
    const aa = abs(a instanceof Tensor ? floatInput('hypot', a) : full([], a, { device }));
    const bb = abs(b instanceof Tensor ? floatInput('hypot', b) : full([], b, { device }));
    // The scale carries no gradient: the result is homogeneous in it, so its derivative is zero.
    const scale = detach(maximum(aa, bb));
    const positive = gt(scale, 0);
    const safe = where(positive, scale, 1);
    // With the scale positive the sum is at least 1; where it is 0, 1 stands in so √ has a finite slope.
    const squares = add(square(div(aa, safe)), square(div(bb, safe)));
    const r = mul(sqrt(where(positive, squares, 1)), safe);
    const infinite = logicalOr(eq(aa, Number.POSITIVE_INFINITY), eq(bb, Number.POSITIVE_INFINITY));
    const nan = logicalOr(ne(aa, aa), ne(bb, bb));
    return where(infinite, Number.POSITIVE_INFINITY, where(nan, Number.NaN, where(positive, r, 0)));
  });
}

/**
 * acos(x) = π/2 − asin(x), and near ±1 the half-angle forms 2·asin(√((1 − x)/2)) and
 * π − 2·asin(√((1 + x)/2)), which keep float32's relative precision where acos is small. NaN
 * outside [−1, 1].
 */
export function acos(x: Tensor): Tensor {
  assertTensor('acos', x);
  return composed([x], () => {
    const v = floatInput('acos', x);
    const high = mul(asin(sqrt(mul(sub(1, minimum(maximum(v, 0.5), 1)), 0.5))), 2);
    const low = sub(Math.PI, mul(asin(sqrt(mul(add(maximum(minimum(v, -0.5), -1), 1), 0.5))), 2));
    const middle = sub(Math.PI / 2, asin(v));
    const inDomain = where(gt(v, 0.5), high, where(lt(v, -0.5), low, middle));
    // Outside [−1, 1] the clamped branches would answer; acos has no value there.
    return where(gt(abs(v), 1), Number.NaN, inDomain);
  });
}

/** True where `t` is negative, −0 included (1/−0 = −∞), as C's atan2 reads signs. */
function signBitSet(t: Tensor): Tensor {
  return logicalOr(lt(t, 0), logicalAnd(eq(t, 0), lt(reciprocal(t), 0)));
}

/**
 * The angle of the point (x, y) in (−π, π] (torch.atan2(y, x), C's quadrant and signed-zero
 * rules): atan(y/x), shifted by ±π where x < 0; ±π/2 on the y axis. Both operands infinite gives
 * NaN (C gives ±π/4 or ±3π/4). On the y axis (x = 0) the gradients are 0.
 */
export function atan2(y: TensorOrScalar, x: TensorOrScalar): Tensor {
  binaryArgs('atan2', y, x);
  return composed([y as Tensor, x as Tensor], () => {
    const device = (y instanceof Tensor ? y : (x as Tensor)).device;
    const yt = y instanceof Tensor ? floatInput('atan2', y) : full([], y, { device });
    const xt = x instanceof Tensor ? floatInput('atan2', x) : full([], x, { device });
    const onAxis = eq(xt, 0);
    const base = atan(div(yt, where(onAxis, 1, xt)));
    const yNegative = signBitSet(yt);
    const half = where(yNegative, -Math.PI / 2, Math.PI / 2);
    const shifted = add(base, where(yNegative, -Math.PI, Math.PI));
    const xNegative = signBitSet(xt);
    // On the axis: ±π/2 for y ≠ 0; for y = ±0 the result is ±0 (x = +0) or ±π (x = −0).
    const axis = where(eq(yt, 0), where(xNegative, where(yNegative, -Math.PI, Math.PI), mul(yt, 0)), half);
    return where(onAxis, axis, where(lt(xt, 0), shifted, base));
  });
}
