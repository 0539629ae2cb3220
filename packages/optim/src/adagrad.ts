import { add, div, fullLike, mul, neg, sqrt, sub, type Tensor } from '@backprop/core';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { BOOLEAN, NON_NEGATIVE, POSITIVE } from './validate.js';

export interface AdagradOptions extends BaseOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Learning-rate decay: step t uses lr / (1 + (t − 1)·lrDecay) (default 0). */
  lrDecay: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value of the squared-gradient sum (default 0). */
  initialAccumulatorValue: number;
  /** Added to the denominator (default 1e-10). */
  eps: number;
  /** Maximize the objective instead (default false). */
  maximize: boolean;
}

/**
 * Adagrad with PyTorch's update rule: s ← s + g², W ← W − clr · g / (√s + eps) with
 * clr = lr / (1 + (t − 1)·lrDecay) at step t.
 *
 * State per parameter: `step`, `sum`.
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Params<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(
      {
        name: 'Adagrad',
        defaults: {
          lr: 1e-2,
          lrDecay: 0,
          weightDecay: 0,
          initialAccumulatorValue: 0,
          eps: 1e-10,
          maximize: false,
        },
        rules: {
          lr: NON_NEGATIVE,
          lrDecay: NON_NEGATIVE,
          weightDecay: NON_NEGATIVE,
          initialAccumulatorValue: NON_NEGATIVE,
          eps: POSITIVE,
          maximize: BOOLEAN,
        },
        state: { step: 'count', sum: 'tensor' },
      },
      params,
      options,
    );
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<AdagradOptions>, state: ParamState): void {
    const { lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize } = group;
    let g = maximize ? neg(grad) : grad;
    const sum = this.buffer(state, 'sum', () => fullLike(p, initialAccumulatorValue));
    const step = ((state.step as number | undefined) ?? 0) + 1;
    state.step = step;
    if (weightDecay !== 0) g = add(g, mul(p, weightDecay));
    const clr = lr / (1 + (step - 1) * lrDecay);
    sum.assign(add(sum, mul(g, g)));
    const std = add(sqrt(sum), eps);
    p.assign(sub(p, mul(div(g, std), clr)));
  }
}
