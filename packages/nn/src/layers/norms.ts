import {
  add,
  checkBoolean,
  checkOptions,
  div,
  formatShape,
  mean,
  mul,
  ones,
  reshape,
  ShapeError,
  sqrt,
  square,
  sub,
  type Tensor,
  variance,
  zeros,
} from '@backprop/core';
import { Module } from '../module.js';
import { type Parameter, parameter } from '../parameter.js';
import { checkReal, checkSize, checkTensor } from '../validate.js';
import { BatchNorm1d } from './normalization.js';

/**
 * Batch normalisation of [N, C, H, W] input over the batch and both spatial dimensions (PyTorch's
 * `nn.BatchNorm2d`): the same statistics, running averages and options as `BatchNorm1d`, whose
 * computation it reuses on the [N, C, H·W] view.
 */
export class BatchNorm2d extends BatchNorm1d {
  override forward(x: Tensor): Tensor {
    checkTensor('BatchNorm2d', 'input', x);
    if (x.rank !== 4 || x.shape[1] !== this.numFeatures) {
      throw new ShapeError(
        `BatchNorm2d: expected input [N, ${this.numFeatures}, H, W], got ${formatShape(x.shape)}`,
      );
    }
    const [n, c, h, w] = x.shape;
    return reshape(super.forward(reshape(x, [n, c, h * w])), [n, c, h, w]);
  }
}

export interface GroupNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a per-channel scale (ones) and shift (zeros) (default true). */
  affine?: boolean;
}

/**
 * Group normalisation (Wu & He, 2018; PyTorch's `nn.GroupNorm`): the channels of [N, C, ...] input
 * split into `numGroups` groups, each normalised over its channels and positions with the biased
 * variance, then scaled and shifted per channel.
 */
export class GroupNorm extends Module {
  readonly eps: number;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(
    readonly numGroups: number,
    readonly numChannels: number,
    options: GroupNormOptions = {},
  ) {
    super();
    checkSize('GroupNorm', 'numGroups', numGroups);
    checkSize('GroupNorm', 'numChannels', numChannels);
    if (numChannels % numGroups !== 0)
      throw new ShapeError(
        `GroupNorm: numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`,
      );
    const checked = checkOptions<GroupNormOptions>('GroupNorm', options, ['eps', 'affine']);
    this.eps = checkReal('GroupNorm', 'eps', checked.eps ?? 1e-5, { above: 0 });
    const affine = checkBoolean('GroupNorm', 'affine', checked.affine) ?? true;
    this.weight = affine ? parameter(ones([numChannels])) : null;
    this.bias = affine ? parameter(zeros([numChannels])) : null;
  }

  forward(x: Tensor): Tensor {
    checkTensor('GroupNorm', 'input', x);
    if (x.rank < 2 || x.shape[1] !== this.numChannels) {
      throw new ShapeError(
        `GroupNorm: expected input [N, ${this.numChannels}, ...], got ${formatShape(x.shape)}`,
      );
    }
    const grouped = reshape(x, [x.shape[0], this.numGroups, -1]);
    const mu = mean(grouped, 2, { keepDims: true });
    const sigma2 = variance(grouped, 2, { keepDims: true, correction: 0 });
    let y = reshape(div(sub(grouped, mu), sqrt(add(sigma2, this.eps))), x.shape);
    const perChannel = [this.numChannels, ...x.shape.slice(2).map(() => 1)];
    if (this.weight) y = mul(y, reshape(this.weight, perChannel));
    if (this.bias) y = add(y, reshape(this.bias, perChannel));
    return y;
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.weight !== null}`;
  }
}

export interface RMSNormOptions {
  /** Added to the mean square (default: float32's machine epsilon, 2⁻²³, as PyTorch's `eps=None`). */
  eps?: number;
  /** Learn a per-element scale (ones) (default true). */
  elementwiseAffine?: boolean;
}

/**
 * Root-mean-square normalisation (Zhang & Sennrich, 2019; PyTorch's `nn.RMSNorm`) over the trailing
 * `normalizedShape` dimensions: x / √(mean(x²) + eps) · weight.
 */
export class RMSNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  weight: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: RMSNormOptions = {}) {
    super();
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (shape.length === 0) throw new ShapeError('RMSNorm: normalizedShape must not be empty');
    for (const d of shape) checkSize('RMSNorm', 'normalizedShape', d);
    const checked = checkOptions<RMSNormOptions>('RMSNorm', options, ['eps', 'elementwiseAffine']);
    this.normalizedShape = shape;
    this.eps = checkReal('RMSNorm', 'eps', checked.eps ?? 2 ** -23, { above: 0 });
    const affine = checkBoolean('RMSNorm', 'elementwiseAffine', checked.elementwiseAffine) ?? true;
    this.weight = affine ? parameter(ones(shape)) : null;
  }

  forward(x: Tensor): Tensor {
    checkTensor('RMSNorm', 'input', x);
    const k = this.normalizedShape.length;
    const tail = x.shape.slice(x.rank - k);
    if (x.rank < k || tail.some((d, i) => d !== this.normalizedShape[i])) {
      throw new ShapeError(
        `RMSNorm: input ${formatShape(x.shape)} must end in ${formatShape(this.normalizedShape)}`,
      );
    }
    const axes = Array.from({ length: k }, (_, i) => x.rank - k + i);
    const y = div(x, sqrt(add(mean(square(x), axes, { keepDims: true }), this.eps)));
    return this.weight ? mul(y, this.weight) : y;
  }

  override extraRepr(): string {
    return `${formatShape(this.normalizedShape)}, eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }
}
