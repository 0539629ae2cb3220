import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fromArray, type Tensor } from '@backprop/core';
import type { Sequential } from '@backprop/nn';
import type { OptimizerStateDict } from '@backprop/optim';
import { type FitState, NO_SUMS } from '@backprop/train';
import { buildModel } from '../model.js';
import { fitLogsOf, type ResumeState, type TrainingRun } from '../trainer.js';
import {
  CHECKPOINT_FILE,
  CHECKSUM_KEY,
  checkpointProblem,
  checksum,
  readCheckpointBytes,
  writeCheckpointFile,
} from './file.js';
import { type CheckpointMeta, checkMetadata } from './metadata.js';
import {
  CheckpointError,
  decodeSafetensors,
  type IntTensorToWrite,
  parseJsonObject,
  readFloat32,
  type SafetensorsFile,
  type TensorToWrite,
} from './safetensors.js';

export { CHECKPOINT_FILE } from './file.js';
export type { CheckpointMeta, TensorRef } from './metadata.js';

/** The value of `__metadata__["backprop-trainer"]`, the format version of the JSON metadata. */
const FORMAT_VERSION = '1';
/** Every key a trainer checkpoint's `__metadata__` may have. */
const METADATA_KEYS: readonly string[] = ['backprop-trainer', 'checkpoint', CHECKSUM_KEY];

/** A checkpoint read from disk and validated. */
export interface Checkpoint {
  readonly path: string;
  readonly meta: CheckpointMeta;
  readonly file: SafetensorsFile;
  /** Every stored tensor decoded to float32 (and checked finite unless allowed otherwise). */
  readonly values: ReadonlyMap<string, Float32Array>;
}

/** How `readCheckpoint` reads. */
export interface ReadOptions {
  /** Accept NaN and infinite weights or buffers (refused by default: they mean a diverged or damaged run). */
  readonly allowNonfinite?: boolean;
}

/** The checkpoint file of a run folder, or the path itself when it names a file. */
export function checkpointPath(pathOrFolder: string): string {
  return existsSync(pathOrFolder) && statSync(pathOrFolder).isDirectory()
    ? join(pathOrFolder, CHECKPOINT_FILE)
    : pathOrFolder;
}

/**
 * Saves a run's checkpoint atomically from `fit`'s state: weights as `model.NAME` (float32, the
 * layout other tools read), optimizer buffers as `optimizer.INDEX.NAME`, the rest (with the run's
 * progress and history) as JSON metadata. A crash while saving leaves the previous checkpoint
 * intact.
 */
export async function saveCheckpoint(path: string, run: TrainingRun, fit: FitState): Promise<void> {
  const tensors: Record<string, TensorToWrite | IntTensorToWrite> = {};
  for (const [name, w] of Object.entries(fit.weights)) tensors[`model.${name}`] = w;
  const state: CheckpointMeta['optimizer']['state'] = {};
  for (const [index, entry] of Object.entries(fit.optimizer.state)) {
    state[index] = {};
    for (const [name, value] of Object.entries(entry)) {
      if (typeof value === 'number') {
        state[index][name] = value;
        continue;
      }
      const key = `optimizer.${index}.${name}`;
      tensors[key] = { shape: value.shape, data: Float32Array.from(value.data) };
      state[index][name] = { tensor: key, shape: value.shape };
    }
  }
  const meta: CheckpointMeta = {
    savedAt: new Date().toISOString(),
    config: run.config,
    model: run.modelConfig,
    input: run.data.input,
    progress: { ...run.progress },
    history: run.history,
    optimizer: { ...fit.optimizer, state },
    scheduler: fit.scheduler,
    rng: { global: fit.rng },
  };
  writeCheckpointFile(path, tensors, 'backprop-trainer', FORMAT_VERSION, JSON.stringify(meta));
}

/**
 * Reads and validates a checkpoint before anything is built from it: the safetensors layout (see
 * `decodeSafetensors`), the checksum when there is one, the metadata against its schema and
 * against the stored tensors (see `checkMetadata`), and every value finite unless
 * `allowNonfinite`. Throws a `CheckpointError` whose one line names the file and the problem.
 */
export function readCheckpoint(pathOrFolder: string, options: ReadOptions = {}): Checkpoint {
  const path = checkpointPath(pathOrFolder);
  // One line whatever the cause: a damaged name or a JSON parser's excerpt may hold line breaks.
  const problem = checkpointProblem(path);
  const bytes = readCheckpointBytes(path);
  try {
    const file = decodeSafetensors(bytes);
    const meta = readMeta(file);
    const values = new Map<string, Float32Array>();
    for (const [name, entry] of file.tensors) {
      const data = readFloat32(name, entry);
      if (!options.allowNonfinite) {
        const bad = data.findIndex((v) => !Number.isFinite(v));
        if (bad !== -1)
          throw new CheckpointError(
            `tensor '${name}' holds ${data[bad]} at element ${bad}: weights must be finite (a diverged or damaged run; --allow-nonfinite reads it anyway)`,
          );
      }
      values.set(name, data);
    }
    return { path, meta, file, values };
  } catch (e) {
    if (e instanceof CheckpointError) throw problem(e.message);
    throw e;
  }
}

/** The checkpoint metadata of a decoded file: version, checksum, then the schema. */
function readMeta(file: SafetensorsFile): CheckpointMeta {
  const version = file.metadata['backprop-trainer'];
  // A words language model's checkpoint (src/words/checkpoint.ts) is read by `sample` only.
  if (version === undefined && file.metadata['backprop-trainer-words'] !== undefined)
    throw new CheckpointError(
      "is a character-level language model's (--dataset words): eval, predict, resume and export read the classification models; use 'backprop-trainer sample'",
    );
  if (version === undefined)
    throw new CheckpointError(
      'not a backprop-trainer checkpoint (its __metadata__ has no "backprop-trainer")',
    );
  if (version !== FORMAT_VERSION)
    throw new CheckpointError(
      `checkpoint format ${JSON.stringify(version).slice(0, 40)} is not supported (this trainer reads ${FORMAT_VERSION})`,
    );
  // Only the trainer's keys: a renamed checksum key must not pass as a file without a checksum.
  const unknown = Object.keys(file.metadata).find((k) => !METADATA_KEYS.includes(k));
  if (unknown !== undefined)
    throw new CheckpointError(
      `__metadata__ has the unknown key ${JSON.stringify(unknown).slice(0, 60)} (a trainer checkpoint has ${METADATA_KEYS.join(', ')})`,
    );
  const json = file.metadata.checkpoint;
  if (json === undefined) throw new CheckpointError('its __metadata__ has no "checkpoint" entry');
  // Checkpoints written before the checksum existed have none and are read without the check.
  const stored = file.metadata[CHECKSUM_KEY];
  if (stored !== undefined) {
    if (!/^[0-9a-f]{64}$/.test(stored))
      throw new CheckpointError(
        `__metadata__ "${CHECKSUM_KEY}" is not a SHA-256 in hex: ${JSON.stringify(stored).slice(0, 70)}`,
      );
    const actual = checksum(json, file.data);
    if (actual !== stored)
      throw new CheckpointError(
        `checksum mismatch: the metadata and tensor data hash to ${actual.slice(0, 12)}..., the file says ${stored.slice(0, 12)}...; the file is damaged`,
      );
  }
  return checkMetadata(parseJsonObject(json, 'its checkpoint metadata'), file.tensors);
}

/**
 * Loads the checkpoint's weights into `model` (built from `meta.model`), after checking that every
 * parameter is there, float, and of the model's shape, and that nothing else is.
 */
function loadWeights(checkpoint: Checkpoint, model: Sequential): void {
  const problem = checkpointProblem(checkpoint.path);
  const expected = model.stateDict();
  const arrays = new Map<string, Float32Array>();
  for (const [name, target] of Object.entries(expected)) {
    const key = `model.${name}`;
    const entry = checkpoint.file.tensors.get(key);
    if (entry === undefined) throw problem(`tensor '${key}' is missing`);
    if (entry.shape.join() !== target.shape.join()) {
      throw problem(
        `tensor '${key}' has shape [${entry.shape.join(', ')}] but the model needs [${target.shape.join(', ')}]`,
      );
    }
    const data = checkpoint.values.get(key);
    if (data === undefined) throw problem(`tensor '${key}' is missing`);
    arrays.set(name, data);
  }
  const unexpected = [...checkpoint.file.tensors.keys()].filter(
    (k) => k.startsWith('model.') && !(k.slice(6) in expected),
  );
  if (unexpected.length > 0) throw problem(`tensors ${unexpected.join(', ')} do not belong to the model`);
  // Tensors only once everything checked out, so a refused file leaves nothing behind.
  const values = new Map(
    [...arrays].map(([name, data]): [string, Tensor] => [name, fromArray(data, expected[name].shape)]),
  );
  model.loadStateDict(values);
  for (const t of values.values()) t.dispose();
}

/** The optimizer's state dict with its buffers read back from the tensor body. */
function optimizerState(checkpoint: Checkpoint): OptimizerStateDict {
  const { meta } = checkpoint;
  const state: OptimizerStateDict['state'] = {};
  for (const [index, entry] of Object.entries(meta.optimizer.state)) {
    state[index] = {};
    for (const [name, value] of Object.entries(entry)) {
      if (typeof value === 'number') {
        state[index][name] = value;
        continue;
      }
      const stored = checkpoint.file.tensors.get(value.tensor);
      if (stored === undefined || stored.shape.join() !== value.shape.join()) {
        throw new CheckpointError(
          `checkpoint ${checkpoint.path}: optimizer tensor '${value.tensor}' is missing or not of shape [${value.shape.join(', ')}]`,
        );
      }
      const data = checkpoint.values.get(value.tensor) as Float32Array;
      state[index][name] = { shape: value.shape, dtype: 'float32', data };
    }
  }
  return { ...meta.optimizer, state };
}

/** The state to continue a run from this checkpoint (see `TrainingRun`). */
export function resumeState(checkpoint: Checkpoint): ResumeState {
  const { meta } = checkpoint;
  const p = meta.progress;
  // The metadata's schema checked every weight's presence and shape against the model.
  const weights: Record<string, TensorToWrite> = {};
  for (const [key, entry] of checkpoint.file.tensors) {
    if (key.startsWith('model.'))
      weights[key.slice('model.'.length)] = {
        shape: entry.shape,
        data: checkpoint.values.get(key) as Float32Array,
      };
  }
  return {
    progress: p,
    history: meta.history,
    schedulerSteps: typeof meta.scheduler?.lastEpoch === 'number' ? meta.scheduler.lastEpoch : 0,
    fit: {
      epoch: p.epoch,
      step: p.step,
      batchInEpoch: p.batchInEpoch,
      epochSums:
        p.batchInEpoch === 0 ? NO_SUMS : { seen: p.seen, loss: p.lossSum, metrics: { accuracy: p.correct } },
      history: meta.history.map(fitLogsOf),
      weights,
      optimizer: optimizerState(checkpoint),
      // The run rebuilds the schedule at its step from its closed form (see `TrainingRun`).
      scheduler: null,
      rng: meta.rng.global,
      loaderRng: p.loaderState,
    },
  };
}

/** Rebuilds the checkpoint's model and loads its weights. */
export function restoreModel(checkpoint: Checkpoint): Sequential {
  const model = buildModel(checkpoint.meta.model);
  loadWeights(checkpoint, model);
  return model;
}
