import { oneHot, type Tensor } from '@backprop/core';
import { bceWithLogits, crossEntropy, mse, multiMargin } from '@backprop/losses';
import { mlp, type Sequential } from '@backprop/nn';
import { type LossName, type ModelName, nnActivation } from './config.js';
import { buildLenet, describeLenet, lenetParameterShapes } from './lenet.js';

/** The architecture, saved in checkpoints so a model can be rebuilt before its weights load. */
export interface ModelConfig {
  /** `mlp` or `lenet`. */
  readonly architecture: ModelName;
  /** [height, width] of the images LeNet reads; null for an MLP. */
  readonly imageShape: readonly number[] | null;
  readonly inputSize: number;
  readonly hidden: readonly number[];
  readonly outputSize: number;
  /** Hidden-layer activation, as the command line spells it (`leaky-relu`). */
  readonly activation: string;
  /** The loss it was trained with: it decides how outputs become probabilities. */
  readonly loss: LossName;
}

/** An MLP: Linear → activation, repeated, then Linear to one output per class (logits). */
export function buildModel(c: ModelConfig): Sequential {
  if (c.architecture === 'lenet') return buildLenet(lenetShape(c));
  return mlp({ sizes: [c.inputSize, ...c.hidden, c.outputSize], activation: nnActivation(c.activation) });
}

/** Learned parameters of activation modules, by command-line name (the others have none). */
const ACTIVATION_PARAMETERS: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>> = {
  prelu: { weight: [1] },
};

/**
 * The names and shapes of the model's parameters in `parameters()` order (the optimizer's
 * indices), worked out from the configuration without building the model, so a checkpoint can be
 * checked against its tensors before anything is allocated. Names are the state dict's
 * (`0.weight`: the first Linear's, PyTorch's `[out, in]` layout).
 */
export function parameterShapes(c: ModelConfig): { name: string; shape: number[] }[] {
  if (c.architecture === 'lenet')
    return lenetParameterShapes(lenetShape(c), Object.entries(ACTIVATION_PARAMETERS[c.activation] ?? {}));
  const sizes = [c.inputSize, ...c.hidden, c.outputSize];
  const out: { name: string; shape: number[] }[] = [];
  const extra = Object.entries(ACTIVATION_PARAMETERS[c.activation] ?? {});
  let layer = 0;
  for (let i = 0; i + 1 < sizes.length; i++) {
    out.push({ name: `${layer}.weight`, shape: [sizes[i + 1], sizes[i]] });
    out.push({ name: `${layer}.bias`, shape: [sizes[i + 1]] });
    layer++;
    if (i + 2 < sizes.length) {
      for (const [name, shape] of extra) out.push({ name: `${layer}.${name}`, shape: [...shape] });
      layer++;
    }
  }
  return out;
}

/** `MLP 784-128-10 relu` or `LeNet-5 28×28 → …`: the shape of a model in one line. */
export function describeModel(c: ModelConfig): string {
  if (c.architecture === 'lenet') return describeLenet(lenetShape(c));
  const act = c.hidden.length > 0 ? ` ${c.activation}` : ' (linear)';
  return `MLP ${[c.inputSize, ...c.hidden, c.outputSize].join('-')}${act}`;
}

function lenetShape(c: ModelConfig): {
  imageShape: readonly [number, number];
  outputSize: number;
  activation: string;
} {
  if (c.imageShape === null) throw new Error('a LeNet model config needs its imageShape');
  return {
    imageShape: [c.imageShape[0], c.imageShape[1]],
    outputSize: c.outputSize,
    activation: c.activation,
  };
}

/**
 * The mean loss of a batch of logits against class indices. Each loss reads the outputs its own
 * way, as in the study notes: cross-entropy as softmax probabilities; bce as independent
 * one-vs-all sigmoids against one-hot targets; mse as the squared distance between the softmax
 * and the one-hot vector (the Brier score); multi-margin as class scores with a margin.
 */
export function lossOf(loss: LossName, logits: Tensor, target: Tensor, labelSmoothing = 0): Tensor {
  switch (loss) {
    case 'cross-entropy':
      return crossEntropy(logits, target, { labelSmoothing });
    case 'bce':
      return bceWithLogits(logits, oneHot(target, logits.shape[1]));
    case 'mse':
      return mse(logits.softmax(-1), oneHot(target, logits.shape[1]));
    case 'multi-margin':
      return multiMargin(logits, target);
  }
}

/**
 * Class probabilities from logits: sigmoids for a model trained one-vs-all with bce (they need
 * not sum to one), the softmax otherwise.
 */
export function probabilitiesOf(loss: LossName, logits: Tensor): Tensor {
  return loss === 'bce' ? logits.sigmoid() : logits.softmax(-1);
}
