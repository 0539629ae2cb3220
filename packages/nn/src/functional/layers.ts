import {
  ArgumentError,
  add,
  cast,
  linear as coreLinear,
  describeValue,
  div,
  formatShape,
  type Generator,
  lt,
  mean,
  mul,
  rand,
  reshape,
  ShapeError,
  sqrt,
  sub,
  type Tensor,
  variance,
  zerosLike,
} from '@backprop/core';
import { checkProbability, checkReal, checkTensor } from '../validate.js';

/**
 * x·weightᵀ + bias for x of any rank ≥ 1 whose last dimension is `weight.shape[1]`: 2-D input goes
 * straight to core's fused `linear`; other ranks are reshaped to 2-D and back.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  checkTensor('linear', 'input', x);
  checkTensor('linear', 'weight', weight);
  if (bias !== null) checkTensor('linear', 'bias', bias);
  if (x.rank === 0 || weight.rank !== 2 || x.shape[x.rank - 1] !== weight.shape[1]) {
    throw new ShapeError(
      `linear: input ${formatShape(x.shape)} does not fit weight ${formatShape(weight.shape)} (expected [..., ${weight.shape[1] ?? 'in'}])`,
    );
  }
  if (x.rank === 2) return coreLinear(x, weight, bias);
  const lead = x.shape.slice(0, -1);
  const out = coreLinear(reshape(x, [-1, weight.shape[1]]), weight, bias);
  return reshape(out, [...lead, weight.shape[0]]);
}

/**
 * Inverted dropout: in training, zeroes each element with probability `p` (from the seeded
 * generator) and scales the rest by 1/(1−p), so the expectation is unchanged; identity otherwise.
 */
export function dropout(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  checkTensor('dropout', 'input', x);
  checkProbability('dropout', 'p', p);
  if (!training || p === 0) return x;
  if (p === 1) return mul(x, zerosLike(x));
  const keep = cast(lt(rand(x.shape, { device: x.device, generator }), 1 - p), 'float32');
  return mul(x, div(keep, 1 - p));
}

/**
 * Layer normalisation over the trailing dimensions `normalizedShape`:
 * (x − mean) / √(var + eps) · weight + bias, with the biased variance.
 */
export function layerNorm(
  x: Tensor,
  normalizedShape: readonly number[],
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  eps = 1e-5,
): Tensor {
  checkTensor('layerNorm', 'input', x);
  if (!Array.isArray(normalizedShape))
    throw new ArgumentError(
      `layerNorm: normalizedShape must be an array of sizes, got ${describeValue(normalizedShape)}`,
    );
  checkReal('layerNorm', 'eps', eps, { above: 0 });
  const k = normalizedShape.length;
  if (k === 0 || k > x.rank || normalizedShape.some((d, i) => x.shape[x.rank - k + i] !== d)) {
    throw new ShapeError(
      `layerNorm: input ${formatShape(x.shape)} does not end with normalized shape ${formatShape(normalizedShape)}`,
    );
  }
  const axes = normalizedShape.map((_, i) => x.rank - k + i);
  const mu = mean(x, axes, { keepDims: true });
  const sigma2 = variance(x, axes, { keepDims: true, correction: 0 });
  let y = div(sub(x, mu), sqrt(add(sigma2, eps)));
  if (weight) y = mul(y, weight);
  if (bias) y = add(y, bias);
  return y;
}
