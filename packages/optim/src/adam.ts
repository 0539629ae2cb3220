import {
  ArgumentError,
  add,
  div,
  maximum,
  mul,
  neg,
  sqrt,
  sub,
  type Tensor,
  zerosLike,
} from '@backprop/core';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer.js';

export interface AdamOptions extends BaseOptions {
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

function adamDefaults(options: Partial<AdamOptions>, weightDecay: number): AdamOptions {
  return {
    lr: 1e-3,
    betas: [0.9, 0.999],
    eps: 1e-8,
    weightDecay,
    amsgrad: false,
    maximize: false,
    ...options,
  };
}

/** The update Adam and AdamW share (PyTorch's `_single_tensor_adam`). */
export abstract class AdamBase extends Optimizer<AdamOptions> {
  /** Whether weight decay is decoupled (AdamW). */
  protected readonly decoupled: boolean;

  protected constructor(
    name: string,
    decoupled: boolean,
    params: Params<AdamOptions>,
    defaults: AdamOptions,
  ) {
    super(name, params, defaults);
    this.decoupled = decoupled;
  }

  protected override validate(group: ParamGroup<AdamOptions>): void {
    super.validate(group);
    const { betas, eps, weightDecay } = group;
    if (!Array.isArray(betas) || betas.length !== 2)
      throw new ArgumentError(`${this.name}: betas must be [beta1, beta2]`);
    for (const [i, b] of betas.entries()) {
      if (!(b >= 0 && b < 1)) {
        throw new ArgumentError(
          `${this.name}: invalid beta parameter at index ${i}: ${b} (expected 0 <= beta < 1)`,
        );
      }
    }
    if (!(eps >= 0)) throw new ArgumentError(`${this.name}: invalid eps ${eps} (expected >= 0)`);
    if (!(weightDecay >= 0))
      throw new ArgumentError(`${this.name}: invalid weightDecay ${weightDecay} (expected >= 0)`);
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<AdamOptions>, state: ParamState): void {
    const { lr, betas, eps, weightDecay, amsgrad, maximize } = group;
    const [beta1, beta2] = betas;
    let g = maximize ? neg(grad) : grad;
    if (weightDecay !== 0) {
      if (this.decoupled) p.assign(mul(p, 1 - lr * weightDecay));
      else g = add(g, mul(p, weightDecay));
    }
    const expAvg = this.buffer(state, 'expAvg', () => zerosLike(p));
    const expAvgSq = this.buffer(state, 'expAvgSq', () => zerosLike(p));
    const step = ((state.step as number | undefined) ?? 0) + 1;
    state.step = step;
    expAvg.assign(add(expAvg, mul(sub(g, expAvg), 1 - beta1)));
    expAvgSq.assign(add(mul(expAvgSq, beta2), mul(mul(g, g), 1 - beta2)));
    const biasCorrection1 = 1 - beta1 ** step;
    const biasCorrection2 = 1 - beta2 ** step;
    const stepSize = lr / biasCorrection1;
    const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
    let second = expAvgSq;
    if (amsgrad) {
      const maxExpAvgSq = this.buffer(state, 'maxExpAvgSq', () => zerosLike(p));
      maxExpAvgSq.assign(maximum(maxExpAvgSq, expAvgSq));
      second = maxExpAvgSq;
    }
    const denom = add(div(sqrt(second), biasCorrection2Sqrt), eps);
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
    super('Adam', false, params, adamDefaults(options, 0));
  }
}

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, W ← W·(1 − lr·weightDecay) before
 * the Adam step, as PyTorch's `AdamW` (default weightDecay 1e-2). Same state as {@link Adam}.
 */
export class AdamW extends AdamBase {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('AdamW', true, params, adamDefaults(options, 1e-2));
  }
}
