import {
  ArgumentError,
  clamp,
  fullLike,
  gt,
  lt,
  mul,
  neg,
  sign,
  sub,
  type Tensor,
  where,
  zerosLike,
} from '@backprop/core';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { BOOLEAN, NON_NEGATIVE, POSITIVE, pair } from './validate.js';

export interface RpropOptions extends BaseOptions {
  /** The initial step size of every element (default 1e-2). */
  lr: number;
  /** [η⁻, η⁺]: step-size factors when the gradient's sign flips / stays, 0 < η⁻ < 1 < η⁺ (default [0.5, 1.2]). */
  etas: [number, number];
  /** [min, max] step size, 0 ≤ min ≤ max (default [1e-6, 50]). */
  stepSizes: [number, number];
  /** Maximize the objective instead (default false). */
  maximize: boolean;
}

/**
 * Rprop (Riedmiller & Braun, resilient backpropagation) with PyTorch's update rule: each element
 * has its own step size s (starting at lr). With σ = sign(g·g_prev), s ← clamp(s·η⁺) where σ > 0,
 * s ← clamp(s·η⁻) where σ < 0 (and that element's gradient is taken as 0 this step), s unchanged
 * where σ = 0; then W ← W − sign(g)·s and g_prev ← g. Use it with full-batch gradients.
 *
 * State per parameter: `step`, `prev`, `stepSize`.
 */
export class Rprop extends Optimizer<RpropOptions> {
  constructor(params: Params<RpropOptions>, options: Partial<RpropOptions> = {}) {
    super(
      {
        name: 'Rprop',
        defaults: { lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false },
        rules: { lr: NON_NEGATIVE, etas: pair(POSITIVE), stepSizes: pair(NON_NEGATIVE), maximize: BOOLEAN },
        state: { step: 'count', prev: 'tensor', stepSize: 'tensor' },
      },
      params,
      options,
    );
  }

  protected override checkGroup(group: ParamGroup<RpropOptions>): void {
    const [etaMinus, etaPlus] = group.etas;
    if (!(etaMinus < 1 && etaPlus > 1)) {
      throw new ArgumentError(
        `Rprop: etas must satisfy 0 < etas[0] < 1 < etas[1], got [${etaMinus}, ${etaPlus}]`,
      );
    }
    const [min, max] = group.stepSizes;
    if (!(min <= max))
      throw new ArgumentError(
        `Rprop: stepSizes must satisfy stepSizes[0] ≤ stepSizes[1], got [${min}, ${max}]`,
      );
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<RpropOptions>, state: ParamState): void {
    const { lr, etas, stepSizes, maximize } = group;
    const [etaMinus, etaPlus] = etas;
    const g = maximize ? neg(grad) : grad;
    state.step = ((state.step as number | undefined) ?? 0) + 1;
    const prev = this.buffer(state, 'prev', () => zerosLike(p));
    const stepSize = this.buffer(state, 'stepSize', () => fullLike(p, lr));
    const agreement = sign(mul(g, prev));
    const flipped = lt(agreement, 0);
    const factor = where(gt(agreement, 0), etaPlus, where(flipped, etaMinus, 1));
    stepSize.assign(clamp(mul(stepSize, factor), stepSizes[0], stepSizes[1]));
    const kept = where(flipped, 0, g);
    p.assign(sub(p, mul(sign(kept), stepSize)));
    prev.assign(kept);
  }
}
