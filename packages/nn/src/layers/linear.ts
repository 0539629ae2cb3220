import { checkBoolean, checkOptions, type Tensor, zeros } from '@backprop/core';
import * as F from '../functional/index.js';
import { kaimingUniform, uniform } from '../init.js';
import { Module } from '../module.js';
import { type Parameter, parameter } from '../parameter.js';
import { checkSize } from '../validate.js';

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/**
 * The linear model d → p: y = x·Wᵀ + b with W [p, d] and b [p] (PyTorch's layout). Accepts input
 * [..., d] of any rank ≥ 1. Initialised as PyTorch does: W by kaiming_uniform(a = √5), which is
 * U(±1/√d), and b by U(±1/√d), from the seeded generator.
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    checkSize('Linear', 'inFeatures', inFeatures);
    checkSize('Linear', 'outFeatures', outFeatures);
    const bias = checkBoolean(
      'Linear',
      'bias',
      checkOptions<LinearOptions>('Linear', options, ['bias']).bias,
    );
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = parameter(zeros([outFeatures, inFeatures]));
    this.bias = (bias ?? true) ? parameter(zeros([outFeatures])) : null;
    this.resetParameters();
  }

  /** Re-draws the weights and bias with PyTorch's default initialisation. */
  resetParameters(): void {
    if (this.inFeatures > 0 && this.outFeatures > 0) kaimingUniform(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      uniform(this.bias, -bound, bound);
    }
  }

  forward(x: Tensor): Tensor {
    return F.linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
