import { checkOptions, flatten, type Generator, type Tensor } from '@backprop/core';
import * as F from '../functional/index.js';
import { Module } from '../module.js';
import { checkProbability, checkReal } from '../validate.js';

/** Returns its input unchanged (a placeholder, e.g. an optional layer turned off). */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

/** Merges dimensions `startDim..endDim` (1..-1 by default: everything but the batch dimension). */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
    checkReal('Flatten', 'startDim', startDim, { integer: true });
    checkReal('Flatten', 'endDim', endDim, { integer: true });
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

export interface DropoutOptions {
  /** Draw masks from this generator instead of core's global one. */
  generator?: Generator;
}

/**
 * Inverted dropout: while training, zeroes each element with probability `p` (masks drawn from
 * the seeded generator) and scales the survivors by 1/(1−p); the identity in `eval()` mode.
 */
export class Dropout extends Module {
  readonly p: number;
  private readonly generator: Generator | undefined;

  constructor(p = 0.5, options: DropoutOptions = {}) {
    super();
    this.p = checkProbability('Dropout', 'p', p);
    this.generator = checkOptions<DropoutOptions>('Dropout', options, ['generator']).generator;
  }

  forward(x: Tensor): Tensor {
    return F.dropout(x, this.p, this.training, this.generator);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
