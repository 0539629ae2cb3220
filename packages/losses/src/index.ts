/**
 * @backprop/losses: loss functions. Each takes `(input, target, options)` and returns a tensor you
 * can call `.backward()` on; `options.reduction` is `'mean'` (default), `'sum'` or `'none'`. They
 * follow PyTorch's definitions (`torch.nn.functional`), and each has a module-style class
 * (`new CrossEntropyLoss(options).forward(input, target)`).
 *
 * - multiclass (one class per sample): {@link crossEntropy} on logits (or {@link nll} on log-probabilities);
 * - multilabel / binary (independent yes/no per class): {@link bceWithLogits} on logits (or {@link bce} on probabilities);
 * - regression: {@link mse}, {@link l1}, {@link huber}, {@link smoothL1};
 * - distributions: {@link klDiv}; margins: {@link multiMargin}, {@link hinge}.
 *
 * Shapes that do not fit throw core's `ShapeError`, class indices out of range `ArgumentError`.
 */

export {
  type BCEOptions,
  type BCEWithLogitsOptions,
  bce,
  bceWithLogits,
  type HingeOptions,
  hinge,
} from './binary.js';
export {
  type CrossEntropyOptions,
  crossEntropy,
  type MultiMarginOptions,
  multiMargin,
  type NLLOptions,
  nll,
} from './classification.js';
export { type KLDivOptions, klDiv } from './divergence.js';
export {
  BCELoss,
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  HingeLoss,
  HuberLoss,
  KLDivLoss,
  L1Loss,
  Loss,
  MSELoss,
  MultiMarginLoss,
  NLLLoss,
  SmoothL1Loss,
} from './modules.js';
export {
  type HuberOptions,
  huber,
  l1,
  mse,
  type ReductionOptions,
  type SmoothL1Options,
  smoothL1,
} from './regression.js';
export type { Reduction } from './util.js';
