import {
  ArgumentError,
  describeValue,
  div,
  exp,
  gt,
  log,
  mul,
  sub,
  sum,
  type Tensor,
  where,
} from '@backprop/core';
import { assertFloatInput, assertSameShape, checkReduction, lossOptions, reduce } from './util.js';

export interface KLDivOptions {
  /**
   * `'mean'` (PyTorch's default: over all elements), `'batchmean'` (sum divided by the batch size
   * `input.shape[0]`: the true KL divergence per sample, the one to use), `'sum'` or `'none'`.
   */
  reduction?: 'mean' | 'batchmean' | 'sum' | 'none';
  /** Whether `target` holds log-probabilities (default false: probabilities). */
  logTarget?: boolean;
}

/**
 * Kullback–Leibler divergence KL(target ‖ model) (PyTorch's `kl_div`): `input` holds the model's
 * log-probabilities, `target` probabilities (or log-probabilities with `logTarget`). Pointwise
 * `t·(log t − input)`, taken as 0 where t = 0; with `logTarget`, `e^t·(t − input)`.
 */
export function klDiv(input: Tensor, target: Tensor, options: KLDivOptions = {}): Tensor {
  const { reduction = 'mean', logTarget = false } = lossOptions<KLDivOptions>('klDiv', options, [
    'reduction',
    'logTarget',
  ]);
  if (typeof logTarget !== 'boolean')
    throw new ArgumentError(`klDiv: logTarget must be true or false, got ${describeValue(logTarget)}`);
  checkReduction('klDiv', reduction, ['mean', 'batchmean', 'sum', 'none']);
  assertFloatInput('klDiv', 'input', input);
  assertFloatInput('klDiv', 'target', target);
  assertSameShape('klDiv', input, target);
  let pointwise: Tensor;
  if (logTarget) {
    pointwise = mul(exp(target), sub(target, input));
  } else {
    // xlogy(t, t) with a safe log argument, so neither the value nor the gradient is NaN at t = 0.
    const positive = gt(target, 0);
    const safeLog = log(where(positive, target, 1));
    pointwise = mul(target, sub(safeLog, input));
  }
  if (reduction === 'batchmean') {
    const batch = input.rank === 0 ? 1 : input.shape[0];
    return div(sum(pointwise), batch);
  }
  return reduce(pointwise, reduction);
}
