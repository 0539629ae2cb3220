import { add, div, mul, neg, sqrt, sub, type Tensor, zerosLike } from '@backprop/core';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { BOOLEAN, NON_NEGATIVE, POSITIVE, UNIT } from './validate.js';

export interface RMSpropOptions extends BaseOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Smoothing constant of the squared-gradient average, in [0, 1] (default 0.99). */
  alpha: number;
  /** Added to the denominator (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalise by an estimate of the gradient's variance instead (default false). */
  centered: boolean;
  /** Maximize the objective instead (default false). */
  maximize: boolean;
}

/**
 * RMSprop with PyTorch's update rule: v ← α·v + (1 − α)·g²; with `centered`, ḡ ← ḡ + (1 − α)(g − ḡ)
 * and the denominator is √(v − ḡ²) + eps, else √v + eps; with momentum, b ← momentum·b + g/denominator
 * and W ← W − lr·b, else W ← W − lr·g/denominator.
 *
 * State per parameter: `step`, `squareAvg`, `momentumBuffer` (momentum > 0), `gradAvg` (centered).
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(
      {
        name: 'RMSprop',
        defaults: {
          lr: 1e-2,
          alpha: 0.99,
          eps: 1e-8,
          weightDecay: 0,
          momentum: 0,
          centered: false,
          maximize: false,
        },
        rules: {
          lr: NON_NEGATIVE,
          alpha: UNIT,
          eps: POSITIVE,
          weightDecay: NON_NEGATIVE,
          momentum: NON_NEGATIVE,
          centered: BOOLEAN,
          maximize: BOOLEAN,
        },
        state: { step: 'count', squareAvg: 'tensor', momentumBuffer: 'tensor', gradAvg: 'tensor' },
      },
      params,
      options,
    );
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<RMSpropOptions>, state: ParamState): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    let g = maximize ? neg(grad) : grad;
    if (weightDecay !== 0) g = add(g, mul(p, weightDecay));
    state.step = ((state.step as number | undefined) ?? 0) + 1;
    const squareAvg = this.buffer(state, 'squareAvg', () => zerosLike(p));
    squareAvg.assign(add(mul(squareAvg, alpha), mul(mul(g, g), 1 - alpha)));
    let avg: Tensor;
    if (centered) {
      const gradAvg = this.buffer(state, 'gradAvg', () => zerosLike(p));
      gradAvg.assign(add(gradAvg, mul(sub(g, gradAvg), 1 - alpha)));
      avg = add(sqrt(sub(squareAvg, mul(gradAvg, gradAvg))), eps);
    } else {
      avg = add(sqrt(squareAvg), eps);
    }
    if (momentum > 0) {
      const buf = this.buffer(state, 'momentumBuffer', () => zerosLike(p));
      buf.assign(add(mul(buf, momentum), div(g, avg)));
      p.assign(sub(p, mul(buf, lr)));
    } else {
      p.assign(sub(p, mul(div(g, avg), lr)));
    }
  }
}
