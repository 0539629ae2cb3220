import {
  ArgumentError,
  abs,
  add,
  clamp,
  div,
  max,
  minimum,
  mul,
  noGrad,
  pow,
  sqrt,
  square,
  stack,
  sum,
  Tensor,
  tidy,
} from '@backprop/core';
import { toArray } from './optimizer.js';
import { describeValue } from './validate.js';

export interface ClipGradNormOptions {
  /** Throw when the total norm is NaN or infinite instead of scaling by it (default false). */
  errorIfNonfinite?: boolean;
}

/** The tensors of `params`, checked: an array or other iterable of tensors. */
function tensorsOf(owner: string, params: unknown): Tensor[] {
  const list = toArray(params);
  if (list === null)
    throw new ArgumentError(`${owner}: params must be an array of tensors, got ${describeValue(params)}`);
  list.forEach((p, i) => {
    if (!(p instanceof Tensor))
      throw new ArgumentError(`${owner}: params[${i}] must be a Tensor, got ${describeValue(p)}`);
  });
  return list as Tensor[];
}

function vectorNorm(x: Tensor, normType: number): Tensor {
  if (normType === Number.POSITIVE_INFINITY) return max(abs(x));
  if (normType === 2) return sqrt(sum(square(x)));
  if (normType === 1) return sum(abs(x));
  return pow(sum(pow(abs(x), normType)), 1 / normType);
}

/**
 * Scales the gradients of `params` in place so their total norm is at most `maxNorm` (PyTorch's
 * `clip_grad_norm_`): the total is the `normType`-norm of the per-parameter gradient norms (so
 * the norm of all gradients joined), every gradient is multiplied by min(1, maxNorm / (total + 1e−6)).
 * Parameters without a gradient are skipped. Returns the total norm before clipping (read
 * synchronously from the backend).
 */
export function clipGradNorm(
  params: Iterable<Tensor>,
  maxNorm: number,
  normType = 2,
  options: ClipGradNormOptions = {},
): number {
  if (!(maxNorm >= 0)) throw new ArgumentError(`clipGradNorm: maxNorm must be >= 0, got ${maxNorm}`);
  if (!(normType > 0))
    throw new ArgumentError(`clipGradNorm: normType must be > 0 (or Infinity), got ${normType}`);
  const grads = tensorsOf('clipGradNorm', params).flatMap((p) => (p.grad && p.grad.size > 0 ? [p.grad] : []));
  if (grads.length === 0) return 0;
  return noGrad(() =>
    tidy(() => {
      const norms = stack(grads.map((g) => vectorNorm(g, normType)));
      const total = vectorNorm(norms, normType);
      const value = total.item();
      if (options.errorIfNonfinite && !Number.isFinite(value)) {
        throw new ArgumentError(
          `clipGradNorm: the total norm of order ${normType} of the gradients is ${value}, so they cannot be clipped`,
        );
      }
      const coef = minimum(div(maxNorm, add(total, 1e-6)), 1);
      for (const g of grads) g.assign(mul(g, coef));
      return value;
    }),
  );
}

/** Clamps every gradient of `params` to [−clipValue, clipValue] in place (PyTorch's `clip_grad_value_`). */
export function clipGradValue(params: Iterable<Tensor>, clipValue: number): void {
  if (!(clipValue >= 0)) throw new ArgumentError(`clipGradValue: clipValue must be >= 0, got ${clipValue}`);
  const tensors = tensorsOf('clipGradValue', params);
  noGrad(() =>
    tidy(() => {
      for (const p of tensors) if (p.grad) p.grad.assign(clamp(p.grad, -clipValue, clipValue));
    }),
  );
}
