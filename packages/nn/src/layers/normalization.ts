import {
  ArgumentError,
  add,
  checkBoolean,
  checkOptions,
  describeValue,
  div,
  formatShape,
  mean,
  mul,
  noGrad,
  ones,
  reshape,
  ShapeError,
  sqrt,
  sub,
  type Tensor,
  tidy,
  variance,
  zeros,
} from '@backprop/core';
import * as F from '../functional/index.js';
import { Module } from '../module.js';
import { type Parameter, parameter } from '../parameter.js';
import { checkReal, checkSize, checkTensor } from '../validate.js';

export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a per-element scale (ones) and shift (zeros) (default true). */
  elementwiseAffine?: boolean;
  /** Learn the shift when `elementwiseAffine` (default true). */
  bias?: boolean;
}

/** Layer normalisation over the trailing `normalizedShape` dimensions of each sample (Ba et al., 2016). */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    if (typeof normalizedShape !== 'number' && !Array.isArray(normalizedShape)) {
      throw new ArgumentError(
        `LayerNorm: normalizedShape must be a size or an array of sizes, got ${describeValue(normalizedShape)}`,
      );
    }
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (shape.length === 0) throw new ArgumentError('LayerNorm: normalizedShape must not be empty');
    for (const d of shape) checkSize('LayerNorm', 'normalizedShape', d);
    const checked = checkOptions<LayerNormOptions>('LayerNorm', options, [
      'eps',
      'elementwiseAffine',
      'bias',
    ]);
    this.normalizedShape = shape;
    this.eps = checkReal('LayerNorm', 'eps', checked.eps ?? 1e-5, { above: 0 });
    const affine = checkBoolean('LayerNorm', 'elementwiseAffine', checked.elementwiseAffine) ?? true;
    const bias = checkBoolean('LayerNorm', 'bias', checked.bias) ?? true;
    this.weight = affine ? parameter(ones(shape)) : null;
    this.bias = affine && bias ? parameter(zeros(shape)) : null;
  }

  forward(x: Tensor): Tensor {
    return F.layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${formatShape(this.normalizedShape)}, eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }
}

export interface BatchNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of the new batch in the running averages (default 0.1); null for a cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale (ones) and shift (zeros) (default true). */
  affine?: boolean;
  /** Keep running mean and variance for evaluation (default true); otherwise batch statistics are always used. */
  trackRunningStats?: boolean;
}

/**
 * Batch normalisation over the batch (and length) dimensions of [N, C] or [N, C, L] input
 * (Ioffe & Szegedy, 2015). In training it normalises with the batch's mean and biased variance and
 * updates the running mean and unbiased variance: running = (1 − momentum)·running + momentum·batch.
 * In `eval()` mode it normalises with the running statistics.
 */
export class BatchNorm1d extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  weight: Parameter | null;
  bias: Parameter | null;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  declare numBatchesTracked: Tensor | null;

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super();
    checkSize('BatchNorm1d', 'numFeatures', numFeatures);
    const checked = checkOptions<BatchNormOptions>('BatchNorm1d', options, [
      'eps',
      'momentum',
      'affine',
      'trackRunningStats',
    ]);
    this.numFeatures = numFeatures;
    this.eps = checkReal('BatchNorm1d', 'eps', checked.eps ?? 1e-5, { above: 0 });
    this.momentum = checked.momentum === undefined ? 0.1 : checked.momentum;
    if (
      this.momentum !== null &&
      !(typeof this.momentum === 'number' && this.momentum >= 0 && this.momentum <= 1)
    ) {
      throw new ArgumentError(
        `BatchNorm1d: momentum must be in [0, 1] or null, got ${describeValue(this.momentum)}`,
      );
    }
    const affine = checkBoolean('BatchNorm1d', 'affine', checked.affine) ?? true;
    checkBoolean('BatchNorm1d', 'trackRunningStats', checked.trackRunningStats);
    this.weight = affine ? parameter(ones([numFeatures])) : null;
    this.bias = affine ? parameter(zeros([numFeatures])) : null;
    const track = checked.trackRunningStats ?? true;
    this.registerBuffer('runningMean', track ? zeros([numFeatures]) : null);
    this.registerBuffer('runningVar', track ? ones([numFeatures]) : null);
    this.registerBuffer('numBatchesTracked', track ? zeros([], { dtype: 'int32' }) : null);
  }

  /** Resets the running statistics to mean 0, variance 1 and no batches seen. */
  resetRunningStats(): void {
    noGrad(() =>
      tidy(() => {
        this.runningMean?.assign(zeros([this.numFeatures], { device: this.runningMean.device }));
        this.runningVar?.assign(ones([this.numFeatures], { device: this.runningVar.device }));
        this.numBatchesTracked?.assign(zeros([], { dtype: 'int32', device: this.numBatchesTracked.device }));
      }),
    );
  }

  forward(x: Tensor): Tensor {
    checkTensor('BatchNorm1d', 'input', x);
    if ((x.rank !== 2 && x.rank !== 3) || x.shape[1] !== this.numFeatures) {
      throw new ShapeError(
        `BatchNorm1d: expected input [N, ${this.numFeatures}] or [N, ${this.numFeatures}, L], got ${formatShape(x.shape)}`,
      );
    }
    const axes = x.rank === 2 ? [0] : [0, 2];
    const statShape = x.rank === 2 ? [1, this.numFeatures] : [1, this.numFeatures, 1];
    const useBatchStats = this.training || this.runningMean === null || this.runningVar === null;
    let mu: Tensor;
    let sigma2: Tensor;
    if (useBatchStats) {
      const count = x.size / this.numFeatures;
      if (this.training && count <= 1) {
        throw new ArgumentError(
          `BatchNorm1d: expected more than 1 value per channel when training, got input ${formatShape(x.shape)}`,
        );
      }
      mu = mean(x, axes, { keepDims: true });
      sigma2 = variance(x, axes, { keepDims: true, correction: 0 });
      if (this.training) this.updateRunningStats(mu, sigma2, count);
    } else {
      mu = reshape(this.runningMean!, statShape);
      sigma2 = reshape(this.runningVar!, statShape);
    }
    let y = div(sub(x, mu), sqrt(add(sigma2, this.eps)));
    if (this.weight) y = mul(y, reshape(this.weight, statShape));
    if (this.bias) y = add(y, reshape(this.bias, statShape));
    return y;
  }

  private updateRunningStats(mu: Tensor, sigma2: Tensor, count: number): void {
    const { runningMean, runningVar, numBatchesTracked } = this;
    if (!runningMean || !runningVar || !numBatchesTracked) return;
    noGrad(() =>
      tidy(() => {
        numBatchesTracked.assign(add(numBatchesTracked, 1));
        const factor = this.momentum ?? 1 / numBatchesTracked.item();
        const batchMean = reshape(mu, [this.numFeatures]);
        const unbiasedVar = mul(reshape(sigma2, [this.numFeatures]), count / (count - 1));
        runningMean.assign(add(mul(runningMean, 1 - factor), mul(batchMean, factor)));
        runningVar.assign(add(mul(runningVar, 1 - factor), mul(unbiasedVar, factor)));
      }),
    );
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.weight !== null}, trackRunningStats=${this.runningMean !== null}`;
  }
}
