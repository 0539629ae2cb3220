import {
  ArgumentError,
  add,
  cast,
  DTypeError,
  describeValue,
  div,
  formatShape,
  gather,
  gt,
  logSoftmax,
  mul,
  ne,
  neg,
  oneHot,
  relu,
  reshape,
  ShapeError,
  shapesEqual,
  softmaxCrossEntropy,
  square,
  sub,
  sum,
  type Tensor,
  where,
} from '@backprop/core';
import type { ReductionOptions } from './regression.js';
import {
  assertClassWeight,
  assertFloatInput,
  assertTensorArg,
  checkClassIndices,
  checkReduction,
  checkScalar,
  classRows,
  classWeightShape,
  indexTargetShape,
  lossOptions,
  pickPerRow,
  reduce,
} from './util.js';

export interface NLLOptions extends ReductionOptions {
  /** Per-class weights [C]; `'mean'` then divides by the sum of the targets' weights (PyTorch's weighted mean). */
  weight?: Tensor | null;
  /** Targets equal to this class index contribute nothing, to the sum or to the mean's denominator (default −100). */
  ignoreIndex?: number;
}

export interface CrossEntropyOptions extends NLLOptions {
  /**
   * Label smoothing ε in [0, 1]: the target becomes (1−ε)·onehot + ε/C (PyTorch's `label_smoothing`).
   */
  labelSmoothing?: number;
}

/** Per-sample weights for index targets: weight[t] (or 1), zero where t = ignoreIndex; and the safe targets. */
function sampleWeights(
  target: Tensor,
  weight: Tensor | null,
  ignoreIndex: number,
): { safe: Tensor; w: Tensor } {
  const valid = ne(target, ignoreIndex);
  const safe = where(valid, target, 0);
  const validF = cast(valid, 'float32');
  return { safe, w: weight ? mul(gather(weight, safe, 0), validF) : validF };
}

/**
 * Reduces weighted per-sample losses the PyTorch way: 'mean' divides by the sum of the sample
 * weights. When that sum is 0 (every target ignored) the loss is NaN and the gradients are 0, as
 * in PyTorch: the NaN comes from a branch autograd does not differentiate, so nothing divides by 0.
 */
function weightedReduce(rows: Tensor, w: Tensor, reduction: string, sampleShape: number[]): Tensor {
  if (reduction === 'none') return reshape(rows, sampleShape);
  if (reduction === 'sum') return sum(rows);
  const total = sum(w);
  const some = gt(total, 0);
  return where(some, div(sum(rows), where(some, total, 1)), Number.NaN);
}

function checkIndexTarget(op: string, input: Tensor, target: Tensor): void {
  const expected = indexTargetShape(input);
  if (!shapesEqual(target.shape, expected)) {
    throw new ShapeError(
      `${op}: input ${formatShape(input.shape)} needs class-index target ${formatShape(expected)}, got ${formatShape(target.shape)}`,
    );
  }
}

/**
 * Negative log-likelihood of log-probabilities (PyTorch's `nll_loss`): `−w[t]·input[n, t]` for
 * input [N, C] (or [C], or [N, C, d1, …]) of log-probabilities (e.g. `logSoftmax(logits, 1)`) and
 * int32 class indices `target` [N] (or [], or [N, d1, …]). `'mean'` is the weighted mean
 * Σ w[tₙ]·lossₙ / Σ w[tₙ] over the samples not ignored.
 */
export function nll(input: Tensor, target: Tensor, options: NLLOptions = {}): Tensor {
  const {
    reduction = 'mean',
    weight = null,
    ignoreIndex = -100,
  } = lossOptions<NLLOptions>('nll', options, ['reduction', 'weight', 'ignoreIndex']);
  checkReduction('nll', reduction);
  checkScalar('nll', 'ignoreIndex', ignoreIndex, { integer: true });
  assertFloatInput('nll', 'input', input);
  assertTensorArg('nll', 'target', target);
  if (target.dtype !== 'int32')
    throw new DTypeError(`nll: target must hold int32 class indices, got ${target.dtype}`);
  checkIndexTarget('nll', input, target);
  const { classes, rows, sampleShape } = classRows('nll', input);
  if (weight) assertClassWeight('nll', weight, classes);
  const flatTarget = reshape(target, [rows.shape[0]]);
  checkClassIndices('nll', flatTarget, classes, ignoreIndex);
  const { safe, w } = sampleWeights(flatTarget, weight, ignoreIndex);
  const losses = mul(neg(pickPerRow(rows, safe)), w);
  return weightedReduce(losses, w, reduction, sampleShape);
}

/**
 * Cross-entropy from logits (PyTorch's `cross_entropy`): softmax and negative log-likelihood in one,
 * stable for logits of ±1e4. The loss for multiclass classification (exactly one class per sample).
 *
 * `input` is [N, C] logits (or [C], or [N, C, d1, …] with the class axis second). `target` is either
 * - int32 class indices [N] (or [], or [N, d1, …]), each in [0, C) or equal to `ignoreIndex`; or
 * - float32 class probabilities with the input's shape: one-hot rows or soft labels.
 *
 * With index targets, `weight` gives PyTorch's weighted mean (divided by Σ w[tₙ]); with probability
 * targets the weighted per-sample sums are averaged over the samples (as PyTorch does). The plain
 * case (index targets, no weight, no smoothing, nothing ignored) runs core's fused `softmaxCrossEntropy`.
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const {
    reduction = 'mean',
    weight = null,
    ignoreIndex = -100,
    labelSmoothing = 0,
  } = lossOptions<CrossEntropyOptions>('crossEntropy', options, [
    'reduction',
    'weight',
    'ignoreIndex',
    'labelSmoothing',
  ]);
  checkReduction('crossEntropy', reduction);
  checkScalar('crossEntropy', 'ignoreIndex', ignoreIndex, { integer: true });
  assertFloatInput('crossEntropy', 'input', input);
  assertTensorArg('crossEntropy', 'target', target);
  if (!(typeof labelSmoothing === 'number' && labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new ArgumentError(
      `crossEntropy: labelSmoothing must be in [0, 1], got ${describeValue(labelSmoothing)}`,
    );
  }
  if (target.dtype === 'float32') return crossEntropyProbs(input, target, weight, labelSmoothing, reduction);
  if (target.dtype !== 'int32') {
    throw new DTypeError(
      `crossEntropy: target must be int32 class indices or float32 probabilities, got ${target.dtype}`,
    );
  }
  checkIndexTarget('crossEntropy', input, target);
  const { classes, rows, sampleShape } = classRows('crossEntropy', input);
  if (weight) assertClassWeight('crossEntropy', weight, classes);
  const flatTarget = reshape(target, [rows.shape[0]]);
  const anyIgnored = checkClassIndices('crossEntropy', flatTarget, classes, ignoreIndex);
  if (!weight && labelSmoothing === 0 && anyIgnored === false) {
    return reduce(reshape(softmaxCrossEntropy(rows, flatTarget), sampleShape), reduction);
  }
  const { safe, w } = sampleWeights(flatTarget, weight, ignoreIndex);
  const nllRows = mul(softmaxCrossEntropy(rows, safe), w);
  const nllLoss = weightedReduce(nllRows, w, reduction, sampleShape);
  if (labelSmoothing === 0) return nllLoss;
  // PyTorch: (1 − ε)·nll + ε/C · smooth, smooth = −Σ_c w_c·logp_c, reduced with the same denominator.
  const logp = logSoftmax(rows, 1);
  const valid = cast(ne(flatTarget, ignoreIndex), 'float32');
  const smoothRows = mul(neg(sum(weight ? mul(logp, weight) : logp, 1)), valid);
  const smoothLoss = weightedReduce(smoothRows, w, reduction, sampleShape);
  return add(mul(nllLoss, 1 - labelSmoothing), mul(smoothLoss, labelSmoothing / classes));
}

function crossEntropyProbs(
  input: Tensor,
  target: Tensor,
  weight: Tensor | null,
  eps: number,
  reduction: string,
): Tensor {
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ShapeError(
      `crossEntropy: a float32 (probability) target must have the input's shape ${formatShape(input.shape)}, got ${formatShape(target.shape)}; class indices must be int32`,
    );
  }
  if (input.rank === 0)
    throw new ShapeError('crossEntropy: input must be [C], [N, C] or [N, C, d1, ...], got a scalar');
  const axis = input.rank === 1 ? 0 : 1;
  const classes = input.shape[axis];
  if (weight) assertClassWeight('crossEntropy', weight, classes);
  const t = eps > 0 ? add(mul(target, 1 - eps), eps / classes) : target;
  let terms = mul(logSoftmax(input, axis), t);
  if (weight) terms = mul(terms, reshape(weight, classWeightShape(classes, input.rank)));
  return reduce(neg(sum(terms, axis)), reduction as 'mean' | 'sum' | 'none');
}

export interface MultiMarginOptions extends ReductionOptions {
  /** 1 (default) or 2: the hinge terms are raised to this power. */
  p?: 1 | 2;
  /** The margin (default 1). */
  margin?: number;
  /** Per-class weights [C], applied by the target class. */
  weight?: Tensor | null;
}

/**
 * Multiclass hinge (PyTorch's `multi_margin_loss`, the Crammer–Singer-style SVM loss): for scores
 * x [N, C] (or [C]) and int32 targets y [N] (or []),
 * `lossₙ = Σ_{i≠yₙ} w[yₙ]·max(0, margin − x[n, yₙ] + x[n, i])^p / C`.
 */
export function multiMargin(input: Tensor, target: Tensor, options: MultiMarginOptions = {}): Tensor {
  const {
    reduction = 'mean',
    p = 1,
    margin = 1,
    weight = null,
  } = lossOptions<MultiMarginOptions>('multiMargin', options, ['reduction', 'p', 'margin', 'weight']);
  checkReduction('multiMargin', reduction);
  assertFloatInput('multiMargin', 'input', input);
  assertTensorArg('multiMargin', 'target', target);
  if (p !== 1 && p !== 2) throw new ArgumentError(`multiMargin: p must be 1 or 2, got ${describeValue(p)}`);
  checkScalar('multiMargin', 'margin', margin);
  if (input.rank > 2)
    throw new ShapeError(`multiMargin: input must be [C] or [N, C], got ${formatShape(input.shape)}`);
  if (target.dtype !== 'int32')
    throw new DTypeError(`multiMargin: target must hold int32 class indices, got ${target.dtype}`);
  checkIndexTarget('multiMargin', input, target);
  const { classes, rows, sampleShape } = classRows('multiMargin', input);
  if (weight) assertClassWeight('multiMargin', weight, classes);
  const flatTarget = reshape(target, [rows.shape[0]]);
  checkClassIndices('multiMargin', flatTarget, classes, null);
  const picked = reshape(pickPerRow(rows, flatTarget), [rows.shape[0], 1]);
  const others = sub(1, oneHot(flatTarget, classes));
  let terms = mul(relu(add(sub(rows, picked), margin)), others);
  if (p === 2) terms = square(terms);
  let losses = div(sum(terms, 1), classes);
  if (weight) losses = mul(losses, gather(weight, flatTarget, 0));
  return reduce(reshape(losses, sampleShape), reduction as 'mean' | 'sum' | 'none');
}
