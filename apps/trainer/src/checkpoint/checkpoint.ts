import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fromArray, type GeneratorState, type Tensor } from '@backprop/core';
import type { Sequential } from '@backprop/nn';
import type { OptimizerStateDict, SchedulerStateDict } from '@backprop/optim';
import type { TrainConfig } from '../config.js';
import type { InputInfo } from '../datasets.js';
import { buildModel, type ModelConfig } from '../model.js';
import type { EpochMetrics, ResumeState, TrainingRun, TrainProgress } from '../trainer.js';
import { writeFileAtomic } from './atomic.js';
import {
  CheckpointError,
  decodeSafetensors,
  encodeSafetensors,
  readFloat32,
  type SafetensorsFile,
  type TensorToWrite,
} from './safetensors.js';

/** The checkpoint's file name inside a run folder. */
export const CHECKPOINT_FILE = 'checkpoint.safetensors';
/** The value of `__metadata__["backprop-trainer"]`, the format version of the JSON metadata. */
const FORMAT_VERSION = '1';

/** A reference to a tensor stored in the safetensors body instead of the JSON. */
interface TensorRef {
  readonly tensor: string;
  readonly shape: number[];
}

/**
 * The JSON metadata of a checkpoint (in the safetensors header's `__metadata__` under
 * `checkpoint`): enough to rebuild the model, optimizer and schedule and to continue the run
 * exactly. Optimizer buffers live in the tensor body as `optimizer.INDEX.NAME`; the JSON refers
 * to them by name.
 */
export interface CheckpointMeta {
  readonly savedAt: string;
  readonly config: TrainConfig;
  readonly model: ModelConfig;
  readonly input: InputInfo;
  readonly progress: TrainProgress;
  readonly history: readonly EpochMetrics[];
  readonly optimizer: Omit<OptimizerStateDict, 'state'> & {
    state: Record<string, Record<string, number | TensorRef>>;
  };
  /** The schedule's state; its `lastEpoch` counts the steps taken (null: constant rate). */
  readonly scheduler: SchedulerStateDict | null;
  readonly rng: { readonly global: GeneratorState };
}

/** A checkpoint read from disk and validated. */
export interface Checkpoint {
  readonly path: string;
  readonly meta: CheckpointMeta;
  readonly file: SafetensorsFile;
}

/** The checkpoint file of a run folder, or the path itself when it names a file. */
export function checkpointPath(pathOrFolder: string): string {
  return existsSync(pathOrFolder) && statSync(pathOrFolder).isDirectory()
    ? join(pathOrFolder, CHECKPOINT_FILE)
    : pathOrFolder;
}

/**
 * Saves a run's checkpoint atomically: weights as `model.NAME` (float32, the layout other tools
 * read), optimizer buffers as `optimizer.INDEX.NAME`, the rest as JSON metadata. A crash while
 * saving leaves the previous checkpoint intact.
 */
export async function saveCheckpoint(path: string, run: TrainingRun): Promise<void> {
  const tensors: Record<string, TensorToWrite> = {};
  for (const [name, t] of Object.entries(run.model.stateDict())) tensors[`model.${name}`] = await float32(t);
  const optimizer = await run.optimizer.stateDictAsync({ typedArrays: true });
  const state: CheckpointMeta['optimizer']['state'] = {};
  for (const [index, entry] of Object.entries(optimizer.state)) {
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
    progress: { ...run.progress, augmentState: run.rngState().augment },
    history: run.history,
    optimizer: { ...optimizer, state },
    scheduler: run.scheduler?.stateDict() ?? null,
    rng: { global: run.rngState().global },
  };
  const bytes = encodeSafetensors(tensors, {
    'backprop-trainer': FORMAT_VERSION,
    checkpoint: JSON.stringify(meta),
  });
  writeFileAtomic(path, bytes);
}

async function float32(t: Tensor): Promise<TensorToWrite> {
  return { shape: [...t.shape], data: Float32Array.from(await t.data()) };
}

/**
 * Reads and validates a checkpoint: the safetensors layout (see `decodeSafetensors`), then the
 * metadata. Throws a `CheckpointError` naming the file and the problem.
 */
export function readCheckpoint(pathOrFolder: string): Checkpoint {
  const path = checkpointPath(pathOrFolder);
  const problem = (why: string): CheckpointError => new CheckpointError(`checkpoint ${path}: ${why}`);
  if (!existsSync(path))
    throw problem(`no such file (give a run folder holding ${CHECKPOINT_FILE}, or the file)`);
  let file: SafetensorsFile;
  try {
    file = decodeSafetensors(readFileSync(path));
  } catch (e) {
    throw problem((e as Error).message);
  }
  const version = file.metadata['backprop-trainer'];
  if (version === undefined)
    throw problem('not a backprop-trainer checkpoint (its __metadata__ has no "backprop-trainer")');
  if (version !== FORMAT_VERSION)
    throw problem(`checkpoint format ${version} is not supported (this trainer reads ${FORMAT_VERSION})`);
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(file.metadata.checkpoint ?? '');
  } catch (e) {
    throw problem(`its metadata is not valid JSON: ${(e as Error).message}`);
  }
  for (const key of ['config', 'model', 'input', 'progress', 'optimizer', 'rng'] as const) {
    if (meta === null || typeof meta !== 'object' || typeof meta[key] !== 'object' || meta[key] === null) {
      throw problem(`its metadata lacks '${key}'`);
    }
  }
  return { path, meta, file };
}

/**
 * Loads the checkpoint's weights into `model` (built from `meta.model`), after checking that every
 * parameter is there, float, and of the model's shape, and that nothing else is.
 */
export function loadWeights(checkpoint: Checkpoint, model: Sequential): void {
  const problem = (why: string): CheckpointError =>
    new CheckpointError(`checkpoint ${checkpoint.path}: ${why}`);
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
    try {
      arrays.set(name, readFloat32(key, entry));
    } catch (e) {
      throw problem((e as Error).message);
    }
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
      state[index][name] = { shape: value.shape, dtype: 'float32', data: readFloat32(value.tensor, stored) };
    }
  }
  return { ...meta.optimizer, state };
}

/** The state to continue a run from this checkpoint (see `TrainingRun`). */
export function resumeState(checkpoint: Checkpoint): ResumeState {
  const { meta } = checkpoint;
  return {
    progress: meta.progress,
    history: meta.history,
    optimizer: optimizerState(checkpoint),
    schedulerSteps: typeof meta.scheduler?.lastEpoch === 'number' ? meta.scheduler.lastEpoch : 0,
    globalRng: meta.rng.global,
    loadWeights: (model) => loadWeights(checkpoint, model),
  };
}

/** Rebuilds the checkpoint's model and loads its weights. */
export function restoreModel(checkpoint: Checkpoint): Sequential {
  const model = buildModel(checkpoint.meta.model);
  loadWeights(checkpoint, model);
  return model;
}
