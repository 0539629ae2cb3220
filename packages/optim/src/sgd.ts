import {
  ArgumentError,
  add,
  clone,
  mul,
  neg,
  sgdMomentumUpdate,
  sgdUpdate,
  type Tensor,
} from '@backprop/core';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { BOOLEAN, NON_NEGATIVE, UNIT } from './validate.js';

export interface SGDOptions extends BaseOptions {
  /** Learning rate (default 1e-3, PyTorch's). */
  lr: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Dampening for momentum, in [0, 1] (default 0). */
  dampening: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** Maximize the objective instead (default false). */
  maximize: boolean;
}

/**
 * Stochastic gradient descent, `W ← W − lr·g`, with PyTorch's momentum rule: with
 * g ← g + weightDecay·W, the buffer starts as b₁ = g and continues b ← momentum·b + (1 − dampening)·g;
 * the step uses g ← g + momentum·b (Nesterov) or g ← b.
 *
 * State per parameter: `momentumBuffer` (when momentum ≠ 0).
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super(
      {
        name: 'SGD',
        defaults: { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
        rules: {
          lr: NON_NEGATIVE,
          momentum: NON_NEGATIVE,
          dampening: UNIT,
          weightDecay: NON_NEGATIVE,
          nesterov: BOOLEAN,
          maximize: BOOLEAN,
        },
        state: { momentumBuffer: 'tensor' },
      },
      params,
      options,
    );
  }

  protected override checkGroup(group: ParamGroup<SGDOptions>): void {
    if (group.nesterov && (group.momentum <= 0 || group.dampening !== 0)) {
      throw new ArgumentError(
        `SGD: nesterov requires momentum > 0 and dampening = 0, got momentum ${group.momentum} and dampening ${group.dampening}`,
      );
    }
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<SGDOptions>, state: ParamState): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    let g = maximize ? neg(grad) : grad;
    if (weightDecay !== 0) g = add(g, mul(p, weightDecay));
    const buf = state.momentumBuffer as Tensor | undefined;
    if (momentum !== 0 && buf) {
      // One fused kernel where the backend has it; the same ops composed elsewhere.
      const next = sgdMomentumUpdate(p, g, buf, { lr, momentum, dampening, nesterov });
      buf.assign(next.momentumBuffer);
      p.assign(next.param);
      return;
    }
    if (momentum !== 0) {
      const first = this.buffer(state, 'momentumBuffer', () => clone(g));
      g = nesterov ? add(g, mul(first, momentum)) : first;
    }
    p.assign(sgdUpdate(p, g, { lr }));
  }
}
