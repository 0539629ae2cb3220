import { fromArray, type GeneratorState, type Tensor } from '@backprop/core';
import type { OptimizerStateDict, SchedulerStateDict } from '@backprop/optim';
import type { EpochLogs } from './logs.js';
import {
  CheckpointError,
  decodeSafetensors,
  encodeSafetensors,
  type IntTensorToWrite,
  parseJsonObject,
  readFloat32,
  type TensorToWrite,
} from './safetensors/format.js';
import { readInt32 } from './safetensors/state-dict.js';

/**
 * Sums over the finished batches of an epoch in progress, each batch's mean weighted by its size,
 * so that an epoch interrupted and resumed reports the same means as one run straight through.
 */
export interface EpochSums {
  /** Samples in the finished batches. */
  readonly seen: number;
  /** Σ batch mean loss × batch size. */
  readonly loss: number;
  /** Σ batch metric × batch size, by metric name. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** The sums of an epoch that has not begun. */
export const NO_SUMS: EpochSums = { seen: 0, loss: 0, metrics: {} };

/**
 * Everything a run needs to continue exactly where it stood, after a finished epoch or in the
 * middle of one: weights, optimizer and scheduler state, the global generator (dropout,
 * initialisation), the training loader's generator as it stood before the current epoch drew its
 * shuffled order, how many of that epoch's batches are done and their running sums, and the
 * history. `fit({ resume })` takes it: it draws the epoch's order again and skips the finished
 * batches.
 */
export interface FitState {
  /** Finished epochs. */
  readonly epoch: number;
  /** Optimizer steps taken. */
  readonly step: number;
  /** Finished batches of epoch `epoch + 1` (0 at an epoch boundary). */
  readonly batchInEpoch: number;
  /** Running sums over those batches ({@link NO_SUMS} at an epoch boundary). */
  readonly epochSums: EpochSums;
  readonly history: readonly EpochLogs[];
  /** The model's state dict in host memory. */
  readonly weights: Readonly<Record<string, TensorToWrite | IntTensorToWrite>>;
  /** The optimizer's state dict with its buffers as Float32Arrays. */
  readonly optimizer: OptimizerStateDict;
  readonly scheduler: SchedulerStateDict | null;
  readonly rng: GeneratorState;
  /** The training loader's generator before the current epoch drew its order. */
  readonly loaderRng: GeneratorState;
}

const FORMAT = 'backprop.fit/1';

/** A model's state dict read into host memory (float32 as F32, int32 as I64). */
export async function hostWeights(
  stateDict: Readonly<Record<string, Tensor>>,
): Promise<Record<string, TensorToWrite | IntTensorToWrite>> {
  const out: Record<string, TensorToWrite | IntTensorToWrite> = {};
  for (const [name, t] of Object.entries(stateDict)) {
    const values = await t.data();
    out[name] =
      t.dtype === 'int32'
        ? { shape: [...t.shape], data: Int32Array.from(values), dtype: 'I64' }
        : { shape: [...t.shape], data: Float32Array.from(values) };
  }
  return out;
}

/** New tensors holding host weights (the caller disposes them after `loadStateDict`). */
export function weightTensors(
  weights: Readonly<Record<string, TensorToWrite | IntTensorToWrite>>,
): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, w] of Object.entries(weights))
    out[name] = fromArray(w.data, [...w.shape], w.dtype === 'I64' ? { dtype: 'int32' } : {});
  return out;
}

/**
 * Encodes a {@link FitState} as a safetensors file: weights as `model.NAME` (so PyTorch and other
 * tools can read them), optimizer buffers as `optimizer.INDEX.NAME`, the rest as JSON in the
 * `backprop.fit` metadata entry.
 */
export function encodeFitState(state: FitState): Uint8Array {
  const tensors: Record<string, TensorToWrite | IntTensorToWrite> = {};
  for (const [name, w] of Object.entries(state.weights)) tensors[`model.${name}`] = w;
  const optimizerState: Record<string, Record<string, unknown>> = {};
  for (const [index, entry] of Object.entries(state.optimizer.state)) {
    optimizerState[index] = {};
    for (const [name, value] of Object.entries(entry)) {
      if (typeof value === 'number') {
        optimizerState[index][name] = value;
        continue;
      }
      const key = `optimizer.${index}.${name}`;
      tensors[key] = { shape: value.shape, data: Float32Array.from(value.data) };
      optimizerState[index][name] = { tensor: key };
    }
  }
  const meta = {
    format: FORMAT,
    epoch: state.epoch,
    step: state.step,
    batchInEpoch: state.batchInEpoch,
    epochSums: state.epochSums,
    history: state.history,
    optimizer: { ...state.optimizer, state: optimizerState },
    scheduler: state.scheduler,
    rng: state.rng,
    loaderRng: state.loaderRng,
  };
  return encodeSafetensors(tensors, { 'backprop.fit': JSON.stringify(meta) });
}

/** Reads a file from {@link encodeFitState}; a damaged or foreign file throws `CheckpointError`. */
export function decodeFitState(bytes: Uint8Array): FitState {
  const file = decodeSafetensors(bytes);
  const text = file.metadata['backprop.fit'];
  if (text === undefined)
    throw new CheckpointError(
      "not a fit() checkpoint: the safetensors metadata has no 'backprop.fit' entry (a weights-only file loads with loadSafetensors)",
    );
  const meta = parseJsonObject(text, "the 'backprop.fit' metadata") as Record<string, unknown> & {
    optimizer: OptimizerStateDict & { state: Record<string, Record<string, unknown>> };
  };
  if (meta.format !== FORMAT)
    throw new CheckpointError(`expected a '${FORMAT}' checkpoint, got format ${JSON.stringify(meta.format)}`);
  // Files from before mid-epoch resume have neither: they were written at epoch boundaries.
  meta.batchInEpoch ??= 0;
  meta.epochSums ??= NO_SUMS;
  for (const key of ['epoch', 'step', 'batchInEpoch'])
    if (!Number.isSafeInteger(meta[key]) || (meta[key] as number) < 0)
      throw new CheckpointError(
        `checkpoint '${key}' must be a non-negative integer, got ${JSON.stringify(meta[key])}`,
      );
  const sums = meta.epochSums as {
    seen: number;
    loss: number | null;
    metrics: Record<string, number | null>;
  };
  if (
    typeof sums !== 'object' ||
    sums === null ||
    !Number.isSafeInteger(sums.seen) ||
    sums.seen < 0 ||
    (typeof sums.loss !== 'number' && sums.loss !== null) ||
    typeof sums.metrics !== 'object' ||
    sums.metrics === null ||
    Object.values(sums.metrics).some((v) => typeof v !== 'number' && v !== null)
  )
    throw new CheckpointError(
      `checkpoint 'epochSums' must be { seen, loss, metrics } of numbers, got ${JSON.stringify(sums).slice(0, 80)}`,
    );
  const weights: Record<string, TensorToWrite | IntTensorToWrite> = {};
  for (const [name, entry] of file.tensors) {
    if (!name.startsWith('model.')) continue;
    weights[name.slice('model.'.length)] =
      entry.dtype === 'F32'
        ? { shape: entry.shape, data: readFloat32(name, entry) }
        : { shape: entry.shape, data: readInt32(name, entry), dtype: 'I64' };
  }
  const state: OptimizerStateDict['state'] = {};
  for (const [index, entry] of Object.entries(meta.optimizer?.state ?? {})) {
    state[index] = {};
    for (const [name, value] of Object.entries(entry)) {
      if (typeof value === 'number') {
        state[index][name] = value;
        continue;
      }
      const key = (value as { tensor?: unknown }).tensor;
      const t = typeof key === 'string' ? file.tensors.get(key) : undefined;
      if (t === undefined)
        throw new CheckpointError(
          `checkpoint optimizer state ${index}.${name} names tensor ${JSON.stringify(key)}, which the file lacks`,
        );
      state[index][name] = { shape: [...t.shape], dtype: 'float32', data: readFloat32(key as string, t) };
    }
  }
  return {
    epoch: meta.epoch as number,
    step: meta.step as number,
    batchInEpoch: meta.batchInEpoch as number,
    // JSON writes a diverged run's NaN sums as null.
    epochSums: {
      seen: sums.seen,
      loss: sums.loss ?? Number.NaN,
      metrics: Object.fromEntries(Object.entries(sums.metrics).map(([k, v]) => [k, v ?? Number.NaN])),
    },
    history: meta.history as EpochLogs[],
    weights,
    optimizer: { ...meta.optimizer, state },
    scheduler: (meta.scheduler ?? null) as SchedulerStateDict | null,
    rng: meta.rng as GeneratorState,
    loaderRng: meta.loaderRng as GeneratorState,
  };
}
