import {
  ArgumentError,
  add,
  binaryCrossEntropy,
  mul,
  neg,
  readIfCheap,
  relu,
  softplus,
  sub,
  type Tensor,
} from '@backprop/core';
import type { ReductionOptions } from './regression.js';
import {
  assertBroadcastsTo,
  assertFloatInput,
  assertSameShape,
  checkReduction,
  checkScalar,
  floatTarget,
  lossOptions,
  reduce,
} from './util.js';

export interface BCEOptions extends ReductionOptions {
  /** Per-element rescaling weight, broadcast to the input's shape. */
  weight?: Tensor | null;
}

export interface BCEWithLogitsOptions extends BCEOptions {
  /**
   * Weight of positive examples, broadcast along the last (class) axis: `posWeight[c] = negatives/positives`
   * of class c trades recall for precision as in PyTorch's `pos_weight`.
   */
  posWeight?: Tensor | null;
}

/**
 * Binary cross-entropy on probabilities (PyTorch's `binary_cross_entropy`):
 * `−w·(t·log p + (1−t)·log(1−p))` with each log clamped at −100. `input` holds probabilities in
 * [0, 1] (e.g. `sigmoid(logits)`), `target` the same shape with values in [0, 1] (labels or soft
 * labels; int32/bool are cast). Prefer {@link bceWithLogits}, which is stable for large logits.
 */
export function bce(input: Tensor, target: Tensor, options: BCEOptions = {}): Tensor {
  const { reduction = 'mean', weight = null } = lossOptions<BCEOptions>('bce', options, [
    'reduction',
    'weight',
  ]);
  checkReduction('bce', reduction);
  assertFloatInput('bce', 'input', input);
  assertSameShape('bce', input, target);
  if (weight) assertBroadcastsTo('bce', 'weight', weight, input.shape);
  const values = readIfCheap(input);
  if (values) {
    for (let i = 0; i < values.length; i++) {
      if (!(values[i] >= 0 && values[i] <= 1)) {
        throw new ArgumentError(
          `bce: input must hold probabilities in [0, 1]; element ${i} is ${values[i]} (use bceWithLogits for logits)`,
        );
      }
    }
  }
  // Core's elementwise BCE carries PyTorch's exact gradient; the weight multiplies after it.
  const loss = binaryCrossEntropy(input, floatTarget(target));
  return reduce(weight ? mul(loss, weight) : loss, reduction);
}

/**
 * Binary cross-entropy on logits (PyTorch's `binary_cross_entropy_with_logits`): sigmoid and BCE in
 * one, computed as `(1−t)·x + (1 + (posWeight−1)·t)·softplus(−x)`, i.e. `max(x,0) − x·t + log1p(e^−|x|)`
 * without posWeight: finite and exact for logits of ±1e4. The loss for multilabel classification
 * (one independent sigmoid per class).
 */
export function bceWithLogits(input: Tensor, target: Tensor, options: BCEWithLogitsOptions = {}): Tensor {
  const {
    reduction = 'mean',
    weight = null,
    posWeight = null,
  } = lossOptions<BCEWithLogitsOptions>('bceWithLogits', options, ['reduction', 'weight', 'posWeight']);
  checkReduction('bceWithLogits', reduction);
  assertFloatInput('bceWithLogits', 'input', input);
  assertSameShape('bceWithLogits', input, target);
  if (weight) assertBroadcastsTo('bceWithLogits', 'weight', weight, input.shape);
  if (posWeight) assertBroadcastsTo('bceWithLogits', 'posWeight', posWeight, input.shape);
  const t = floatTarget(target);
  const logWeight = posWeight ? add(mul(sub(posWeight, 1), t), 1) : null;
  const sp = softplus(neg(input));
  let loss = add(mul(sub(1, t), input), logWeight ? mul(logWeight, sp) : sp);
  if (weight) loss = mul(loss, weight);
  return reduce(loss, reduction);
}

export interface HingeOptions extends ReductionOptions {
  /** The margin (default 1). */
  margin?: number;
}

/**
 * Binary hinge loss of a linear SVM: `max(0, margin − t·x)` for scores `x` and labels `t ∈ {−1, +1}`
 * of the same shape. (This is the classic SVM hinge, not PyTorch's `HingeEmbeddingLoss`, which takes
 * distances; for the multiclass hinge see {@link multiMargin}.)
 */
export function hinge(input: Tensor, target: Tensor, options: HingeOptions = {}): Tensor {
  const { reduction = 'mean', margin = 1 } = lossOptions<HingeOptions>('hinge', options, [
    'reduction',
    'margin',
  ]);
  checkReduction('hinge', reduction);
  checkScalar('hinge', 'margin', margin);
  assertFloatInput('hinge', 'input', input);
  assertSameShape('hinge', input, target);
  const values = readIfCheap(target);
  if (values) {
    for (let i = 0; i < values.length; i++) {
      if (values[i] !== 1 && values[i] !== -1) {
        throw new ArgumentError(`hinge: target labels must be -1 or +1; element ${i} is ${values[i]}`);
      }
    }
  }
  return reduce(relu(sub(margin, mul(floatTarget(target), input))), reduction);
}
