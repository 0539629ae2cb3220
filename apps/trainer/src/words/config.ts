import { UsageError } from '../args.js';
import {
  type BackendName,
  defaultRunFolder,
  type OptimizerName,
  parseHidden,
  readConfigFile,
  type ScheduleName,
  TRAIN_OPTIONS,
  userPath,
} from '../config.js';
import { LM_MODELS, type LmModelName } from './models.js';

/** The data set name of the character-level language modelling task. */
export const WORDS_DATASET = 'words';

/** Everything that defines a words run; saved in its checkpoint. */
export interface WordsConfig {
  readonly backend: BackendName;
  readonly dataset: typeof WORDS_DATASET;
  readonly architecture: LmModelName;
  /** Training and held-out word counts (a seeded split of the whole list). */
  readonly trainSize: number;
  readonly testSize: number;
  readonly width: number;
  readonly layers: number;
  readonly heads: number;
  /** The recurrent nets' hidden size (unused by the GPT). */
  readonly hidden: number;
  readonly optimizer: OptimizerName;
  readonly lr: number;
  readonly schedule: ScheduleName;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly seed: number;
  readonly out: string;
}

/**
 * Defaults measured to beat the bigram baseline by more than 15% within about ten minutes on two
 * busy cores (see the README): per model, its width, depth and learning rate.
 */
const MODEL_DEFAULTS: Record<
  LmModelName,
  { width: number; layers: number; heads: number; hidden: number; lr: number }
> = {
  gpt: { width: 64, layers: 2, heads: 4, hidden: 0, lr: 0.008 },
  rnn: { width: 32, layers: 1, heads: 0, hidden: 128, lr: 0.004 },
  lstm: { width: 32, layers: 1, heads: 0, hidden: 128, lr: 0.006 },
  gru: { width: 32, layers: 1, heads: 0, hidden: 128, lr: 0.006 },
};
const DEFAULT_TRAIN_WORDS = 40_000;
const DEFAULT_TEST_WORDS = 5_000;
const DEFAULT_EPOCHS = 2;
const DEFAULT_BATCH = 64;

/** Options of `train` that only the classification models read. */
const CLASSIFICATION_ONLY = ['target', 'activation', 'loss', 'label-smoothing', 'augment'] as const;

/** Whether a `train` command line (or its config file) asks for the words task. */
export function isWordsRun(options: Record<string, string | number | boolean>): boolean {
  const fromFile =
    typeof options.config === 'string' ? readConfigFile(options.config, TRAIN_OPTIONS, 'train') : {};
  const o = { ...fromFile, ...options };
  return o.dataset === WORDS_DATASET || (LM_MODELS as readonly unknown[]).includes(o.model);
}

/** Builds a words run's configuration from `train`'s options, refusing those that do not apply. */
export function resolveWordsConfig(cli: Record<string, string | number | boolean>): WordsConfig {
  const command = 'train';
  const fromFile = typeof cli.config === 'string' ? readConfigFile(cli.config, TRAIN_OPTIONS, command) : {};
  const o = { ...fromFile, ...cli };
  const str = (k: string): string | undefined => (o[k] === undefined ? undefined : String(o[k]));
  const num = (k: string): number | undefined => (o[k] === undefined ? undefined : Number(o[k]));
  const model = str('model') ?? 'gpt';
  if (!(LM_MODELS as readonly string[]).includes(model))
    throw new UsageError(
      `--dataset words trains a character-level language model: --model must be one of ${LM_MODELS.join(', ')} (default gpt), not ${model}`,
      command,
    );
  const architecture = model as LmModelName;
  if (str('dataset') !== WORDS_DATASET)
    throw new UsageError(`--model ${architecture} is a language model for --dataset words only`, command);
  for (const name of CLASSIFICATION_ONLY)
    if (o[name] !== undefined)
      throw new UsageError(`--${name} applies to the classification models, not --dataset words`, command);
  const d = MODEL_DEFAULTS[architecture];
  if (architecture === 'gpt' && o.hidden !== undefined)
    throw new UsageError(
      '--hidden sizes the recurrent models; the gpt is shaped by --width, --layers and --heads',
      command,
    );
  if (architecture !== 'gpt' && o.heads !== undefined)
    throw new UsageError(`--heads applies to --model gpt, not ${architecture}`, command);
  let hidden = d.hidden;
  if (o.hidden !== undefined) {
    const sizes = parseHidden(String(o.hidden), command);
    if (sizes.length !== 1)
      throw new UsageError(
        `--hidden for --model ${architecture} is one state size (e.g. 128), got '${o.hidden}'`,
        command,
      );
    hidden = sizes[0];
  }
  const width = num('width') ?? d.width;
  const heads = num('heads') ?? d.heads;
  if (architecture === 'gpt' && width % heads !== 0)
    throw new UsageError(`--width ${width} must divide by --heads ${heads}`, command);
  const optimizer = (str('optimizer') ?? 'adamw') as OptimizerName;
  if (o.momentum !== undefined && optimizer !== 'sgd' && optimizer !== 'rmsprop')
    throw new UsageError(`--momentum applies to sgd and rmsprop, not ${optimizer}`, command);
  return {
    backend: (str('backend') ?? 'cpu') as BackendName,
    dataset: WORDS_DATASET,
    architecture,
    trainSize: num('train-size') ?? DEFAULT_TRAIN_WORDS,
    testSize: num('test-size') ?? DEFAULT_TEST_WORDS,
    width,
    layers: num('layers') ?? d.layers,
    heads: architecture === 'gpt' ? heads : 0,
    hidden: architecture === 'gpt' ? 0 : hidden,
    optimizer,
    lr: num('lr') ?? d.lr,
    schedule: (str('schedule') ?? 'cosine') as ScheduleName,
    momentum: num('momentum') ?? (optimizer === 'sgd' ? 0.9 : 0),
    weightDecay: num('weight-decay') ?? (optimizer === 'adamw' ? 0.01 : 0),
    batchSize: num('batch-size') ?? DEFAULT_BATCH,
    epochs: num('epochs') ?? DEFAULT_EPOCHS,
    seed: num('seed') ?? 0,
    out: str('out') === undefined ? defaultRunFolder(`words-${architecture}`) : userPath(String(o.out)),
  };
}
