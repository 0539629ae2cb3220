/**
 * @backprop/nn: neural-network building blocks on @backprop/core. `Module` and `Parameter`,
 * layers (Linear, Sequential, BatchNorm1d, LayerNorm, Dropout, Embedding, Maxout, …), every
 * activation as a module and as a function (`F`), initialisers (`init`) and an `mlp` builder.
 * It imports no backend: choose one in the application (e.g. `import '@backprop/backend-cpu'`).
 */

export type { GeluApproximation } from './functional/activations.js';
export {
  absRelu,
  celu,
  elu,
  gelu,
  hardSigmoid,
  hardSwish,
  hardtanh,
  leakyRelu,
  logSigmoid,
  logSoftmax,
  mish,
  prelu,
  relu,
  relu6,
  SELU_ALPHA,
  SELU_SCALE,
  selu,
  sigmoid,
  silu,
  softmax,
  softplus,
  softsign,
  swish,
  tanh,
} from './functional/activations.js';
export {
  type AttentionOptions,
  type AttentionResult,
  attentionWithWeights,
  causalMask,
  scaledDotProductAttention,
} from './functional/attention.js';
export * as F from './functional/index.js';
export { dropout, layerNorm } from './functional/layers.js';
export type { InitOptions, KaimingOptions, Nonlinearity, XavierOptions } from './init.js';
export * as init from './init.js';
export { calculateGain } from './init.js';
export {
  AbsReLU,
  CELU,
  ELU,
  GELU,
  Hardsigmoid,
  Hardswish,
  Hardtanh,
  LeakyReLU,
  LogSigmoid,
  LogSoftmax,
  Maxout,
  Mish,
  PReLU,
  type PReLUOptions,
  ReLU,
  ReLU6,
  SELU,
  Sigmoid,
  SiLU,
  Softmax,
  Softplus,
  Softsign,
  Swish,
  Tanh,
} from './layers/activations.js';
export {
  MultiheadAttention,
  type MultiheadAttentionCallOptions,
  type MultiheadAttentionOptions,
} from './layers/attention.js';
export { Dropout, type DropoutOptions, Flatten, Identity } from './layers/basic.js';
export { ModuleList, Sequential } from './layers/container.js';
export {
  Conv1d,
  type Conv1dLayerOptions,
  Conv2d,
  type Conv2dLayerOptions,
  ConvTranspose2d,
  type ConvTranspose2dLayerOptions,
} from './layers/conv.js';
export { Embedding, type EmbeddingOptions } from './layers/embedding.js';
export { Linear, type LinearOptions } from './layers/linear.js';
export {
  BatchNorm1d,
  type BatchNormOptions,
  LayerNorm,
  type LayerNormOptions,
} from './layers/normalization.js';
export {
  BatchNorm2d,
  GroupNorm,
  type GroupNormOptions,
  RMSNorm,
  type RMSNormOptions,
} from './layers/norms.js';
export { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from './layers/pooling.js';
export { GRU, LSTM, type RecurrentOptions, RNN, type RNNOptions } from './layers/recurrent.js';
export { Dropout2d, Unflatten } from './layers/shape.js';
export {
  DecoderOnlyBlock,
  type TransformerCallOptions,
  TransformerEncoderLayer,
  type TransformerEncoderLayerOptions,
} from './layers/transformer.js';
export {
  ACTIVATION_NAMES,
  type ActivationName,
  type ActivationSpec,
  createActivation,
  type MlpOptions,
  mlp,
} from './mlp.js';
export {
  type AnyModule,
  type ForwardHook,
  type LoadStateDictOptions,
  type LoadStateDictResult,
  Module,
  type StateDict,
} from './module.js';
export { isParameter, type Parameter, parameter } from './parameter.js';
