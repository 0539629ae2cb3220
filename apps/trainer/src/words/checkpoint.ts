import { fromArray, type Tensor } from '@backprop/core';
import { checkpointPath } from '../checkpoint/checkpoint.js';
import {
  CHECKSUM_KEY,
  checkpointProblem,
  checksum,
  readCheckpointBytes,
  writeCheckpointFile,
} from '../checkpoint/file.js';
import {
  CheckpointError,
  decodeSafetensors,
  parseJsonObject,
  readFloat32,
  type TensorToWrite,
} from '../checkpoint/safetensors.js';
import {
  array,
  integer,
  literal,
  number,
  object,
  oneOf,
  refine,
  string,
  uint32,
} from '../checkpoint/schema.js';
import { BACKENDS, OPTIMIZERS, SCHEDULES } from '../config.js';
import type { WordsConfig } from './config.js';
import {
  buildLanguageModel,
  type CharRecurrent,
  type CharTransformer,
  LM_MODELS,
  type LmModelConfig,
} from './models.js';
import type { WordsEpoch, WordsRun } from './run.js';

/** The `__metadata__` key (and format version) that marks a words language-model checkpoint. */
export const WORDS_CHECKPOINT_KEY = 'backprop-trainer-words';
const FORMAT_VERSION = '1';
const METADATA_KEYS: readonly string[] = [WORDS_CHECKPOINT_KEY, 'checkpoint', CHECKSUM_KEY];

/** The JSON metadata of a words checkpoint: how to rebuild the model, and what the run measured. */
export interface WordsCheckpointMeta {
  readonly savedAt: string;
  readonly config: WordsConfig;
  readonly model: LmModelConfig;
  readonly history: readonly WordsEpoch[];
  readonly stepLosses: readonly number[];
  readonly bigramLoss: number;
  readonly trainSeconds: number;
}

/** Bounds that keep a damaged file from declaring a model too large to build. */
const size = (max: number) => integer(1, max);
const finite = number();
const positive = number({ min: 0 });

const CONFIG = object({
  backend: oneOf(BACKENDS),
  dataset: literal('words'),
  architecture: oneOf(LM_MODELS),
  trainSize: size(1_000_000),
  testSize: size(1_000_000),
  width: size(4096),
  layers: size(64),
  heads: integer(0, 256),
  hidden: integer(0, 4096),
  optimizer: oneOf(OPTIMIZERS),
  lr: number({ min: 0, minExclusive: true }),
  schedule: oneOf(SCHEDULES),
  momentum: number({ min: 0, max: 0.999 }),
  weightDecay: positive,
  batchSize: size(1_000_000),
  epochs: size(100_000),
  seed: uint32,
  out: string(),
});

const MODEL = refine(
  object({
    architecture: oneOf(LM_MODELS),
    blockSize: size(1024),
    width: size(4096),
    layers: size(64),
    heads: integer(0, 256),
    hidden: integer(0, 4096),
  }),
  (m) =>
    m.architecture === 'gpt'
      ? m.heads >= 1 && m.width % m.heads === 0
        ? null
        : 'a gpt whose width divides by its heads (>= 1)'
      : m.hidden >= 1
        ? null
        : 'a recurrent model with hidden >= 1',
);

const META = object({
  savedAt: string({ maxLength: 40 }),
  config: CONFIG,
  model: MODEL,
  history: array(
    object({ epoch: size(100_000), trainLoss: finite, heldOutLoss: finite, lr: positive, seconds: positive }),
    { max: 100_000 },
  ),
  stepLosses: array(finite, { max: 10_000_000 }),
  bigramLoss: finite,
  trainSeconds: positive,
});

/** Saves a words run atomically: weights as `model.NAME` (float32), the rest as JSON metadata. */
export async function saveWordsCheckpoint(path: string, run: WordsRun): Promise<void> {
  const tensors: Record<string, TensorToWrite> = {};
  for (const [name, t] of Object.entries(run.model.stateDict()))
    tensors[`model.${name}`] = { shape: [...t.shape], data: Float32Array.from(await t.data()) };
  const meta: WordsCheckpointMeta = {
    savedAt: new Date().toISOString(),
    config: run.config,
    model: run.modelConfig,
    history: run.history,
    stepLosses: run.stepLosses,
    bigramLoss: run.bigramLoss,
    trainSeconds: run.trainSeconds,
  };
  writeCheckpointFile(path, tensors, WORDS_CHECKPOINT_KEY, FORMAT_VERSION, JSON.stringify(meta));
}

/** A words checkpoint read back: its metadata and the model with its weights loaded. */
export interface WordsCheckpoint {
  readonly path: string;
  readonly meta: WordsCheckpointMeta;
  readonly model: CharTransformer | CharRecurrent;
}

/**
 * Reads a words checkpoint (a run folder or the file): the safetensors layout, the checksum, the
 * metadata's schema, then every weight's presence, shape and finiteness before the model is
 * built. Throws a `CheckpointError` naming the file and the problem.
 */
export function readWordsCheckpoint(pathOrFolder: string): WordsCheckpoint {
  const path = checkpointPath(pathOrFolder);
  const problem = checkpointProblem(path);
  const bytes = readCheckpointBytes(path);
  try {
    const file = decodeSafetensors(bytes);
    const version = file.metadata[WORDS_CHECKPOINT_KEY];
    if (version === undefined)
      throw new CheckpointError(
        `not a words language-model checkpoint (its __metadata__ has no "${WORDS_CHECKPOINT_KEY}"; train one with --dataset words)`,
      );
    if (version !== FORMAT_VERSION)
      throw new CheckpointError(
        `words checkpoint format ${JSON.stringify(version).slice(0, 40)} is not supported (this trainer reads ${FORMAT_VERSION})`,
      );
    const unknown = Object.keys(file.metadata).find((k) => !METADATA_KEYS.includes(k));
    if (unknown !== undefined)
      throw new CheckpointError(`__metadata__ has the unknown key ${JSON.stringify(unknown).slice(0, 60)}`);
    const json = file.metadata.checkpoint;
    if (json === undefined) throw new CheckpointError('its __metadata__ has no "checkpoint" entry');
    if (file.metadata[CHECKSUM_KEY] !== checksum(json, file.data))
      throw new CheckpointError('checksum mismatch: the metadata or tensor data is damaged');
    const meta = META(parseJsonObject(json, 'its checkpoint metadata'), 'checkpoint') as WordsCheckpointMeta;
    const model = buildLanguageModel(meta.model);
    const expected = model.stateDict();
    const values = new Map<string, Tensor>();
    for (const [name, target] of Object.entries(expected)) {
      const entry = file.tensors.get(`model.${name}`);
      if (entry === undefined) throw new CheckpointError(`tensor 'model.${name}' is missing`);
      if (entry.shape.join() !== target.shape.join())
        throw new CheckpointError(
          `tensor 'model.${name}' has shape [${entry.shape.join(', ')}] but the model needs [${target.shape.join(', ')}]`,
        );
      const data = readFloat32(`model.${name}`, entry);
      const bad = data.findIndex((v) => !Number.isFinite(v));
      if (bad !== -1)
        throw new CheckpointError(`tensor 'model.${name}' holds ${data[bad]} at element ${bad}`);
      values.set(name, fromArray(data, target.shape));
    }
    const extra = [...file.tensors.keys()].find((k) => !(k.startsWith('model.') && k.slice(6) in expected));
    if (extra !== undefined) throw new CheckpointError(`tensor '${extra}' does not belong to the model`);
    model.loadStateDict(values);
    for (const t of values.values()) t.dispose();
    return { path, meta, model };
  } catch (e) {
    if (e instanceof CheckpointError) throw problem(e.message);
    throw e;
  }
}
