import { add, mul, neg, sub, type Tensor, zerosLike } from '@backprop/core';
import { type BaseOptions, Optimizer, type ParamState } from './optimizer.js';
import { NON_NEGATIVE, POSITIVE, pair, UNIT_OPEN } from './validate.js';

/** The options the Adam family (Adam, AdamW, NAdam, RAdam) shares. */
export interface MomentOptions extends BaseOptions {
  /** Decay rates of the first and second moment estimates. */
  betas: [number, number];
  /** Added to the denominator. */
  eps: number;
  /** Weight decay: L2 added to the gradient, or decoupled. */
  weightDecay: number;
  /** Maximize the objective instead. */
  maximize: boolean;
}

/**
 * The rules of the options the Adam family shares, first in every one of them (each adds its own,
 * then `maximize`, so the options are listed in the same order as PyTorch's).
 */
export const MOMENT_RULES = {
  lr: NON_NEGATIVE,
  betas: pair(UNIT_OPEN),
  eps: POSITIVE,
  weightDecay: NON_NEGATIVE,
};

/** The moment estimates of one parameter: `expAvg` (m) and `expAvgSq` (v). */
export interface Moments {
  expAvg: Tensor;
  expAvgSq: Tensor;
}

/**
 * What Adam, AdamW, NAdam and RAdam share: the step count, the gradient with maximize and weight
 * decay applied, and the moment estimates m ← m + (1 − β₁)(g − m), v ← β₂·v + (1 − β₂)·g²
 * (PyTorch's `lerp` and `mul_().addcmul_()`).
 */
export abstract class MomentOptimizer<O extends MomentOptions> extends Optimizer<O> {
  /** Counts a step in `state` and returns its number (1 for the first). */
  protected nextStep(state: ParamState): number {
    const step = ((state.step as number | undefined) ?? 0) + 1;
    state.step = step;
    return step;
  }

  /**
   * The gradient the step uses: negated with `maximize`; with weight decay either L2
   * (g + weightDecay·W) or decoupled, W ← W·(1 − lr·weightDecay) here and g unchanged.
   */
  protected decayedGradient(p: Tensor, grad: Tensor, options: MomentOptions, decoupled: boolean): Tensor {
    const { lr, weightDecay, maximize } = options;
    const g = maximize ? neg(grad) : grad;
    if (weightDecay === 0) return g;
    if (!decoupled) return add(g, mul(p, weightDecay));
    p.assign(mul(p, 1 - lr * weightDecay));
    return g;
  }

  /** The parameter's moment buffers, made as zeros at its first step. */
  protected moments(p: Tensor, state: ParamState): Moments {
    return {
      expAvg: this.buffer(state, 'expAvg', () => zerosLike(p)),
      expAvgSq: this.buffer(state, 'expAvgSq', () => zerosLike(p)),
    };
  }

  /** Updates the moment estimates with `g` in place and returns them. */
  protected updateMoments(p: Tensor, g: Tensor, betas: [number, number], state: ParamState): Moments {
    const [beta1, beta2] = betas;
    const moments = this.moments(p, state);
    const { expAvg, expAvgSq } = moments;
    expAvg.assign(add(expAvg, mul(sub(g, expAvg), 1 - beta1)));
    expAvgSq.assign(add(mul(expAvgSq, beta2), mul(mul(g, g), 1 - beta2)));
    return moments;
  }
}
