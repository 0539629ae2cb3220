import { ArgumentError, checkOptions, full, max, reshape, type Tensor } from '@backprop/core';
import * as F from '../functional/index.js';
import { Module } from '../module.js';
import { type Parameter, parameter } from '../parameter.js';
import { checkChoice, checkReal, checkSize } from '../validate.js';
import { Linear, type LinearOptions } from './linear.js';

/** sigmoid(x) = 1 / (1 + e^−x). */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return F.sigmoid(x);
  }
}

/** tanh(x). */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return F.tanh(x);
  }
}

/** ReLU: max(x, 0). */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return F.relu(x);
  }
}

/** Absolute-value rectification |x| (ReLU generalised with slope −1 for negatives). */
export class AbsReLU extends Module {
  forward(x: Tensor): Tensor {
    return F.absRelu(x);
  }
}

/** Leaky ReLU: x for x > 0, `negativeSlope`·x otherwise (0.01 by default). */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
    checkReal('LeakyReLU', 'negativeSlope', negativeSlope);
  }

  forward(x: Tensor): Tensor {
    return F.leakyRelu(x, this.negativeSlope);
  }

  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

export interface PReLUOptions {
  /** 1 (one slope shared by all channels, the default) or the number of channels (input axis 1). */
  numParameters?: number;
  /** Initial slope (default 0.25). */
  init?: number;
}

/** Parametric ReLU: x for x > 0, a·x otherwise, with the slope `a` a learned parameter (`weight`). */
export class PReLU extends Module {
  readonly numParameters: number;
  weight: Parameter;

  constructor(options: PReLUOptions = {}) {
    super();
    const checked = checkOptions<PReLUOptions>('PReLU', options, ['numParameters', 'init']);
    this.numParameters = checkSize('PReLU', 'numParameters', checked.numParameters ?? 1);
    const init = checkReal('PReLU', 'init', checked.init ?? 0.25);
    this.weight = parameter(full([this.numParameters], init));
  }

  forward(x: Tensor): Tensor {
    return F.prelu(x, this.weight);
  }

  override extraRepr(): string {
    return `numParameters=${this.numParameters}`;
  }
}

/** ELU: x for x > 0, α(eˣ − 1) otherwise. */
export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
    checkReal('ELU', 'alpha', alpha);
  }

  forward(x: Tensor): Tensor {
    return F.elu(x, this.alpha);
  }

  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** CELU: max(0, x) + min(0, α(e^{x/α} − 1)). */
export class CELU extends Module {
  constructor(readonly alpha = 1) {
    super();
    if (checkReal('CELU', 'alpha', alpha) === 0) throw new ArgumentError('CELU: alpha must not be 0, got 0');
  }

  forward(x: Tensor): Tensor {
    return F.celu(x, this.alpha);
  }

  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** SELU: λ·ELU(x, α), self-normalising. */
export class SELU extends Module {
  forward(x: Tensor): Tensor {
    return F.selu(x);
  }
}

/** GELU: x·Φ(x), exact (erf) or with the tanh approximation. */
export class GELU extends Module {
  constructor(readonly approximate: F.GeluApproximation = 'none') {
    super();
    checkChoice('GELU', 'approximate', approximate, ['none', 'tanh']);
  }

  forward(x: Tensor): Tensor {
    return F.gelu(x, this.approximate);
  }

  override extraRepr(): string {
    return `approximate=${this.approximate}`;
  }
}

/** SiLU: x·sigmoid(x). */
export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return F.silu(x);
  }
}

/** Swish: x·sigmoid(βx) (β = 1 is SiLU). */
export class Swish extends Module {
  constructor(readonly beta = 1) {
    super();
    checkReal('Swish', 'beta', beta);
  }

  forward(x: Tensor): Tensor {
    return F.swish(x, this.beta);
  }

  override extraRepr(): string {
    return `beta=${this.beta}`;
  }
}

/** Mish: x·tanh(softplus(x)). */
export class Mish extends Module {
  forward(x: Tensor): Tensor {
    return F.mish(x);
  }
}

/** Softplus: (1/β)·log(1 + e^{βx}), linear above `threshold`. */
export class Softplus extends Module {
  constructor(
    readonly beta = 1,
    readonly threshold = 20,
  ) {
    super();
    checkReal('Softplus', 'beta', beta, { above: 0 });
    checkReal('Softplus', 'threshold', threshold);
  }

  forward(x: Tensor): Tensor {
    return F.softplus(x, this.beta, this.threshold);
  }

  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** log(sigmoid(x)). */
export class LogSigmoid extends Module {
  forward(x: Tensor): Tensor {
    return F.logSigmoid(x);
  }
}

/** Softsign: x / (1 + |x|). */
export class Softsign extends Module {
  forward(x: Tensor): Tensor {
    return F.softsign(x);
  }
}

/** Hardtanh: x clamped to [minVal, maxVal] ([−1, 1] by default). */
export class Hardtanh extends Module {
  constructor(
    readonly minVal = -1,
    readonly maxVal = 1,
  ) {
    super();
    checkReal('Hardtanh', 'minVal', minVal);
    checkReal('Hardtanh', 'maxVal', maxVal);
    if (!(minVal <= maxVal))
      throw new ArgumentError(`Hardtanh: expected minVal <= maxVal, got ${minVal} and ${maxVal}`);
  }

  forward(x: Tensor): Tensor {
    return F.hardtanh(x, this.minVal, this.maxVal);
  }

  override extraRepr(): string {
    return `minVal=${this.minVal}, maxVal=${this.maxVal}`;
  }
}

/** ReLU6: min(max(x, 0), 6). */
export class ReLU6 extends Module {
  forward(x: Tensor): Tensor {
    return F.relu6(x);
  }
}

/** Hard sigmoid: relu6(x + 3) / 6. */
export class Hardsigmoid extends Module {
  forward(x: Tensor): Tensor {
    return F.hardSigmoid(x);
  }
}

/** Hard swish: x·relu6(x + 3) / 6. */
export class Hardswish extends Module {
  forward(x: Tensor): Tensor {
    return F.hardSwish(x);
  }
}

/** Softmax over `dim` (the last by default), stable for huge logits. */
export class Softmax extends Module {
  constructor(readonly dim = -1) {
    super();
    checkReal('Softmax', 'dim', dim, { integer: true });
  }

  forward(x: Tensor): Tensor {
    return F.softmax(x, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** log(softmax(x)) over `dim` (the last by default). */
export class LogSoftmax extends Module {
  constructor(readonly dim = -1) {
    super();
    checkReal('LogSoftmax', 'dim', dim, { integer: true });
  }

  forward(x: Tensor): Tensor {
    return F.logSoftmax(x, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * Maxout (Goodfellow et al., 2013): k linear pieces per output, y_j = max_i (x·W_{j,i} + b_{j,i}).
 * Computed as Linear(d, p·k) reshaped to [..., p, k] and maximised over the last axis; output p
 * is built from columns j·k … j·k + k − 1 of the inner linear layer.
 */
export class Maxout extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly pieces: number;
  linear: Linear;

  constructor(inFeatures: number, outFeatures: number, pieces: number, options: LinearOptions = {}) {
    super();
    checkSize('Maxout', 'inFeatures', inFeatures);
    checkSize('Maxout', 'outFeatures', outFeatures);
    checkSize('Maxout', 'pieces', pieces);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.pieces = pieces;
    this.linear = new Linear(inFeatures, outFeatures * pieces, options);
  }

  forward(x: Tensor): Tensor {
    const z = this.linear.call(x);
    return max(reshape(z, [...z.shape.slice(0, -1), this.outFeatures, this.pieces]), -1);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, pieces=${this.pieces}`;
  }
}
