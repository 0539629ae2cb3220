import {
  type AvgPool2dOptions,
  adaptiveAvgPool2d,
  avgPool2d,
  checkOptions,
  type MaxPool2dOptions,
  maxPool2d,
  maxPool2dWithIndices,
  type Pair,
  type PoolWithIndices,
  type Tensor,
} from '@backprop/core';
import { Module } from '../module.js';

/** Max pooling over [N, C, H, W] (or [C, H, W]) input, PyTorch's `nn.MaxPool2d` (stride defaults to the kernel size). */
export class MaxPool2d extends Module {
  constructor(
    readonly kernelSize: Pair,
    readonly options: MaxPool2dOptions = {},
  ) {
    super();
    checkOptions('MaxPool2d', options, ['stride', 'padding', 'dilation', 'ceilMode']);
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, this.options);
  }

  /** The pooled values and the flat input index (h·W + w) of each, as PyTorch's `return_indices=True`. */
  forwardWithIndices(x: Tensor): PoolWithIndices {
    return maxPool2dWithIndices(x, this.kernelSize, this.options);
  }

  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}, ${JSON.stringify(this.options)}`;
  }
}

/** Average pooling over [N, C, H, W] (or [C, H, W]) input, PyTorch's `nn.AvgPool2d`. */
export class AvgPool2d extends Module {
  constructor(
    readonly kernelSize: Pair,
    readonly options: AvgPool2dOptions = {},
  ) {
    super();
    checkOptions('AvgPool2d', options, [
      'stride',
      'padding',
      'ceilMode',
      'countIncludePad',
      'divisorOverride',
    ]);
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, this.options);
  }

  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}, ${JSON.stringify(this.options)}`;
  }
}

/** Adaptive average pooling to a fixed [oH, oW], PyTorch's `nn.AdaptiveAvgPool2d`. */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: Pair) {
    super();
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}`;
  }
}
