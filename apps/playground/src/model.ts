import { oneHot, softmax, type Tensor } from '@backprop/core';
import { crossEntropy, mse, multiMargin } from '@backprop/losses';
import { mlp, type Sequential } from '@backprop/nn';
import {
  Adagrad,
  Adam,
  AdamW,
  CosineAnnealingLR,
  ExponentialLR,
  type LRScheduler,
  type Optimizer,
  RMSprop,
  SGD,
  StepLR,
} from '@backprop/optim';
import type { PlaygroundConfig } from './config.js';

/** Steps a schedule is laid out over (cosine reaches its floor there; step halves every quarter of it). */
export const SCHEDULE_HORIZON = 2000;

/** The MLP a configuration describes, on the active backend: `inputs → hidden… → classes` logits. */
export function buildModel(config: PlaygroundConfig, inputs: number, classes: number): Sequential {
  return mlp({ sizes: [inputs, ...config.hidden, classes], activation: config.activation });
}

/** The loss a configuration names, from logits and class indices (int32). */
export function lossOf(config: PlaygroundConfig, logits: Tensor, target: Tensor): Tensor {
  switch (config.loss) {
    case 'crossEntropy':
      return crossEntropy(logits, target);
    case 'mse':
      // Squared error between the softmax probabilities and the one-hot target (the notes' comparison).
      return mse(softmax(logits, -1), oneHot(target, logits.shape[1]));
    case 'multiMargin':
      return multiMargin(logits, target);
  }
}

/** The optimizer a configuration names; L2 regularisation is its weight decay (decoupled for AdamW). */
export function buildOptimizer(config: PlaygroundConfig, params: Tensor[]): Optimizer {
  const { lr, l2: weightDecay } = config;
  switch (config.optimizer) {
    case 'sgd':
      return new SGD(params, { lr, weightDecay });
    case 'momentum':
      return new SGD(params, { lr, momentum: 0.9, weightDecay });
    case 'adam':
      return new Adam(params, { lr, weightDecay });
    case 'adamw':
      return new AdamW(params, { lr, weightDecay });
    case 'rmsprop':
      return new RMSprop(params, { lr, weightDecay });
    case 'adagrad':
      return new Adagrad(params, { lr, weightDecay });
  }
}

/** The schedule a configuration names, stepped once per optimizer step; `lastStep` resumes it. */
export function buildScheduler(
  config: PlaygroundConfig,
  optimizer: Optimizer,
  lastStep = -1,
): LRScheduler | null {
  switch (config.schedule) {
    case 'constant':
      return null;
    case 'step':
      return new StepLR(optimizer, { stepSize: SCHEDULE_HORIZON / 4, gamma: 0.5, lastEpoch: lastStep });
    case 'cosine':
      return new CosineAnnealingLR(optimizer, {
        tMax: SCHEDULE_HORIZON,
        etaMin: config.lr / 100,
        lastEpoch: lastStep,
      });
    case 'exponential':
      return new ExponentialLR(optimizer, { gamma: 0.01 ** (1 / SCHEDULE_HORIZON), lastEpoch: lastStep });
  }
}
