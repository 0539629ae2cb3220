import { abs, add, div, maximum, mul, neg, sub, type Tensor, zerosLike } from '@backprop/core';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { BOOLEAN, NON_NEGATIVE, POSITIVE, pair, UNIT_OPEN } from './validate.js';

export interface AdamaxOptions extends BaseOptions {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** Decay rates of the first moment and of the infinity norm, each in [0, 1) (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to |g| before the maximum, so the denominator is never 0 (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead (default false). */
  maximize: boolean;
}

/**
 * Adamax (Kingma & Ba: Adam with the infinity norm) with PyTorch's update rule:
 * m ← m + (1 − β₁)(g − m), u ← max(β₂·u, |g| + eps), W ← W − (lr / (1 − β₁ᵗ)) · m / u.
 *
 * State per parameter: `step`, `expAvg`, `expInf`.
 */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: Params<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super(
      {
        name: 'Adamax',
        defaults: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false },
        rules: {
          lr: NON_NEGATIVE,
          betas: pair(UNIT_OPEN),
          eps: POSITIVE,
          weightDecay: NON_NEGATIVE,
          maximize: BOOLEAN,
        },
        state: { step: 'count', expAvg: 'tensor', expInf: 'tensor' },
      },
      params,
      options,
    );
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<AdamaxOptions>, state: ParamState): void {
    const { lr, betas, eps, weightDecay, maximize } = group;
    const [beta1, beta2] = betas;
    let g = maximize ? neg(grad) : grad;
    const step = ((state.step as number | undefined) ?? 0) + 1;
    state.step = step;
    if (weightDecay !== 0) g = add(g, mul(p, weightDecay));
    const expAvg = this.buffer(state, 'expAvg', () => zerosLike(p));
    const expInf = this.buffer(state, 'expInf', () => zerosLike(p));
    expAvg.assign(add(expAvg, mul(sub(g, expAvg), 1 - beta1)));
    expInf.assign(maximum(mul(expInf, beta2), add(abs(g), eps)));
    const clr = lr / (1 - beta1 ** step);
    p.assign(sub(p, mul(div(expAvg, expInf), clr)));
  }
}
