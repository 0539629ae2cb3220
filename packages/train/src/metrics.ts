import type { Tensor } from '@backprop/core';

/**
 * A metric: the batch's mean value from the model's output and the target, as a scalar tensor.
 * `fit` and `evaluate` average it over the epoch weighted by batch size, so it must be a mean
 * over the batch's samples.
 */
export type Metric = (output: Tensor, target: Tensor) => Tensor;

/** Classification accuracy: the fraction of rows whose largest output is the target class. */
export const accuracyMetric: Metric = (output, target) => output.argmax(-1).eq(target).cast('float32').mean();
