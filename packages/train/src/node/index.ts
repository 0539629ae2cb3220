/**
 * The Node.js part of `@backprop/train`: files and paths (atomic writes, checkpoints, metrics
 * files, safetensors and ONNX files). The browser-safe library is `@backprop/train`.
 */
export { describeCause, makeOutputFolder, OutputError, type WriterFs, writeFileAtomic } from './atomic.js';
export { exportOnnxFile, loadSafetensorsFile, metricsFile, saveSafetensorsFile } from './files.js';
export { loadFitCheckpoint, ModelCheckpoint, type ModelCheckpointOptions } from './model-checkpoint.js';
