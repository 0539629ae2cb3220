import {
  ArgumentError,
  type Conv2dOptions,
  type ConvTranspose2dOptions,
  checkBoolean,
  checkOptions,
  conv1d,
  conv2d,
  convTranspose2d,
  type Pair,
  type Tensor,
  zeros,
} from '@backprop/core';
import { kaimingUniform, uniform } from '../init.js';
import { Module } from '../module.js';
import { type Parameter, parameter } from '../parameter.js';
import { checkSize } from '../validate.js';

/** Options of `Conv2d`: `F.conv2d`'s, plus whether to learn a bias. */
export interface Conv2dLayerOptions extends Conv2dOptions {
  /** Learn an additive bias per output channel (default true). */
  bias?: boolean;
}

/** Options of `Conv1d`. */
export interface Conv1dLayerOptions {
  stride?: number;
  padding?: number | 'same' | 'valid';
  dilation?: number;
  groups?: number;
  bias?: boolean;
}

/** Options of `ConvTranspose2d`. */
export interface ConvTranspose2dLayerOptions extends ConvTranspose2dOptions {
  bias?: boolean;
}

const CONV_OPTIONS = ['stride', 'padding', 'dilation', 'groups', 'bias'];

function kernelPair(value: Pair): [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

/** Checks channel counts against groups, as PyTorch's `_ConvNd` does. */
function checkChannels(what: string, inChannels: number, outChannels: number, groups: number): void {
  checkSize(what, 'inChannels', inChannels);
  checkSize(what, 'outChannels', outChannels);
  checkSize(what, 'groups', groups);
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new ArgumentError(
      `${what}: inChannels (${inChannels}) and outChannels (${outChannels}) must both be divisible by groups (${groups})`,
    );
  }
}

/**
 * PyTorch's initialisation of a convolution: the weight by kaiming_uniform(a = √5), the bias by
 * U(±1/√fanIn), fanIn read from the weight as PyTorch reads it (dimension 1 times the kernel size).
 */
function resetConv(weight: Parameter, bias: Parameter | null): void {
  kaimingUniform(weight, { a: Math.sqrt(5) });
  if (bias) {
    const fanIn = weight.shape.slice(1).reduce((a, b) => a * b, 1);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform(bias, -bound, bound);
  }
}

/**
 * 2-D convolution over [N, C, H, W] (or [C, H, W]) input, PyTorch's `nn.Conv2d`: weight
 * [out, in/groups, kH, kW], bias [out], initialised as PyTorch does.
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly options: Conv2dOptions;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options: Conv2dLayerOptions = {}) {
    super();
    const { bias, ...conv } = checkOptions<Conv2dLayerOptions>('Conv2d', options, CONV_OPTIONS);
    const groups = conv.groups ?? 1;
    checkChannels('Conv2d', inChannels, outChannels, groups);
    this.kernelSize = kernelPair(kernelSize);
    for (const k of this.kernelSize) checkSize('Conv2d', 'kernelSize', k);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.options = conv;
    this.weight = parameter(zeros([outChannels, inChannels / groups, ...this.kernelSize]));
    this.bias = (checkBoolean('Conv2d', 'bias', bias) ?? true) ? parameter(zeros([outChannels])) : null;
    this.resetParameters();
  }

  /** Re-draws the weight and bias with PyTorch's default initialisation. */
  resetParameters(): void {
    resetConv(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, this.options);
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize.join(', ')}], ${JSON.stringify(this.options)}, bias=${this.bias !== null}`;
  }
}

/** 1-D convolution over [N, C, L] (or [C, L]) input, PyTorch's `nn.Conv1d`: weight [out, in/groups, k], bias [out]. */
export class Conv1d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly options: Omit<Conv1dLayerOptions, 'bias'>;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: number, options: Conv1dLayerOptions = {}) {
    super();
    const { bias, ...conv } = checkOptions<Conv1dLayerOptions>('Conv1d', options, CONV_OPTIONS);
    const groups = conv.groups ?? 1;
    checkChannels('Conv1d', inChannels, outChannels, groups);
    this.kernelSize = checkSize('Conv1d', 'kernelSize', kernelSize);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.options = conv;
    this.weight = parameter(zeros([outChannels, inChannels / groups, kernelSize]));
    this.bias = (checkBoolean('Conv1d', 'bias', bias) ?? true) ? parameter(zeros([outChannels])) : null;
    this.resetParameters();
  }

  /** Re-draws the weight and bias with PyTorch's default initialisation. */
  resetParameters(): void {
    resetConv(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, this.options);
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernelSize=${this.kernelSize}, ${JSON.stringify(this.options)}, bias=${this.bias !== null}`;
  }
}

/**
 * Transposed 2-D convolution, PyTorch's `nn.ConvTranspose2d`: weight [in, out/groups, kH, kW],
 * bias [out], initialised as PyTorch does (fanIn = out/groups · kH · kW, read from the weight).
 */
export class ConvTranspose2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly options: ConvTranspose2dOptions;
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Pair,
    options: ConvTranspose2dLayerOptions = {},
  ) {
    super();
    const { bias, ...conv } = checkOptions<ConvTranspose2dLayerOptions>('ConvTranspose2d', options, [
      ...CONV_OPTIONS,
      'outputPadding',
    ]);
    const groups = conv.groups ?? 1;
    checkChannels('ConvTranspose2d', inChannels, outChannels, groups);
    this.kernelSize = kernelPair(kernelSize);
    for (const k of this.kernelSize) checkSize('ConvTranspose2d', 'kernelSize', k);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.options = conv;
    this.weight = parameter(zeros([inChannels, outChannels / groups, ...this.kernelSize]));
    this.bias =
      (checkBoolean('ConvTranspose2d', 'bias', bias) ?? true) ? parameter(zeros([outChannels])) : null;
    this.resetParameters();
  }

  /** Re-draws the weight and bias with PyTorch's default initialisation. */
  resetParameters(): void {
    resetConv(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, this.options);
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize.join(', ')}], ${JSON.stringify(this.options)}, bias=${this.bias !== null}`;
  }
}
