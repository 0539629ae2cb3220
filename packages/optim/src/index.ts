/**
 * @backprop/optim: optimizers with PyTorch's update rules and defaults (SGD, Adam, AdamW, NAdam,
 * RAdam, Adamax, RMSprop, Adagrad, Adadelta, Rprop), learning-rate schedules in PyTorch's
 * chainable form (StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR, PolynomialLR,
 * CosineAnnealingLR, MultiplicativeLR, LambdaLR, CosineAnnealingWarmRestarts, CyclicLR,
 * OneCycleLR, SequentialLR, ChainedScheduler, ReduceLROnPlateau) and gradient clipping.
 *
 * ```ts
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 * for (const batch of batches) {
 *   opt.zeroGrad();
 *   tidy(() => lossOf(batch).backward());
 *   clipGradNorm(model.parameters(), 1.0);
 *   opt.step();
 * }
 * ```
 *
 * Hyper-parameters are checked at construction (ArgumentError naming the option, the value and
 * what was expected). Optimizer and scheduler state round-trips through `stateDict()` /
 * `loadStateDict()` as plain JSON, exactly (see {@link OptimizerStateDict}).
 */

export { Adadelta, type AdadeltaOptions } from './adadelta.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { Adam, AdamBase, type AdamOptions, AdamW } from './adam.js';
export { Adamax, type AdamaxOptions } from './adamax.js';
export { type ClipGradNormOptions, clipGradNorm, clipGradNormAsync, clipGradValue } from './clip.js';
export { NAdam, type NAdamOptions } from './nadam.js';
export {
  type BaseOptions,
  Optimizer,
  type OptimizerSpec,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamGroupInput,
  type ParamState,
  type Params,
  type SerializedTensor,
  type StateDictOptions,
  type StateKind,
} from './optimizer.js';
export { RAdam, type RAdamOptions } from './radam.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Rprop, type RpropOptions } from './rprop.js';
export { ChainedScheduler, SequentialLR } from './schedulers/composite.js';
export {
  CosineAnnealingLR,
  type CosineAnnealingLROptions,
  CosineAnnealingWarmRestarts,
  type CosineAnnealingWarmRestartsOptions,
} from './schedulers/cosine.js';
export { CyclicLR, type CyclicLROptions } from './schedulers/cyclic.js';
export {
  ConstantLR,
  type ConstantLROptions,
  ExponentialLR,
  type ExponentialLROptions,
  LambdaLR,
  LinearLR,
  type LinearLROptions,
  type LrLambda,
  MultiplicativeLR,
  MultiStepLR,
  type MultiStepLROptions,
  PolynomialLR,
  type PolynomialLROptions,
  StepLR,
  type StepLROptions,
} from './schedulers/decay.js';
export { OneCycleLR, type OneCycleLROptions } from './schedulers/one-cycle.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './schedulers/plateau.js';
export {
  ChainableLR,
  ClosedFormLR,
  LRScheduler,
  type OptimizerLike,
  type SchedulerStateDict,
} from './schedulers/scheduler.js';
export { SGD, type SGDOptions } from './sgd.js';
export type { Rule } from './validate.js';
