/**
 * Elementwise tests and logical ops with PyTorch's truthiness (any non-zero value, NaN included,
 * is true), and the reductions any/all, composed from comparisons and where. Outputs are bool.
 */
import { BackendError } from '../errors.js';
import type { Axis, ReduceOptions } from '../op-options.js';
import type { Shape } from '../shape.js';
import { Tensor, type TensorOrScalar } from '../tensor.js';
import { checkBoolean, checkNumber, checkOptions } from '../validate.js';
import { add, mul, sub } from './arithmetic.js';
import { cast } from './cast.js';
import { eq, gt, le, logicalNot, ne, where } from './compare.js';
import { assertTensor, composed } from './compose.js';
import { full } from './creation.js';
import { sum } from './reduce.js';
import { abs } from './unary.js';

function boolScalar(value: boolean, like: Tensor): Tensor {
  return full([], value ? 1 : 0, { dtype: 'bool', device: like.device });
}

function allFalse(shape: Shape, like: Tensor): Tensor {
  return full(shape, 0, { dtype: 'bool', device: like.device });
}

/** Truthiness as bool: `x != 0` (NaN is true), or `x` itself when already bool. */
function truth(op: string, x: Tensor): Tensor {
  assertTensor(op, x);
  return x.dtype === 'bool' ? x : ne(x, 0);
}

/** True where x is NaN. */
export function isnan(x: Tensor): Tensor {
  assertTensor('isnan', x);
  if (x.dtype !== 'float32') return allFalse(x.shape, x);
  return ne(x, x);
}

/** True where x is +∞ or −∞. */
export function isinf(x: Tensor): Tensor {
  assertTensor('isinf', x);
  if (x.dtype !== 'float32') return allFalse(x.shape, x);
  return composed([], () => eq(abs(x), Number.POSITIVE_INFINITY));
}

/** True where x is neither NaN nor infinite. */
export function isfinite(x: Tensor): Tensor {
  assertTensor('isfinite', x);
  if (x.dtype !== 'float32') return full(x.shape, 1, { dtype: 'bool', device: x.device });
  // x − x is 0 for every finite x and NaN for ±∞ and NaN.
  return composed([], () => eq(sub(x, x), 0));
}

function logical(op: string, a: Tensor, b: Tensor, combine: (p: Tensor, q: Tensor) => Tensor): Tensor {
  assertTensor(op, a, 'first operand');
  assertTensor(op, b, 'second operand');
  return composed([], () => combine(truth(op, a), truth(op, b)));
}

/** Elementwise `a AND b` of the operands' truthiness, broadcasting. */
export function logicalAnd(a: Tensor, b: Tensor): Tensor {
  return logical('logicalAnd', a, b, (p, q) => where(p, q, boolScalar(false, p)));
}

/** Elementwise `a OR b` of the operands' truthiness, broadcasting. */
export function logicalOr(a: Tensor, b: Tensor): Tensor {
  return logical('logicalOr', a, b, (p, q) => where(p, boolScalar(true, p), q));
}

/** Elementwise `a XOR b` of the operands' truthiness, broadcasting. */
export function logicalXor(a: Tensor, b: Tensor): Tensor {
  return logical('logicalXor', a, b, (p, q) => where(p, logicalNot(q), q));
}

function countTrue(op: string, x: Tensor, axis: Axis, options: ReduceOptions, negate: boolean): Tensor {
  const o = checkOptions<ReduceOptions>(op, options, ['keepDims']);
  checkBoolean(op, 'keepDims', o.keepDims);
  const t = truth(op, x);
  return sum(cast(negate ? logicalNot(t) : t, 'int32'), axis, o);
}

/** Whether any entry is true (non-zero) over `axis` (all axes by default); bool. False over nothing. */
export function any(x: Tensor, axis?: Axis, options: ReduceOptions = {}): Tensor {
  assertTensor('any', x);
  return composed([], () => gt(countTrue('any', x, axis, options, false), 0));
}

/** Whether every entry is true (non-zero) over `axis` (all axes by default); bool. True over nothing. */
export function all(x: Tensor, axis?: Axis, options: ReduceOptions = {}): Tensor {
  assertTensor('all', x);
  return composed([], () => eq(countTrue('all', x, axis, options, true), 0));
}

export interface CloseOptions {
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
  /** Whether NaN equals NaN (default false). */
  equalNan?: boolean;
}

function closeOptions(op: string, options: unknown): Required<CloseOptions> {
  const o = checkOptions<CloseOptions>(op, options, ['rtol', 'atol', 'equalNan']);
  return {
    rtol: o.rtol === undefined ? 1e-5 : checkNumber(op, 'rtol', o.rtol, { finite: true, min: 0 }),
    atol: o.atol === undefined ? 1e-8 : checkNumber(op, 'atol', o.atol, { finite: true, min: 0 }),
    equalNan: checkBoolean(op, 'equalNan', o.equalNan) ?? false,
  };
}

/**
 * Elementwise `|a − b| ≤ atol + rtol·|b|` (torch.isclose), broadcasting; equal infinities are
 * close, an infinity is never close to a finite value, and NaN is close to NaN only with `equalNan`.
 */
export function isclose(a: TensorOrScalar, b: TensorOrScalar, options: CloseOptions = {}): Tensor {
  if (!(a instanceof Tensor)) assertTensor('isclose', a, 'first operand');
  if (!(b instanceof Tensor) && typeof b !== 'number') assertTensor('isclose', b, 'second operand');
  const { rtol, atol, equalNan } = closeOptions('isclose', options);
  return composed([], () => {
    const bt = b instanceof Tensor ? b : full([], b, { device: a.device });
    const finite = where(isfinite(a), isfinite(bt), boolScalar(false, a));
    const near = where(finite, le(abs(sub(a, bt)), add(mul(abs(bt), rtol), atol)), boolScalar(false, a));
    const close = where(eq(a, bt), boolScalar(true, a), near);
    return equalNan ? where(isnan(a), isnan(bt), close) : close;
  });
}

/**
 * Whether every entry of `a` is close to `b` (see `isclose`), as a plain boolean. Reads the answer
 * back synchronously, so it works only where the backend reads synchronously (a BackendError
 * otherwise); `allcloseAsync` works everywhere.
 */
export function allclose(a: Tensor, b: TensorOrScalar, options: CloseOptions = {}): boolean {
  const flag = composed([], () => all(isclose(a, b, options)));
  try {
    return flag.dataSync()[0] !== 0;
  } catch (e) {
    if (e instanceof BackendError)
      throw new BackendError(`allclose: ${e.message}; use allcloseAsync on this backend`);
    throw e;
  } finally {
    flag.dispose();
  }
}

/** `allclose`, reading the answer asynchronously (works on every backend). */
export async function allcloseAsync(
  a: Tensor,
  b: TensorOrScalar,
  options: CloseOptions = {},
): Promise<boolean> {
  const flag = composed([], () => all(isclose(a, b, options)));
  try {
    return (await flag.data())[0] !== 0;
  } finally {
    flag.dispose();
  }
}
