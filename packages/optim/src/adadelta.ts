import { add, div, mul, neg, sqrt, sub, type Tensor, zerosLike } from '@backprop/core';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { BOOLEAN, NON_NEGATIVE, POSITIVE, UNIT } from './validate.js';

export interface AdadeltaOptions extends BaseOptions {
  /** Scales the computed step (default 1, as in the paper: Adadelta needs no learning rate). */
  lr: number;
  /** Decay of the running averages, in [0, 1] (default 0.9). */
  rho: number;
  /** Added inside both square roots (default 1e-6). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead (default false). */
  maximize: boolean;
}

/**
 * Adadelta (Zeiler) with PyTorch's update rule: v ← ρ·v + (1 − ρ)·g²,
 * Δ = √(u + eps) / √(v + eps) · g, u ← ρ·u + (1 − ρ)·Δ², W ← W − lr·Δ.
 *
 * State per parameter: `step`, `squareAvg` (v), `accDelta` (u).
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: Params<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super(
      {
        name: 'Adadelta',
        defaults: { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false },
        rules: {
          lr: NON_NEGATIVE,
          rho: UNIT,
          eps: POSITIVE,
          weightDecay: NON_NEGATIVE,
          maximize: BOOLEAN,
        },
        state: { step: 'count', squareAvg: 'tensor', accDelta: 'tensor' },
      },
      params,
      options,
    );
  }

  protected updateParam(
    p: Tensor,
    grad: Tensor,
    group: ParamGroup<AdadeltaOptions>,
    state: ParamState,
  ): void {
    const { lr, rho, eps, weightDecay, maximize } = group;
    let g = maximize ? neg(grad) : grad;
    state.step = ((state.step as number | undefined) ?? 0) + 1;
    if (weightDecay !== 0) g = add(g, mul(p, weightDecay));
    const squareAvg = this.buffer(state, 'squareAvg', () => zerosLike(p));
    const accDelta = this.buffer(state, 'accDelta', () => zerosLike(p));
    squareAvg.assign(add(mul(squareAvg, rho), mul(mul(g, g), 1 - rho)));
    const delta = mul(div(sqrt(add(accDelta, eps)), sqrt(add(squareAvg, eps))), g);
    accDelta.assign(add(mul(accDelta, rho), mul(mul(delta, delta), 1 - rho)));
    p.assign(sub(p, mul(delta, lr)));
  }
}
