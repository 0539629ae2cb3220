import type { Tensor } from '@backprop/core';
import {
  type BCEOptions,
  type BCEWithLogitsOptions,
  bce,
  bceWithLogits,
  type HingeOptions,
  hinge,
} from './binary.js';
import {
  type CrossEntropyOptions,
  crossEntropy,
  type MultiMarginOptions,
  multiMargin,
  type NLLOptions,
  nll,
} from './classification.js';
import { type KLDivOptions, klDiv } from './divergence.js';
import {
  type HuberOptions,
  huber,
  l1,
  mse,
  type ReductionOptions,
  type SmoothL1Options,
  smoothL1,
} from './regression.js';
import { checkReduction, lossOptions } from './util.js';

/** A loss object's options, checked when it is built (names and reduction), so a bad one fails before training. */
function checkedOptions<O extends object>(
  name: string,
  options: unknown,
  known: readonly string[],
  reductions?: readonly string[],
): O {
  const checked = lossOptions<O & { reduction?: string }>(name, options, known);
  if (checked.reduction !== undefined) checkReduction(name, checked.reduction, reductions);
  return checked;
}

/** A loss as an object: options fixed at construction, `forward(input, target)` computes it. */
export abstract class Loss<O> {
  readonly options: Readonly<O>;
  constructor(options: O) {
    this.options = Object.freeze({ ...options });
  }
  /** The loss of `input` against `target`. */
  abstract forward(input: Tensor, target: Tensor): Tensor;
  /** Alias of `forward`, so a loss object can be called like a module. */
  call(input: Tensor, target: Tensor): Tensor {
    return this.forward(input, target);
  }
}

/** {@link mse} as an object. */
export class MSELoss extends Loss<ReductionOptions> {
  constructor(options: ReductionOptions = {}) {
    super(checkedOptions<ReductionOptions>('MSELoss', options, ['reduction']));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return mse(input, target, this.options);
  }
}

/** {@link l1} as an object. */
export class L1Loss extends Loss<ReductionOptions> {
  constructor(options: ReductionOptions = {}) {
    super(checkedOptions<ReductionOptions>('L1Loss', options, ['reduction']));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return l1(input, target, this.options);
  }
}

/** {@link huber} as an object. */
export class HuberLoss extends Loss<HuberOptions> {
  constructor(options: HuberOptions = {}) {
    super(checkedOptions<HuberOptions>('HuberLoss', options, ['reduction', 'delta']));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return huber(input, target, this.options);
  }
}

/** {@link smoothL1} as an object. */
export class SmoothL1Loss extends Loss<SmoothL1Options> {
  constructor(options: SmoothL1Options = {}) {
    super(checkedOptions<SmoothL1Options>('SmoothL1Loss', options, ['reduction', 'beta']));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1(input, target, this.options);
  }
}

/** {@link bce} as an object. */
export class BCELoss extends Loss<BCEOptions> {
  constructor(options: BCEOptions = {}) {
    super(checkedOptions<BCEOptions>('BCELoss', options, ['reduction', 'weight']));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return bce(input, target, this.options);
  }
}

/** {@link bceWithLogits} as an object. */
export class BCEWithLogitsLoss extends Loss<BCEWithLogitsOptions> {
  constructor(options: BCEWithLogitsOptions = {}) {
    super(
      checkedOptions<BCEWithLogitsOptions>('BCEWithLogitsLoss', options, [
        'reduction',
        'weight',
        'posWeight',
      ]),
    );
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return bceWithLogits(input, target, this.options);
  }
}

/** {@link crossEntropy} as an object. */
export class CrossEntropyLoss extends Loss<CrossEntropyOptions> {
  constructor(options: CrossEntropyOptions = {}) {
    super(
      checkedOptions<CrossEntropyOptions>('CrossEntropyLoss', options, [
        'reduction',
        'weight',
        'ignoreIndex',
        'labelSmoothing',
      ]),
    );
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, this.options);
  }
}

/** {@link nll} as an object. */
export class NLLLoss extends Loss<NLLOptions> {
  constructor(options: NLLOptions = {}) {
    super(checkedOptions<NLLOptions>('NLLLoss', options, ['reduction', 'weight', 'ignoreIndex']));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return nll(input, target, this.options);
  }
}

/** {@link klDiv} as an object. */
export class KLDivLoss extends Loss<KLDivOptions> {
  constructor(options: KLDivOptions = {}) {
    super(
      checkedOptions<KLDivOptions>(
        'KLDivLoss',
        options,
        ['reduction', 'logTarget'],
        ['mean', 'batchmean', 'sum', 'none'],
      ),
    );
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, this.options);
  }
}

/** {@link multiMargin} as an object. */
export class MultiMarginLoss extends Loss<MultiMarginOptions> {
  constructor(options: MultiMarginOptions = {}) {
    super(
      checkedOptions<MultiMarginOptions>('MultiMarginLoss', options, ['reduction', 'p', 'margin', 'weight']),
    );
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return multiMargin(input, target, this.options);
  }
}

/** {@link hinge} as an object. */
export class HingeLoss extends Loss<HingeOptions> {
  constructor(options: HingeOptions = {}) {
    super(checkedOptions<HingeOptions>('HingeLoss', options, ['reduction', 'margin']));
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return hinge(input, target, this.options);
  }
}
