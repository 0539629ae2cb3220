import {
  ArgumentError,
  checkOptions,
  describeValue,
  formatShape,
  mul,
  ones,
  reshape,
  ShapeError,
  type Tensor,
} from '@backprop/core';
import * as F from '../functional/index.js';
import { Module } from '../module.js';
import { checkProbability, checkReal, checkSize, checkTensor } from '../validate.js';
import type { DropoutOptions } from './basic.js';

/** Splits dimension `dim` into `sizes` (PyTorch's `nn.Unflatten`): [N, 12] with (1, [3, 4]) becomes [N, 3, 4]. */
export class Unflatten extends Module {
  readonly sizes: readonly number[];

  constructor(
    readonly dim: number,
    sizes: readonly number[],
  ) {
    super();
    checkReal('Unflatten', 'dim', dim, { integer: true });
    if (!Array.isArray(sizes) || sizes.length === 0)
      throw new ArgumentError(
        `Unflatten: sizes must be a non-empty array of sizes, got ${describeValue(sizes)}`,
      );
    if (sizes.filter((s) => s === -1).length > 1)
      throw new ArgumentError(`Unflatten: at most one size may be -1, got ${describeValue(sizes)}`);
    for (const s of sizes) if (s !== -1) checkSize('Unflatten', 'sizes', s);
    this.sizes = [...sizes];
  }

  forward(x: Tensor): Tensor {
    checkTensor('Unflatten', 'input', x);
    const d = this.dim < 0 ? this.dim + x.rank : this.dim;
    if (d < 0 || d >= x.rank)
      throw new ShapeError(`Unflatten: dim ${this.dim} is out of range for input ${formatShape(x.shape)}`);
    const known = this.sizes.reduce((a, s) => (s === -1 ? a : a * s), 1);
    const sizes = this.sizes.map((s) => (s === -1 ? x.shape[d] / known : s));
    if (sizes.reduce((a, b) => a * b, 1) !== x.shape[d] || sizes.some((s) => !Number.isInteger(s))) {
      throw new ShapeError(
        `Unflatten: dimension ${d} of ${formatShape(x.shape)} (size ${x.shape[d]}) cannot be split into [${this.sizes.join(', ')}]`,
      );
    }
    return reshape(x, [...x.shape.slice(0, d), ...sizes, ...x.shape.slice(d + 1)]);
  }

  override extraRepr(): string {
    return `dim=${this.dim}, sizes=[${this.sizes.join(', ')}]`;
  }
}

/**
 * Channel dropout (PyTorch's `nn.Dropout2d`): while training, zeroes whole channels of
 * [N, C, H, W] (or [C, H, W]) input with probability `p` and scales the rest by 1/(1−p).
 */
export class Dropout2d extends Module {
  readonly p: number;
  private readonly generator: DropoutOptions['generator'];

  constructor(p = 0.5, options: DropoutOptions = {}) {
    super();
    this.p = checkProbability('Dropout2d', 'p', p);
    this.generator = checkOptions<DropoutOptions>('Dropout2d', options, ['generator']).generator;
  }

  forward(x: Tensor): Tensor {
    checkTensor('Dropout2d', 'input', x);
    if (x.rank !== 3 && x.rank !== 4)
      throw new ShapeError(
        `Dropout2d: expected [N, C, H, W] or [C, H, W] input, got ${formatShape(x.shape)}`,
      );
    if (!this.training || this.p === 0) return x;
    const channels = x.rank === 4 ? [x.shape[0], x.shape[1], 1, 1] : [x.shape[0], 1, 1];
    // One scaled keep-mask value per channel, broadcast over the plane.
    const mask = F.dropout(ones(channels, { device: x.device }), this.p, true, this.generator);
    return mul(x, mask);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
