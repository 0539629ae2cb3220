import { adamUpdate, add, div, maximum, mul, sqrt, sub, type Tensor, zerosLike } from '@backprop/core';
import { MOMENT_RULES, MomentOptimizer, type MomentOptions } from './moments.js';
import type { ParamGroup, ParamState, Params } from './optimizer.js';
import { BOOLEAN } from './validate.js';

export interface AdamOptions extends MomentOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator (default 1e-8). */
  eps: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 1e-2). */
  weightDecay: number;
  /** The AMSGrad variant: divide by the running maximum of the second moment (default false). */
  amsgrad: boolean;
  /** Maximize the objective instead (default false). */
  maximize: boolean;
}

/** The options Adam and AdamW check, with the PyTorch defaults (weight decay differs). */
function adamSpec(name: string, weightDecay: number) {
  return {
    name,
    defaults: {
      lr: 1e-3,
      betas: [0.9, 0.999] as [number, number],
      eps: 1e-8,
      weightDecay,
      amsgrad: false,
      maximize: false,
    },
    rules: {
      ...MOMENT_RULES,
      amsgrad: BOOLEAN,
      maximize: BOOLEAN,
    },
    state: { step: 'count', expAvg: 'tensor', expAvgSq: 'tensor', maxExpAvgSq: 'tensor' } as const,
  };
}

/** The update Adam and AdamW share (PyTorch's `_single_tensor_adam`). */
export abstract class AdamBase extends MomentOptimizer<AdamOptions> {
  /** Whether weight decay is decoupled (AdamW). */
  protected readonly decoupled: boolean;

  protected constructor(
    name: string,
    decoupled: boolean,
    params: Params<AdamOptions>,
    options: Partial<AdamOptions>,
  ) {
    super(adamSpec(name, decoupled ? 1e-2 : 0), params, options);
    this.decoupled = decoupled;
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<AdamOptions>, state: ParamState): void {
    const { lr, betas, eps, amsgrad } = group;
    const [beta1, beta2] = betas;
    const step = this.nextStep(state);
    const g = this.decayedGradient(p, grad, group, this.decoupled);
    const stepSize = lr / (1 - beta1 ** step);
    const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** step);
    if (!amsgrad) {
      // One fused kernel where the backend has it; the same ops composed elsewhere.
      const moments = this.moments(p, state);
      const next = adamUpdate(p, g, moments.expAvg, moments.expAvgSq, {
        beta1,
        beta2,
        stepSize,
        biasCorrection2Sqrt,
        eps,
      });
      moments.expAvg.assign(next.expAvg);
      moments.expAvgSq.assign(next.expAvgSq);
      p.assign(next.param);
      return;
    }
    const { expAvg, expAvgSq } = this.updateMoments(p, g, betas, state);
    const maxExpAvgSq = this.buffer(state, 'maxExpAvgSq', () => zerosLike(p));
    maxExpAvgSq.assign(maximum(maxExpAvgSq, expAvgSq));
    const denom = add(div(sqrt(maxExpAvgSq), biasCorrection2Sqrt), eps);
    p.assign(sub(p, mul(div(expAvg, denom), stepSize)));
  }
}

/**
 * Adam (Kingma & Ba) with PyTorch's update rule: at step t,
 * m ← m + (1 − β₁)(g − m), v ← β₂·v + (1 − β₂)·g², and
 * W ← W − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + eps) (√max(v) with AMSGrad).
 * `weightDecay` adds weightDecay·W to the gradient (L2); see {@link AdamW} for decoupled decay.
 *
 * State per parameter: `step`, `expAvg`, `expAvgSq`, and `maxExpAvgSq` with AMSGrad.
 */
export class Adam extends AdamBase {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('Adam', false, params, options);
  }
}

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, W ← W·(1 − lr·weightDecay) before
 * the Adam step, as PyTorch's `AdamW` (default weightDecay 1e-2). Same state as {@link Adam}.
 */
export class AdamW extends AdamBase {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('AdamW', true, params, options);
  }
}
