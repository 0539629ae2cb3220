import {
  ArgumentError,
  abs,
  add,
  clamp,
  describeValue,
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

/** The non-empty gradients of `params`, with the arguments checked (`owner` names the function). */
function gradsToClip(owner: string, params: Iterable<Tensor>, maxNorm: number, normType: number): Tensor[] {
  if (!(maxNorm >= 0)) throw new ArgumentError(`${owner}: maxNorm must be >= 0, got ${maxNorm}`);
  if (!(normType > 0))
    throw new ArgumentError(`${owner}: normType must be > 0 (or Infinity), got ${normType}`);
  return tensorsOf(owner, params).flatMap((p) => (p.grad && p.grad.size > 0 ? [p.grad] : []));
}

/** The `normType`-norm of the per-gradient norms (the norm of all gradients joined). */
function totalNorm(grads: readonly Tensor[], normType: number): Tensor {
  return vectorNorm(stack(grads.map((g) => vectorNorm(g, normType))), normType);
}

function assertFinite(owner: string, value: number, normType: number, options: ClipGradNormOptions): void {
  if (options.errorIfNonfinite && !Number.isFinite(value)) {
    throw new ArgumentError(
      `${owner}: the total norm of order ${normType} of the gradients is ${value}, so they cannot be clipped`,
    );
  }
}

/** Multiplies every gradient in place by min(1, maxNorm / (total + 1e−6)). */
function scaleGrads(grads: readonly Tensor[], total: Tensor, maxNorm: number): void {
  const coef = minimum(div(maxNorm, add(total, 1e-6)), 1);
  for (const g of grads) g.assign(mul(g, coef));
}

/**
 * Scales the gradients of `params` in place so their total norm is at most `maxNorm` (PyTorch's
 * `clip_grad_norm_`): the total is the `normType`-norm of the per-parameter gradient norms (so
 * the norm of all gradients joined), every gradient is multiplied by min(1, maxNorm / (total + 1e−6)).
 * Parameters without a gradient are skipped. Returns the total norm before clipping (read
 * synchronously from the backend: on one that reads only asynchronously, WebGPU, use
 * `clipGradNormAsync`).
 */
export function clipGradNorm(
  params: Iterable<Tensor>,
  maxNorm: number,
  normType = 2,
  options: ClipGradNormOptions = {},
): number {
  const grads = gradsToClip('clipGradNorm', params, maxNorm, normType);
  if (grads.length === 0) return 0;
  return noGrad(() =>
    tidy(() => {
      const total = totalNorm(grads, normType);
      const value = total.item();
      assertFinite('clipGradNorm', value, normType, options);
      scaleGrads(grads, total, maxNorm);
      return value;
    }),
  );
}

/**
 * `clipGradNorm` for every backend, those that read back only asynchronously (WebGPU) included:
 * the same clipping, resolving to the total norm before clipping once it is read back.
 */
export async function clipGradNormAsync(
  params: Iterable<Tensor>,
  maxNorm: number,
  normType = 2,
  options: ClipGradNormOptions = {},
): Promise<number> {
  const grads = gradsToClip('clipGradNormAsync', params, maxNorm, normType);
  if (grads.length === 0) return 0;
  const total = noGrad(() => tidy(() => totalNorm(grads, normType)));
  try {
    const value = (await total.data())[0];
    assertFinite('clipGradNormAsync', value, normType, options);
    noGrad(() => tidy(() => scaleGrads(grads, total, maxNorm)));
    return value;
  } finally {
    total.dispose();
  }
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
