/**
 * The training loop of backprop as a library: {@link fit}, {@link evaluate} and {@link predict}
 * over any `DataLoader`, callbacks (progress, metrics logs, early stopping, LR schedules;
 * checkpoints to files in `@backprop/train/node`), safetensors weights in and out as bytes, and
 * ONNX export. Browser-safe: file paths live in the `@backprop/train/node` entry.
 */
export { defaultUnpack, type Example, type Unpack } from './batches.js';
export type { Callback, EpochLogs, FitContext, Logs } from './callbacks/callback.js';
export { EarlyStopping, type EarlyStoppingOptions } from './callbacks/early-stopping.js';
export {
  LRSchedulerCallback,
  type LRSchedulerOptions,
  type SchedulerInterval,
} from './callbacks/lr-scheduler.js';
export { MetricsLogger, type MetricsLoggerOptions } from './callbacks/metrics-logger.js';
export { formatLogs, ProgressCallback, type ProgressOptions } from './callbacks/progress.js';
export { formatDuration, Progress, type ProgressStream } from './callbacks/progress-bar.js';
export { SaveState, type SaveStateOptions } from './callbacks/save-state.js';
export { type EvaluateOptions, evaluate, predict } from './evaluate.js';
export { type FitOptions, type FitResult, fit } from './fit.js';
export { accuracyMetric, type Metric } from './metrics.js';
export {
  type AttentionInputs,
  emitMultiheadAttention,
  emitScaledDotProductAttention,
  type OnnxAttentionOptions,
} from './onnx/attention.js';
export { type ExportOnnxOptions, exportOnnx, type OnnxLayerExport, onnxLayer } from './onnx/export.js';
export type { GraphBuilder } from './onnx/graph.js';
export type { EmitContext, OnnxEmitter } from './onnx/ops.js';
export {
  CheckpointError,
  decodeSafetensors,
  duplicateKey,
  encodeSafetensors,
  type IntTensorToWrite,
  parseJsonObject,
  readFloat32,
  type SafetensorsDType,
  type SafetensorsFile,
  type TensorEntry,
  type TensorToWrite,
} from './safetensors/format.js';
export {
  fromPyTorchName,
  type LoadedSafetensors,
  type LoadSafetensorsOptions,
  loadSafetensors,
  type SaveSafetensorsOptions,
  saveSafetensors,
  type TensorDict,
  toPyTorchName,
} from './safetensors/state-dict.js';
export { decodeFitState, type EpochSums, encodeFitState, type FitState, NO_SUMS } from './state.js';
