/**
 * @backprop/optim: optimizers with PyTorch's update rules and defaults (SGD, Adam, AdamW, RMSprop,
 * Adagrad), learning-rate schedules (StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR,
 * LinearLR warm-up, LambdaLR, SequentialLR, OneCycleLR, ReduceLROnPlateau) and gradient clipping.
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
 * Optimizer and scheduler state round-trips through `stateDict()` / `loadStateDict()` as plain
 * JSON, exactly (see {@link OptimizerStateDict}).
 */

export { Adagrad, type AdagradOptions } from './adagrad.js';
export { Adam, AdamBase, type AdamOptions, AdamW } from './adam.js';
export { type ClipGradNormOptions, clipGradNorm, clipGradValue } from './clip.js';
export {
  type BaseOptions,
  Optimizer,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamGroupInput,
  type ParamState,
  type Params,
  type SerializedTensor,
  type StateDictOptions,
} from './optimizer.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export {
  CosineAnnealingLR,
  type CosineAnnealingLROptions,
  ExponentialLR,
  type ExponentialLROptions,
  LambdaLR,
  LinearLR,
  type LinearLROptions,
  LRScheduler,
  MultiStepLR,
  type MultiStepLROptions,
  OneCycleLR,
  type OneCycleLROptions,
  type OptimizerLike,
  ReduceLROnPlateau,
  type ReduceLROnPlateauOptions,
  type SchedulerStateDict,
  SequentialLR,
  StepLR,
  type StepLROptions,
} from './schedulers.js';
export { SGD, type SGDOptions } from './sgd.js';
