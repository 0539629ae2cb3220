/**
 * Activation functions, each differentiable: core's activations, or compositions of core ops whose
 * gradients autograd derives (no gradient is written here). The same functions back the
 * activation modules.
 */
import {
  ArgumentError,
  abs,
  add,
  celu as coreCelu,
  elu as coreElu,
  hardSigmoid as coreHardSigmoid,
  hardSwish as coreHardSwish,
  hardtanh as coreHardtanh,
  leakyRelu as coreLeakyRelu,
  logSoftmax as coreLogSoftmax,
  relu as coreRelu,
  relu6 as coreRelu6,
  selu as coreSelu,
  sigmoid as coreSigmoid,
  softmax as coreSoftmax,
  softplus as coreSoftplus,
  tanh as coreTanh,
  div,
  erf,
  gt,
  mul,
  neg,
  reshape,
  ShapeError,
  type Tensor,
  where,
} from '@backprop/core';

import { checkChoice, checkReal, checkTensor } from '../validate.js';

export { SELU_ALPHA, SELU_SCALE } from '@backprop/core';

/** The logistic function 1 / (1 + e^−x), in (0, 1). */
export function sigmoid(x: Tensor): Tensor {
  return coreSigmoid(x);
}

/** The hyperbolic tangent, in (−1, 1). */
export function tanh(x: Tensor): Tensor {
  return coreTanh(x);
}

/** max(x, 0); the gradient at 0 is 0. */
export function relu(x: Tensor): Tensor {
  return coreRelu(x);
}

/** Absolute-value rectification |x|, the first generalisation of ReLU (slope −1 for x < 0). */
export function absRelu(x: Tensor): Tensor {
  return abs(x);
}

/** Leaky ReLU: x for x > 0, `negativeSlope`·x otherwise (the second generalisation of ReLU). */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  checkReal('leakyRelu', 'negativeSlope', negativeSlope);
  return coreLeakyRelu(x, negativeSlope);
}

/**
 * Parametric ReLU: x for x > 0, `weight`·x otherwise, where `weight` is learned (the third
 * generalisation of ReLU). `weight` has one element (shared) or one per channel; the channel axis
 * is 1 for inputs of rank ≥ 2 and 0 for vectors. Gradients flow to both `x` and `weight`.
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  checkTensor('prelu', 'input', x);
  checkTensor('prelu', 'weight', weight);
  if (weight.rank > 1)
    throw new ShapeError(`prelu: weight must be 1-D, got shape [${weight.shape.join(', ')}]`);
  let slope = weight;
  if (weight.size !== 1) {
    const axis = x.rank >= 2 ? 1 : 0;
    if (x.rank === 0 || x.shape[axis] !== weight.size) {
      throw new ShapeError(
        `prelu: weight has ${weight.size} elements but the input [${x.shape.join(', ')}] has ${x.rank === 0 ? 'no channel axis' : `${x.shape[axis]} channels on axis ${axis}`}`,
      );
    }
    slope = reshape(
      weight,
      x.shape.map((d, i) => (i === axis ? d : 1)),
    );
  } else if (weight.rank !== 0) {
    slope = reshape(weight, []);
  }
  return where(gt(x, 0), x, mul(x, slope));
}

/** ELU: x for x > 0, α(eˣ − 1) otherwise. */
export function elu(x: Tensor, alpha = 1): Tensor {
  checkReal('elu', 'alpha', alpha);
  return coreElu(x, alpha);
}

/** SELU: λ·ELU(x, α) with the self-normalising constants α ≈ 1.6733, λ ≈ 1.0507. */
export function selu(x: Tensor): Tensor {
  return coreSelu(x);
}

/** CELU: max(0, x) + min(0, α(e^{x/α} − 1)). */
export function celu(x: Tensor, alpha = 1): Tensor {
  if (checkReal('celu', 'alpha', alpha) === 0) throw new ArgumentError('celu: alpha must not be 0, got 0');
  return coreCelu(x, alpha);
}

/** How GELU is computed: exactly with erf, or with the tanh approximation. */
export type GeluApproximation = 'none' | 'tanh';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * GELU: x·Φ(x), Φ the standard normal CDF. `approximate: 'none'` (default) uses
 * 0.5·x·(1 + erf(x/√2)); `'tanh'` uses 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))).
 */
export function gelu(x: Tensor, approximate: GeluApproximation = 'none'): Tensor {
  checkChoice('gelu', 'approximate', approximate, ['none', 'tanh']);
  if (approximate === 'tanh') {
    const inner = mul(add(x, mul(mul(x, mul(x, x)), 0.044715)), SQRT_2_OVER_PI);
    return mul(mul(x, 0.5), add(coreTanh(inner), 1));
  }
  return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
}

/** SiLU (also called swish): x·sigmoid(x). */
export function silu(x: Tensor): Tensor {
  return mul(x, coreSigmoid(x));
}

/** Swish with a slope: x·sigmoid(βx) (β = 1 is SiLU). */
export function swish(x: Tensor, beta = 1): Tensor {
  checkReal('swish', 'beta', beta);
  return beta === 1 ? silu(x) : mul(x, coreSigmoid(mul(x, beta)));
}

/** Mish: x·tanh(softplus(x)). */
export function mish(x: Tensor): Tensor {
  return mul(x, coreTanh(coreSoftplus(x)));
}

/**
 * Softplus: (1/β)·log(1 + e^{βx}), a smooth ReLU; linear where βx > `threshold` (as PyTorch),
 * stable for large |x|.
 */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  checkReal('softplus', 'beta', beta, { above: 0 });
  checkReal('softplus', 'threshold', threshold);
  const scaled = beta === 1 ? x : mul(x, beta);
  const smooth = beta === 1 ? coreSoftplus(scaled) : div(coreSoftplus(scaled), beta);
  return where(gt(scaled, threshold), x, smooth);
}

/** log(sigmoid(x)) = −softplus(−x), stable for large |x|. */
export function logSigmoid(x: Tensor): Tensor {
  return neg(coreSoftplus(neg(x)));
}

/** Softsign: x / (1 + |x|). */
export function softsign(x: Tensor): Tensor {
  return div(x, add(abs(x), 1));
}

/** Hardtanh: x clamped to [min, max] (gradient 1 strictly inside, 0 outside and at the bounds, as PyTorch). */
export function hardtanh(x: Tensor, min = -1, max = 1): Tensor {
  checkReal('hardtanh', 'min', min);
  checkReal('hardtanh', 'max', max);
  return coreHardtanh(x, min, max);
}

/** ReLU6: min(max(x, 0), 6); gradient 0 at 0 and 6, as PyTorch. */
export function relu6(x: Tensor): Tensor {
  return coreRelu6(x);
}

/** Hard sigmoid: relu6(x + 3) / 6. */
export function hardSigmoid(x: Tensor): Tensor {
  return coreHardSigmoid(x);
}

/** Hard swish: x·relu6(x + 3) / 6. */
export function hardSwish(x: Tensor): Tensor {
  return coreHardSwish(x);
}

/** Softmax over `dim` (the last by default), stable for huge logits. */
export function softmax(x: Tensor, dim = -1): Tensor {
  return coreSoftmax(x, dim);
}

/** log(softmax(x)) over `dim` (the last by default), computed as x − logsumexp(x). */
export function logSoftmax(x: Tensor, dim = -1): Tensor {
  return coreLogSoftmax(x, dim);
}
