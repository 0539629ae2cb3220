/**
 * Vector norms over axes (torch.linalg.vector_norm, and torch.norm's 'fro'), composed from core's
 * primitives. Where a norm is 0 its gradient is 0, as in PyTorch: the root is taken of a value
 * kept away from zero, and the result selected afterwards, so no 0·∞ reaches the gradient.
 */
import { describeValue } from '../describe.js';
import { ArgumentError } from '../errors.js';
import type { Axis, ReduceOptions } from '../op-options.js';
import { normalizeAxes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkBoolean, checkOptions } from '../validate.js';
import { div, maximum, pow } from './arithmetic.js';
import { cast } from './cast.js';
import { gt, ne, where } from './compare.js';
import { assertTensor, composed } from './compose.js';
import { max, min, sum } from './reduce.js';
import { abs, sqrt, square } from './unary.js';

/** The order of a norm: a number p ≥ 0 (±Infinity included) or 'fro' (the 2-norm over the axes). */
export type NormOrder = number | 'fro';

/** A root of a non-negative value whose gradient is 0 (not ∞) where the value is 0. */
function safeRoot(s: Tensor, root: (t: Tensor) => Tensor): Tensor {
  const positive = gt(s, 0);
  return where(positive, root(where(positive, s, 1)), 0);
}

/**
 * The p-norm of `x` over `axis` (all axes by default): p = 2 or 'fro' √Σx², p = 1 Σ|x|,
 * p = ∞ max|x|, p = −∞ min|x|, p = 0 the count of non-zeros, any other p > 0 (Σ|x|ᵖ)^(1/p).
 * Computed without rescaling, as PyTorch: squares beyond float32's range overflow to ∞. Integer
 * input is computed in float32.
 */
export function norm(x: Tensor, p: NormOrder = 2, axis?: Axis, options: ReduceOptions = {}): Tensor {
  assertTensor('norm', x);
  if (p !== 'fro' && (typeof p !== 'number' || Number.isNaN(p) || (p < 0 && p !== Number.NEGATIVE_INFINITY)))
    throw new ArgumentError(
      `norm: p must be 'fro', a number >= 0, Infinity or -Infinity, got ${describeValue(p)} ('nuc' and negative orders are not supported)`,
    );
  const o = checkOptions<ReduceOptions>('norm', options, ['keepDims']);
  checkBoolean('norm', 'keepDims', o.keepDims);
  const axes = normalizeAxes('norm', axis, x.rank);
  return composed([x], () => {
    const v = x.dtype === 'float32' ? x : cast(x, 'float32');
    if (p === Number.POSITIVE_INFINITY) return max(abs(v), axes, o);
    if (p === Number.NEGATIVE_INFINITY) return min(abs(v), axes, o);
    if (p === 0) return cast(sum(cast(ne(v, 0), 'int32'), axes, o), 'float32');
    if (p === 1) return sum(abs(v), axes, o);
    if (p === 2 || p === 'fro') return safeRoot(sum(square(v), axes, o), sqrt);
    // |x|ᵖ with p < 1 has an infinite slope at 0: take it of a non-zero stand-in and select 0 there.
    const a = abs(v);
    const nonzero = gt(a, 0);
    const powers = where(nonzero, pow(where(nonzero, a, 1), p), 0);
    return safeRoot(sum(powers, axes, o), (s) => pow(s, 1 / p));
  });
}

/**
 * `x / max(‖x‖ₚ, eps)` over `axis` (torch.nn.functional.normalize; axis 1 by default, as there):
 * unit-norm rows, with zero rows left at zero.
 */
export function normalize(x: Tensor, p: NormOrder = 2, axis = 1, eps = 1e-12): Tensor {
  assertTensor('normalize', x);
  if (typeof eps !== 'number' || !(eps >= 0))
    throw new ArgumentError(`normalize: eps must be a number >= 0, got ${describeValue(eps)}`);
  return composed([x], () => div(x, maximum(norm(x, p, axis, { keepDims: true }), eps)));
}
