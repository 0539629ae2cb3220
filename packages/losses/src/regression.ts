import { abs, lt, mul, square, sub, type Tensor, where } from '@backprop/core';
import {
  assertFloatInput,
  assertSameShape,
  checkReduction,
  checkScalar,
  floatTarget,
  lossOptions,
  type Reduction,
  reduce,
} from './util.js';

/** Options shared by every loss. */
export interface ReductionOptions {
  /** `'mean'` (default), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

export interface HuberOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1, must be > 0). */
  delta?: number;
}

export interface SmoothL1Options extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1, must be ≥ 0; 0 gives L1). */
  beta?: number;
}

function prepare(op: string, input: Tensor, target: Tensor, reduction: string): Tensor {
  checkReduction(op, reduction);
  assertFloatInput(op, 'input', input);
  assertSameShape(op, input, target);
  return sub(input, floatTarget(target));
}

/**
 * Mean squared error `(input − target)²`, reduced (PyTorch's `mse_loss`). Input and target must
 * have the same shape; an int32 or bool target is cast to float32.
 */
export function mse(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const { reduction = 'mean' } = lossOptions<ReductionOptions>('mse', options, ['reduction']);
  return reduce(square(prepare('mse', input, target, reduction)), reduction);
}

/** Mean absolute error `|input − target|`, reduced (PyTorch's `l1_loss`; gradient 0 where they are equal). */
export function l1(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const { reduction = 'mean' } = lossOptions<ReductionOptions>('l1', options, ['reduction']);
  return reduce(abs(prepare('l1', input, target, reduction)), reduction);
}

/**
 * Huber loss (PyTorch's `huber_loss`): with d = input − target,
 * `0.5·d²` where |d| < delta, else `delta·(|d| − 0.5·delta)`. Equals `delta · smoothL1(beta = delta)`.
 */
export function huber(input: Tensor, target: Tensor, options: HuberOptions = {}): Tensor {
  const { reduction = 'mean', delta = 1 } = lossOptions<HuberOptions>('huber', options, [
    'reduction',
    'delta',
  ]);
  checkScalar('huber', 'delta', delta, { above: 0 });
  const d = prepare('huber', input, target, reduction);
  const a = abs(d);
  const loss = where(lt(a, delta), mul(square(d), 0.5), mul(sub(a, 0.5 * delta), delta));
  return reduce(loss, reduction);
}

/**
 * Smooth L1 loss (PyTorch's `smooth_l1_loss`): with d = input − target,
 * `0.5·d²/beta` where |d| < beta, else `|d| − 0.5·beta`. `beta = 0` is plain L1.
 */
export function smoothL1(input: Tensor, target: Tensor, options: SmoothL1Options = {}): Tensor {
  const { reduction = 'mean', beta = 1 } = lossOptions<SmoothL1Options>('smoothL1', options, [
    'reduction',
    'beta',
  ]);
  checkScalar('smoothL1', 'beta', beta, { min: 0 });
  const d = prepare('smoothL1', input, target, reduction);
  const a = abs(d);
  if (beta === 0) return reduce(a, reduction);
  const loss = where(lt(a, beta), mul(square(d), 0.5 / beta), sub(a, 0.5 * beta));
  return reduce(loss, reduction);
}
