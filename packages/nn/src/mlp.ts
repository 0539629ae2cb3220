import { ArgumentError, checkBoolean, checkOptions, describeValue } from '@backprop/core';
import {
  AbsReLU,
  CELU,
  ELU,
  GELU,
  Hardsigmoid,
  Hardswish,
  Hardtanh,
  LeakyReLU,
  LogSigmoid,
  Mish,
  PReLU,
  ReLU,
  ReLU6,
  SELU,
  Sigmoid,
  SiLU,
  Softplus,
  Softsign,
  Tanh,
} from './layers/activations.js';
import { Dropout, Identity } from './layers/basic.js';
import { Sequential } from './layers/container.js';
import { Linear } from './layers/linear.js';
import { BatchNorm1d, LayerNorm } from './layers/normalization.js';
import type { AnyModule } from './module.js';
import { checkChoice, checkProbability, checkSize } from './validate.js';

const ACTIVATIONS = {
  relu: () => new ReLU(),
  sigmoid: () => new Sigmoid(),
  tanh: () => new Tanh(),
  abs: () => new AbsReLU(),
  leakyRelu: () => new LeakyReLU(),
  prelu: () => new PReLU(),
  elu: () => new ELU(),
  celu: () => new CELU(),
  selu: () => new SELU(),
  gelu: () => new GELU(),
  geluTanh: () => new GELU('tanh'),
  silu: () => new SiLU(),
  swish: () => new SiLU(),
  mish: () => new Mish(),
  softplus: () => new Softplus(),
  softsign: () => new Softsign(),
  hardtanh: () => new Hardtanh(),
  relu6: () => new ReLU6(),
  hardSigmoid: () => new Hardsigmoid(),
  hardSwish: () => new Hardswish(),
  logSigmoid: () => new LogSigmoid(),
  identity: () => new Identity(),
} satisfies Record<string, () => AnyModule>;

/** Names `createActivation` and `mlp` accept. */
export type ActivationName = keyof typeof ACTIVATIONS;

/** The activation names, for command-line options and validation. */
export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as ActivationName[];

/** A new activation module by name (`'relu'`, `'leakyRelu'`, `'prelu'`, `'gelu'`, …). */
export function createActivation(name: ActivationName): AnyModule {
  const make = (ACTIVATIONS as Record<string, (() => AnyModule) | undefined>)[name];
  if (!make || !Object.hasOwn(ACTIVATIONS, name)) {
    throw new ArgumentError(
      `createActivation: unknown activation ${describeValue(name)} (expected one of ${ACTIVATION_NAMES.join(', ')})`,
    );
  }
  return make();
}

/** An activation by name, or a factory making a fresh module each time it is called. */
export type ActivationSpec = ActivationName | (() => AnyModule);

export interface MlpOptions {
  /** Layer widths from input to output, at least two: `[784, 128, 10]` is 784 → 128 → 10. */
  sizes: readonly number[];
  /** The nonlinearity after each hidden linear layer (default 'relu'). */
  activation?: ActivationSpec;
  /** An activation after the last linear layer (none by default: the model outputs logits). */
  outputActivation?: ActivationSpec | null;
  /** Linear layers learn biases (default true). */
  bias?: boolean;
  /** Dropout probability after each hidden activation (0, the default, adds no dropout layers). */
  dropout?: number;
  /** A normalisation layer after each hidden linear layer, before its activation (default 'none'). */
  norm?: 'none' | 'batch' | 'layer';
}

function checkActivationSpec(name: string, spec: unknown): void {
  if (typeof spec === 'function') return;
  if (typeof spec !== 'string' || !Object.hasOwn(ACTIVATIONS, spec)) {
    throw new ArgumentError(
      `mlp: ${name} must be a function or one of ${ACTIVATION_NAMES.join(', ')}, got ${describeValue(spec)}`,
    );
  }
}

function makeActivation(spec: ActivationSpec): AnyModule {
  return typeof spec === 'function' ? spec() : createActivation(spec);
}

/**
 * A multi-layer perceptron, linear → nonlinear repeated: for sizes [d, h₁, …, p] a `Sequential` of
 * Linear(d, h₁), [norm], activation, [Dropout], …, Linear(h_last, p), [output activation].
 * @example mlp({ sizes: [784, 128, 10], activation: 'relu' })
 */
export function mlp(options: MlpOptions): Sequential {
  if (options === undefined)
    throw new ArgumentError('mlp: expected options with at least sizes, got undefined');
  const {
    sizes,
    activation = 'relu',
    outputActivation = null,
    bias = true,
    dropout = 0,
    norm = 'none',
  } = checkOptions<MlpOptions>('mlp', options, [
    'sizes',
    'activation',
    'outputActivation',
    'bias',
    'dropout',
    'norm',
  ]);
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw new ArgumentError(
      `mlp: sizes must list at least an input and an output width, got ${describeValue(sizes)}`,
    );
  }
  sizes.forEach((n, i) => {
    checkSize('mlp', `sizes[${i}]`, n);
  });
  checkProbability('mlp', 'dropout', dropout, true);
  checkBoolean('mlp', 'bias', bias);
  checkChoice('mlp', 'norm', norm, ['none', 'batch', 'layer']);
  checkActivationSpec('activation', activation);
  if (outputActivation !== null) checkActivationSpec('outputActivation', outputActivation);
  const layers: AnyModule[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Linear(sizes[i], sizes[i + 1], { bias }));
    const hidden = i + 2 < sizes.length;
    if (hidden) {
      if (norm === 'batch') layers.push(new BatchNorm1d(sizes[i + 1]));
      else if (norm === 'layer') layers.push(new LayerNorm(sizes[i + 1]));
      else if (norm !== 'none')
        throw new ArgumentError(`mlp: norm must be 'none', 'batch' or 'layer', got ${JSON.stringify(norm)}`);
      layers.push(makeActivation(activation));
      if (dropout > 0) layers.push(new Dropout(dropout));
    } else if (outputActivation !== null) {
      layers.push(makeActivation(outputActivation));
    }
  }
  return new Sequential(...layers);
}
