import { appendFileSync, readFileSync } from 'node:fs';

import type { Tensor } from '@backprop/core';
import { MetricsLogger } from '../callbacks/metrics-logger.js';
import { type ExportOnnxOptions, exportOnnx } from '../onnx/export.js';
import {
  type LoadedSafetensors,
  type LoadSafetensorsOptions,
  loadSafetensors,
  type SaveSafetensorsOptions,
  saveSafetensors,
  type TensorDict,
} from '../safetensors/state-dict.js';
import { writeFileAtomic } from './atomic.js';

/** Writes a state dict to a safetensors file at `path`, atomically (see `saveSafetensors`). */
export async function saveSafetensorsFile(
  path: string,
  stateDict: TensorDict,
  options: SaveSafetensorsOptions = {},
): Promise<void> {
  writeFileAtomic(path, await saveSafetensors(stateDict, options));
}

/** Reads a safetensors file into tensors (see `loadSafetensors`). */
export function loadSafetensorsFile(path: string, options: LoadSafetensorsOptions = {}): LoadedSafetensors {
  return loadSafetensors(readFileSync(path), options);
}

/** A {@link MetricsLogger} appending to the file at `path` (`append`: the file holds earlier epochs). */
export function metricsFile(path: string, format: 'csv' | 'jsonl', append = false): MetricsLogger {
  return new MetricsLogger({ format, append, write: (text) => appendFileSync(path, text) });
}

/** Writes `model` as an ONNX file at `path`, atomically (see `exportOnnx`). */
export async function exportOnnxFile(
  path: string,
  model: Parameters<typeof exportOnnx>[0],
  sampleInput: Tensor,
  options: ExportOnnxOptions = {},
): Promise<void> {
  writeFileAtomic(path, await exportOnnx(model, sampleInput, options));
}
