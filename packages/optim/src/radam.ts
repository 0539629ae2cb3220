import { add, div, mul, sqrt, sub, type Tensor } from '@backprop/core';
import { MOMENT_RULES, MomentOptimizer, type MomentOptions } from './moments.js';
import type { ParamGroup, ParamState, Params } from './optimizer.js';
import { BOOLEAN } from './validate.js';

export interface RAdamOptions extends MomentOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the first and second moment estimates, each in [0, 1) (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator (default 1e-8). */
  eps: number;
  /** Weight decay: L2 added to the gradient, or decoupled with `decoupledWeightDecay` (default 0). */
  weightDecay: number;
  /** Decay the weights directly, W ← W·(1 − lr·weightDecay), as AdamW does (default false). */
  decoupledWeightDecay: boolean;
  /** Maximize the objective instead (default false). */
  maximize: boolean;
}

/**
 * RAdam (Liu et al., rectified Adam) with PyTorch's update rule: m and v as in Adam,
 * m̂ = m / (1 − β₁ᵗ), ρ∞ = 2/(1 − β₂) − 1, ρₜ = ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ). While ρₜ ≤ 5 the variance is
 * not trusted and W ← W − lr·m̂ (momentum SGD); after, with
 * r = √((ρₜ − 4)(ρₜ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₜ)), W ← W − lr·m̂·r·√(1 − β₂ᵗ)/(√v + eps).
 *
 * State per parameter: `step`, `expAvg`, `expAvgSq`.
 */
export class RAdam extends MomentOptimizer<RAdamOptions> {
  constructor(params: Params<RAdamOptions>, options: Partial<RAdamOptions> = {}) {
    super(
      {
        name: 'RAdam',
        defaults: {
          lr: 1e-3,
          betas: [0.9, 0.999],
          eps: 1e-8,
          weightDecay: 0,
          decoupledWeightDecay: false,
          maximize: false,
        },
        rules: {
          ...MOMENT_RULES,
          decoupledWeightDecay: BOOLEAN,
          maximize: BOOLEAN,
        },
        state: { step: 'count', expAvg: 'tensor', expAvgSq: 'tensor' },
      },
      params,
      options,
    );
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<RAdamOptions>, state: ParamState): void {
    const { lr, betas, eps, decoupledWeightDecay } = group;
    const [beta1, beta2] = betas;
    const step = this.nextStep(state);
    const g = this.decayedGradient(p, grad, group, decoupledWeightDecay);
    const { expAvg, expAvgSq } = this.updateMoments(p, g, betas, state);
    const biasCorrection1 = 1 - beta1 ** step;
    const biasCorrection2 = 1 - beta2 ** step;
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * step * beta2 ** step) / biasCorrection2;
    const corrected = div(expAvg, biasCorrection1);
    if (rhoT > 5) {
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      const adaptive = div(Math.sqrt(biasCorrection2), add(sqrt(expAvgSq), eps));
      p.assign(sub(p, mul(mul(corrected, adaptive), lr * rect)));
    } else {
      p.assign(sub(p, mul(corrected, lr)));
    }
  }
}
