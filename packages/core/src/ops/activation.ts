/**
 * Activation functions. `sigmoid`, `tanh` and `relu` are kernels; the rest are compositions whose
 * gradients autograd derives, with PyTorch's values at the kinks (`where` sends the gradient only
 * to the branch it picks, so each kink gets the side PyTorch gives it). `softplus` keeps an exact
 * gradient rule, because its stable composition would have the wrong slope at 0.
 */
import { recordComposite } from '../autograd/tape.js';
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { checkNumber } from '../validate.js';
import { add, clamp, div, minimum, mul } from './arithmetic.js';
import { gt, lt, where } from './compare.js';
import { detach } from './device.js';
import { unaryOp } from './elementwise.js';
import { assertTensor } from './operands.js';
import { abs, exp, expm1, log1p, neg } from './unary.js';

/** 1 / (1 + e^−x), computed without overflow for large |x|. */
export const sigmoid = (x: Tensor): Tensor => unaryOp('sigmoid', x);

export const tanh = (x: Tensor): Tensor => unaryOp('tanh', x);

/** max(x, 0); the gradient at 0 is 0, as in PyTorch. */
export const relu = (x: Tensor): Tensor => unaryOp('relu', x);

/** log(1 + e^x), stable for large |x|: max(x, 0) + log1p(e^−|x|). Its gradient is sigmoid(x). */
export function softplus(x: Tensor): Tensor {
  assertTensor('softplus', x);
  return recordComposite('composite/softplus', [x], undefined, () => add(relu(x), log1p(exp(neg(abs(x))))));
}

/** Leaky ReLU: x for x > 0, `negativeSlope`·x otherwise (gradient `negativeSlope` at 0, as PyTorch). */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  assertTensor('leakyRelu', x);
  checkNumber('leakyRelu', 'negativeSlope', negativeSlope, { finite: true });
  return where(gt(x, 0), x, mul(x, negativeSlope));
}

/** α·(e^{s·min(x, 0)} − 1), the negative branch of the ELU family: finite for any x (never e^x of a large x). */
function expBranch(x: Tensor, alpha: number, inverseScale: number): Tensor {
  const negative = minimum(x, 0);
  return mul(expm1(inverseScale === 1 ? negative : mul(negative, inverseScale)), alpha);
}

/** ELU: x for x > 0, α(eˣ − 1) otherwise. */
export function elu(x: Tensor, alpha = 1): Tensor {
  assertTensor('elu', x);
  checkNumber('elu', 'alpha', alpha, { finite: true });
  return where(gt(x, 0), x, expBranch(x, alpha, 1));
}

/** SELU's α (Klambauer et al., 2017). */
export const SELU_ALPHA = 1.6732632423543772;
/** SELU's scale λ. */
export const SELU_SCALE = 1.0507009873554805;

/** SELU: λ·ELU(x, α) with the self-normalising constants α ≈ 1.6733, λ ≈ 1.0507. */
export function selu(x: Tensor): Tensor {
  assertTensor('selu', x);
  return where(gt(x, 0), mul(x, SELU_SCALE), expBranch(x, SELU_SCALE * SELU_ALPHA, 1));
}

/** CELU: max(0, x) + min(0, α(e^{x/α} − 1)); `alpha` must not be 0. */
export function celu(x: Tensor, alpha = 1): Tensor {
  assertTensor('celu', x);
  if (checkNumber('celu', 'alpha', alpha, { finite: true }) === 0)
    throw new ArgumentError('celu: alpha must not be 0, got 0');
  return where(gt(x, 0), x, expBranch(x, alpha, 1 / alpha));
}

/**
 * Hardtanh: x clamped to [min, max]. The gradient is 1 strictly inside and 0 outside and at the
 * bounds themselves, as PyTorch's (unlike `clamp`, which passes it at the bounds).
 */
export function hardtanh(x: Tensor, min = -1, max = 1): Tensor {
  assertTensor('hardtanh', x);
  checkNumber('hardtanh', 'min', min);
  checkNumber('hardtanh', 'max', max);
  if (!(min <= max)) throw new ArgumentError(`hardtanh: expected min <= max, got min=${min}, max=${max}`);
  // The clamped values come from a detached x, so only the strictly-inside branch carries a gradient.
  const bounded = clamp(detach(x), min, max);
  return where(gt(x, min), where(lt(x, max), x, bounded), bounded);
}

/** ReLU6: min(max(x, 0), 6); gradient 0 at 0 and at 6, as PyTorch. */
export function relu6(x: Tensor): Tensor {
  assertTensor('relu6', x);
  return hardtanh(x, 0, 6);
}

/** Hard sigmoid: relu6(x + 3) / 6; gradient 1/6 strictly inside (−3, 3), 0 elsewhere, as PyTorch. */
export function hardSigmoid(x: Tensor): Tensor {
  assertTensor('hardSigmoid', x);
  return div(hardtanh(add(x, 3), 0, 6), 6);
}

/** Hard swish: x·relu6(x + 3) / 6; gradient 0 at −3 and 1 at 3, as PyTorch. */
export function hardSwish(x: Tensor): Tensor {
  assertTensor('hardSwish', x);
  return mul(x, hardSigmoid(x));
}
