import { add, div, mul, sqrt, sub, type Tensor } from '@backprop/core';
import { MOMENT_RULES, MomentOptimizer, type MomentOptions } from './moments.js';
import type { ParamGroup, ParamState, Params } from './optimizer.js';
import { BOOLEAN, NON_NEGATIVE } from './validate.js';

export interface NAdamOptions extends MomentOptions {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** Decay rates of the first and second moment estimates, each in [0, 1) (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator (default 1e-8). */
  eps: number;
  /** Weight decay: L2 added to the gradient, or decoupled with `decoupledWeightDecay` (default 0). */
  weightDecay: number;
  /** ψ, how fast the momentum schedule μₜ approaches β₁ (default 4e-3). */
  momentumDecay: number;
  /** Decay the weights directly, W ← W·(1 − lr·weightDecay), as AdamW does (NAdamW; default false). */
  decoupledWeightDecay: boolean;
  /** Maximize the objective instead (default false). */
  maximize: boolean;
}

/**
 * NAdam (Dozat: Adam with Nesterov momentum) with PyTorch's update rule: at step t,
 * μₜ = β₁(1 − ½·0.96^(tψ)), μₜ₊₁ likewise, Πₜ = μ₁⋯μₜ, m ← m + (1 − β₁)(g − m),
 * v ← β₂·v + (1 − β₂)·g², d = √(v / (1 − β₂ᵗ)) + eps, and
 * W ← W − lr·(1 − μₜ)/(1 − Πₜ) · g/d − lr·μₜ₊₁/(1 − Πₜμₜ₊₁) · m/d.
 *
 * State per parameter: `step`, `muProduct` (Πₜ, a number), `expAvg`, `expAvgSq`.
 */
export class NAdam extends MomentOptimizer<NAdamOptions> {
  constructor(params: Params<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    super(
      {
        name: 'NAdam',
        defaults: {
          lr: 2e-3,
          betas: [0.9, 0.999],
          eps: 1e-8,
          weightDecay: 0,
          momentumDecay: 4e-3,
          decoupledWeightDecay: false,
          maximize: false,
        },
        rules: {
          ...MOMENT_RULES,
          momentumDecay: NON_NEGATIVE,
          decoupledWeightDecay: BOOLEAN,
          maximize: BOOLEAN,
        },
        state: { step: 'count', muProduct: 'number', expAvg: 'tensor', expAvgSq: 'tensor' },
      },
      params,
      options,
    );
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<NAdamOptions>, state: ParamState): void {
    const { lr, betas, eps, momentumDecay, decoupledWeightDecay } = group;
    const [beta1, beta2] = betas;
    const step = this.nextStep(state);
    const g = this.decayedGradient(p, grad, group, decoupledWeightDecay);
    const mu = beta1 * (1 - 0.5 * 0.96 ** (step * momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
    const muProduct = ((state.muProduct as number | undefined) ?? 1) * mu;
    state.muProduct = muProduct;
    const { expAvg, expAvgSq } = this.updateMoments(p, g, betas, state);
    const denom = add(sqrt(div(expAvgSq, 1 - beta2 ** step)), eps);
    const gradStep = (lr * (1 - mu)) / (1 - muProduct);
    const momentumStep = (lr * muNext) / (1 - muProduct * muNext);
    p.assign(sub(sub(p, mul(div(g, denom), gradStep)), mul(div(expAvg, denom), momentumStep)));
  }
}
