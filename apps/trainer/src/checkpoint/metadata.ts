/**
 * The one schema of a checkpoint's JSON metadata: every field's type and range, then how the
 * fields agree with each other and with the stored tensors. It runs before anything is built, so
 * a damaged or hand-edited checkpoint is refused with one line naming the field, its value and
 * what was expected, and nothing it declares (a 20000-wide layer) is allocated unchecked.
 */

import type { GeneratorState } from '@backprop/core';
import type { OptimizerStateDict, SchedulerStateDict } from '@backprop/optim';
import type { TrainConfig } from '../config.js';
import {
  ACTIVATIONS,
  BACKENDS,
  DATASETS,
  LOSSES,
  MAX_EPOCHS,
  MODELS,
  OPTIMIZERS,
  type OptimizerName,
  SCHEDULES,
  type ScheduleName,
  TRAIN_OPTIONS,
} from '../config.js';
import type { InputInfo } from '../datasets.js';
import type { ModelConfig } from '../model.js';
import { parameterShapes } from '../model.js';
import type { EpochMetrics, TrainProgress } from '../trainer.js';
import { CheckpointError, type SafetensorsDType, type TensorEntry } from './safetensors.js';
import {
  array,
  boolean,
  type Check,
  fail,
  integer,
  literal,
  nullable,
  number,
  numberOrNaN,
  object,
  oneOf,
  record,
  refine,
  show,
  string,
  uint32,
  withDefault,
} from './schema.js';

/** A reference to a tensor stored in the safetensors body instead of the JSON. */
export interface TensorRef {
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

/** The class name each optimizer writes in its state dict. */
const OPTIMIZER_CLASSES: Record<OptimizerName, string> = {
  sgd: 'SGD',
  adam: 'Adam',
  adamw: 'AdamW',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
};

/** The class name each schedule writes in its state dict (constant has none). */
const SCHEDULER_CLASSES: Record<Exclude<ScheduleName, 'constant'>, string> = {
  cosine: 'CosineAnnealingLR',
  step: 'MultiStepLR',
  exponential: 'ExponentialLR',
};

/** Features and classes of the built-in data sets, which a checkpoint naming one must match. */
const BUILT_IN_SHAPES: Record<(typeof DATASETS)[number], { features: number; classes: number }> = {
  mnist: { features: 784, classes: 10 },
  xor: { features: 2, classes: 2 },
  spirals: { features: 2, classes: 3 },
  moons: { features: 2, classes: 2 },
  circles: { features: 2, classes: 2 },
  iris: { features: 4, classes: 3 },
};

/** Float dtypes the weights may be stored in (read as float32). */
const FLOAT_DTYPES: readonly SafetensorsDType[] = ['F32', 'F64', 'F16', 'BF16'];

/** The widest layer and the most layers a checkpoint may declare (as `--hidden` allows). */
const MAX_WIDTH = 65536;
const MAX_LAYERS = 1000;
/** Bounds on counts that have no natural limit, so a damaged number is caught. */
const MAX_COUNT = 2 ** 31 - 1;

/** A numeric configuration field, with the bounds of the command-line option it came from. */
function option(name: string): Check<number> {
  const spec = TRAIN_OPTIONS.find((s) => s.name === name);
  if (spec === undefined || (spec.kind !== 'int' && spec.kind !== 'number'))
    throw new Error(`no numeric option --${name}`);
  return number({
    min: spec.min,
    max: spec.max ?? (spec.kind === 'int' ? MAX_COUNT : undefined),
    minExclusive: spec.minExclusive,
    integer: spec.kind === 'int',
  });
}

const datasetField = string({
  pattern: new RegExp(`^(${DATASETS.join('|')}|csv:/.*)$`),
  what: `one of ${DATASETS.join(', ')} or csv:/ABSOLUTE/PATH`,
});

const imageShapeField = nullable(array(integer(1, 4096), { length: 2 }));

const configSchema = object({
  architecture: oneOf(MODELS),
  backend: oneOf(BACKENDS),
  dataset: datasetField,
  target: nullable(string({ maxLength: 1000 })),
  trainSize: nullable(option('train-size')),
  testSize: nullable(option('test-size')),
  hidden: array(integer(1, MAX_WIDTH), { max: MAX_LAYERS }),
  activation: oneOf(ACTIVATIONS),
  loss: oneOf(LOSSES),
  optimizer: oneOf(OPTIMIZERS),
  lr: option('lr'),
  schedule: oneOf(SCHEDULES),
  momentum: option('momentum'),
  weightDecay: option('weight-decay'),
  // Checkpoints from before label smoothing trained without it.
  labelSmoothing: withDefault(option('label-smoothing'), 0),
  batchSize: option('batch-size'),
  epochs: option('epochs'),
  augment: option('augment'),
  seed: option('seed'),
  out: string(),
});

const modelSchema = object({
  architecture: oneOf(MODELS),
  imageShape: imageShapeField,
  inputSize: integer(1, 2 ** 24),
  hidden: array(integer(1, MAX_WIDTH), { max: MAX_LAYERS }),
  outputSize: integer(1, MAX_WIDTH),
  activation: oneOf(ACTIVATIONS),
  loss: oneOf(LOSSES),
});

const classNamesField = refine(array(string({ maxLength: 1000 }), { min: 1, max: MAX_WIDTH }), (names) =>
  new Set(names).size === names.length ? null : 'class names that are all different',
);

const inputSchema = object({
  numFeatures: integer(1, 2 ** 24),
  classNames: classNamesField,
  featureNames: nullable(array(string({ maxLength: 1000 }), { max: 2 ** 24 })),
  imageShape: nullable(array(integer(1, 4096), { length: 2 })),
  standardizer: nullable(
    object({
      mean: array(number(), { max: 2 ** 24 }),
      std: array(number({ min: 0, minExclusive: true }), { max: 2 ** 24 }),
    }),
  ),
});

/** xoshiro128** state: four 32-bit words, not all zero (that state only ever yields zeros). */
const generatorState = refine(object({ s: array(uint32, { length: 4 }) }), (g) =>
  g.s.some((w) => w !== 0) ? null : 'four 32-bit words, not all zero',
);

const seconds = number({ min: 0 });

const progressSchema = object({
  epoch: integer(0, MAX_EPOCHS),
  step: integer(0, MAX_COUNT),
  batchInEpoch: integer(0, MAX_COUNT),
  lossSum: numberOrNaN(number({ min: 0 })),
  correct: integer(0, MAX_COUNT),
  seen: integer(0, MAX_COUNT),
  epochSeconds: seconds,
  trainSeconds: seconds,
  loaderState: generatorState,
  augmentState: generatorState,
});

const fraction = number({ min: 0, max: 1 });
const historySchema = array(
  object({
    epoch: integer(1, MAX_EPOCHS),
    // A diverged run's NaN loss is written by JSON as null.
    trainLoss: numberOrNaN(number({ min: 0 })),
    trainAccuracy: fraction,
    testLoss: numberOrNaN(number({ min: 0 })),
    testAccuracy: fraction,
    lr: number({ min: 0 }),
    seconds,
    samplesPerSecond: numberOrNaN(number({ min: 0 })),
  }),
  { max: MAX_EPOCHS },
);

/** A buffer stored in the tensor body: its name there and its shape. */
const tensorRef = object({
  tensor: string({ maxLength: 200 }),
  shape: array(integer(0, MAX_COUNT), { max: 8 }),
});

/** A per-parameter state value: a step count or a stored buffer. */
const stateValue: Check<number | { tensor: string; shape: number[] }> = (value, field) =>
  typeof value === 'number' ? integer(0, MAX_COUNT)(value, field) : tensorRef(value, field);

const optimizerSchema = object({
  format: literal('backprop.optimizer/1'),
  optimizer: oneOf(Object.values(OPTIMIZER_CLASSES)),
  // Options differ per optimizer: checked by `groupSchema` once the optimizer is known.
  paramGroups: array((v: unknown) => v, { length: 1 }),
  state: record(
    /^(0|[1-9]\d{0,8})$/,
    'parameter indices',
    record(/^[a-zA-Z]{1,40}$/, 'buffer names', stateValue),
  ),
});

const schedulerSchema = nullable(
  object({
    format: literal('backprop.scheduler/1'),
    scheduler: oneOf(Object.values(SCHEDULER_CLASSES)),
    lastEpoch: integer(0, MAX_COUNT),
    baseLrs: array(number({ min: 0, minExclusive: true }), { length: 1 }),
    lastLr: array(number({ min: 0 }), { length: 1 }),
  }),
);

const metaSchema = object({
  savedAt: string({
    pattern: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/,
    what: 'an ISO 8601 UTC time such as 2025-01-01T12:00:00.000Z',
  }),
  config: configSchema,
  model: modelSchema,
  input: inputSchema,
  progress: progressSchema,
  history: historySchema,
  optimizer: optimizerSchema,
  scheduler: schedulerSchema,
  rng: object({ global: generatorState }),
});

/** The options of each optimizer's parameter group, with their ranges. */
function groupSchema(optimizer: OptimizerName, scheduled: boolean): Check<Record<string, unknown>> {
  const rate = number({ min: 0 });
  const common = {
    lr: rate,
    weightDecay: number({ min: 0 }),
    maximize: boolean,
    params: array(integer(0, MAX_COUNT), { max: MAX_LAYERS * 3 }),
    // Schedules record the base rate in the group; a constant rate has none.
    ...(scheduled ? { initialLr: number({ min: 0, minExclusive: true }) } : {}),
  };
  const below1 = number({ min: 0, max: 0.999999 });
  const eps = number({ min: 0, minExclusive: true, max: 1 });
  switch (optimizer) {
    case 'sgd':
      return object({
        ...common,
        momentum: below1,
        dampening: number({ min: 0, max: 1 }),
        nesterov: boolean,
      });
    case 'adam':
    case 'adamw':
      return object({ ...common, betas: array(below1, { length: 2 }), eps, amsgrad: boolean });
    case 'rmsprop':
      return object({
        ...common,
        alpha: number({ min: 0, max: 1 }),
        eps,
        momentum: below1,
        centered: boolean,
      });
    case 'adagrad':
      return object({
        ...common,
        lrDecay: number({ min: 0 }),
        initialAccumulatorValue: number({ min: 0 }),
        eps,
      });
  }
}

/** The state buffers each optimizer keeps per parameter, given its group's options. */
function buffersOf(
  optimizer: OptimizerName,
  group: Record<string, unknown>,
): { required: string[]; allowed: string[] } {
  switch (optimizer) {
    case 'sgd':
      return { required: group.momentum !== 0 ? ['momentumBuffer'] : [], allowed: ['momentumBuffer'] };
    case 'adam':
    case 'adamw':
      return {
        required: ['step', 'expAvg', 'expAvgSq', ...(group.amsgrad === true ? ['maxExpAvgSq'] : [])],
        allowed: ['step', 'expAvg', 'expAvgSq', 'maxExpAvgSq'],
      };
    case 'rmsprop':
      return {
        required: [
          'step',
          'squareAvg',
          ...(group.momentum !== 0 ? ['momentumBuffer'] : []),
          ...(group.centered === true ? ['gradAvg'] : []),
        ],
        allowed: ['step', 'squareAvg', 'momentumBuffer', 'gradAvg'],
      };
    case 'adagrad':
      return { required: ['step', 'sum'], allowed: ['step', 'sum'] };
  }
}

const sameList = (a: readonly unknown[], b: readonly unknown[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);
const formatShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/**
 * Checks `raw` (the parsed `checkpoint` JSON) against the schema and against `tensors` (the
 * file's layout, already validated by the safetensors reader); returns the metadata, typed.
 * Throws a `CheckpointError` with a one-line message for the first violation.
 */
export function checkMetadata(raw: unknown, tensors: ReadonlyMap<string, TensorEntry>): CheckpointMeta {
  const meta = metaSchema(raw, 'checkpoint');
  checkModelAndInput(meta);
  checkProgress(meta);
  const parameters = parameterShapes(meta.model);
  checkWeights(parameters, tensors);
  checkScheduler(meta);
  const referenced = checkOptimizer(meta, parameters, tensors);
  const known = new Set([...parameters.map((p) => `model.${p.name}`), ...referenced]);
  const extra = [...tensors.keys()].filter((k) => !known.has(k));
  if (extra.length > 0)
    throw tensorProblem(
      `tensors ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', ...' : ''} belong neither to the model nor to the optimizer`,
    );
  return meta as unknown as CheckpointMeta;
}

/** The metadata as the schema returns it. */
type Meta = ReturnType<typeof metaSchema>;

/** The model, the configuration and the input description, which say the same things twice, agree. */
function checkModelAndInput({ config, model, input }: Meta): void {
  if (model.architecture !== config.architecture)
    fail(
      'checkpoint.model.architecture',
      model.architecture,
      `config.architecture ${show(config.architecture)}`,
    );
  if (
    model.architecture === 'lenet' &&
    (model.imageShape === null || !sameList(model.imageShape, input.imageShape ?? []))
  )
    fail(
      'checkpoint.model.imageShape',
      model.imageShape,
      `the input's image shape ${show(input.imageShape)}`,
    );
  if (model.architecture === 'mlp' && model.imageShape !== null)
    fail('checkpoint.model.imageShape', model.imageShape, 'null for an MLP');
  if (!sameList(model.hidden, config.hidden))
    fail('checkpoint.model.hidden', model.hidden, `the same widths as config.hidden ${show(config.hidden)}`);
  if (model.activation !== config.activation)
    fail('checkpoint.model.activation', model.activation, `config.activation ${show(config.activation)}`);
  if (model.loss !== config.loss)
    fail('checkpoint.model.loss', model.loss, `config.loss ${show(config.loss)}`);
  if (input.numFeatures !== model.inputSize)
    fail('checkpoint.input.numFeatures', input.numFeatures, `model.inputSize ${model.inputSize}`);
  if (input.classNames.length !== model.outputSize)
    fail(
      'checkpoint.input.classNames',
      input.classNames,
      `${model.outputSize} class names (model.outputSize)`,
    );
  if (input.featureNames !== null && input.featureNames.length !== input.numFeatures)
    fail(
      'checkpoint.input.featureNames',
      input.featureNames,
      `${input.numFeatures} names (input.numFeatures)`,
    );
  if (input.imageShape !== null && input.imageShape[0] * input.imageShape[1] !== input.numFeatures)
    fail('checkpoint.input.imageShape', input.imageShape, `a height × width of ${input.numFeatures} pixels`);
  if ((config.dataset === 'mnist') !== (input.imageShape !== null))
    fail(
      'checkpoint.input.imageShape',
      input.imageShape,
      config.dataset === 'mnist' ? '[28, 28] for mnist' : `null (${config.dataset} inputs are not images)`,
    );
  if (input.standardizer !== null) {
    for (const key of ['mean', 'std'] as const) {
      if (input.standardizer[key].length !== input.numFeatures)
        fail(`checkpoint.input.standardizer.${key}`, input.standardizer[key], `${input.numFeatures} values`);
    }
  }
  // Tabular data (iris, CSV) is standardized with the training part's statistics; the rest is not.
  const tabular = config.dataset === 'iris' || config.dataset.startsWith('csv:');
  if (tabular !== (input.standardizer !== null))
    fail(
      'checkpoint.input.standardizer',
      input.standardizer,
      tabular
        ? `the mean and std of ${config.dataset}'s features`
        : `null (${config.dataset} is not standardized)`,
    );
  const builtIn = BUILT_IN_SHAPES[config.dataset as keyof typeof BUILT_IN_SHAPES];
  if (builtIn !== undefined && (builtIn.features !== model.inputSize || builtIn.classes !== model.outputSize))
    fail(
      'checkpoint.model',
      model,
      `${builtIn.features} inputs and ${builtIn.classes} outputs, as ${config.dataset} has`,
    );
}

/** Progress and history count the same epochs. */
function checkProgress({ config, progress, history }: Meta): void {
  if (progress.epoch > config.epochs)
    fail('checkpoint.progress.epoch', progress.epoch, `at most config.epochs ${config.epochs}`);
  if (history.length !== progress.epoch)
    fail('checkpoint.history', history, `${progress.epoch} entries, one per finished epoch (progress.epoch)`);
  history.forEach((h, i) => {
    if (h.epoch !== i + 1) fail(`checkpoint.history[${i}].epoch`, h.epoch, `${i + 1}`);
  });
  if (progress.correct > progress.seen)
    fail('checkpoint.progress.correct', progress.correct, `at most progress.seen ${progress.seen}`);
  if (progress.batchInEpoch === 0 && progress.seen !== 0)
    fail('checkpoint.progress.seen', progress.seen, '0 at the start of an epoch (progress.batchInEpoch 0)');
}

/** Every weight the model needs is stored, of its shape and a float dtype: the shapes bound what building costs. */
function checkWeights(
  parameters: readonly { name: string; shape: number[] }[],
  tensors: ReadonlyMap<string, TensorEntry>,
): void {
  for (const p of parameters) {
    const key = `model.${p.name}`;
    const entry = tensors.get(key);
    if (entry === undefined) throw tensorProblem(`tensor '${key}' is missing`);
    if (!sameList(entry.shape, p.shape))
      throw tensorProblem(
        `tensor '${key}' has shape ${formatShape(entry.shape)} but the model needs ${formatShape(p.shape)}`,
      );
    if (!FLOAT_DTYPES.includes(entry.dtype))
      throw tensorProblem(
        `tensor '${key}' is ${entry.dtype}: expected a float dtype (${FLOAT_DTYPES.join(', ')})`,
      );
  }
}

/** The scheduler's state is the configured schedule's, at the run's step. */
function checkScheduler({ config, progress, scheduler }: Meta): void {
  if (config.schedule === 'constant') {
    if (scheduler !== null) fail('checkpoint.scheduler', scheduler, 'null for config.schedule "constant"');
  } else {
    const expected = SCHEDULER_CLASSES[config.schedule];
    if (scheduler === null || scheduler.scheduler !== expected)
      fail(
        'checkpoint.scheduler',
        scheduler,
        `the state of a ${expected} (config.schedule "${config.schedule}")`,
      );
    if (scheduler.lastEpoch !== progress.step)
      fail('checkpoint.scheduler.lastEpoch', scheduler.lastEpoch, `progress.step ${progress.step}`);
  }
}

/** A problem with the stored tensors themselves, worded as the safetensors reader words them. */
function tensorProblem(message: string): CheckpointError {
  return new CheckpointError(message);
}

/**
 * Checks the optimizer's state against the configuration, the model's parameters and the stored
 * buffers; returns the names of the tensors it refers to.
 */
function checkOptimizer(
  meta: Meta,
  parameters: readonly { name: string; shape: number[] }[],
  tensors: ReadonlyMap<string, TensorEntry>,
): Set<string> {
  const { config, optimizer, progress } = meta;
  const expectedClass = OPTIMIZER_CLASSES[config.optimizer];
  if (optimizer.optimizer !== expectedClass)
    fail(
      'checkpoint.optimizer.optimizer',
      optimizer.optimizer,
      `"${expectedClass}" (config.optimizer "${config.optimizer}")`,
    );
  const scheduled = config.schedule !== 'constant';
  const group = groupSchema(config.optimizer, scheduled)(
    optimizer.paramGroups[0],
    'checkpoint.optimizer.paramGroups[0]',
  );
  const field = 'checkpoint.optimizer.paramGroups[0]';
  if (
    !sameList(
      group.params as number[],
      parameters.map((_, i) => i),
    )
  )
    fail(
      `${field}.params`,
      group.params,
      `the indices 0..${parameters.length - 1} of the model's parameters`,
    );
  if (group.weightDecay !== config.weightDecay)
    fail(`${field}.weightDecay`, group.weightDecay, `config.weightDecay ${config.weightDecay}`);
  if ('momentum' in group && group.momentum !== config.momentum)
    fail(`${field}.momentum`, group.momentum, `config.momentum ${config.momentum}`);
  if (scheduled ? group.initialLr !== config.lr : group.lr !== config.lr)
    fail(
      `${field}.${scheduled ? 'initialLr' : 'lr'}`,
      scheduled ? group.initialLr : group.lr,
      `config.lr ${config.lr}`,
    );
  optimizer.paramGroups[0] = group;

  const { required, allowed } = buffersOf(config.optimizer, group);
  const referenced = new Set<string>();
  const indices = Object.keys(optimizer.state);
  if (progress.step > 0 && required.length > 0 && indices.length !== parameters.length)
    fail(
      'checkpoint.optimizer.state',
      optimizer.state,
      `state for all ${parameters.length} parameters after ${progress.step} steps`,
    );
  if (progress.step === 0 && indices.length > 0)
    fail('checkpoint.optimizer.state', optimizer.state, 'no state before the first step (progress.step 0)');
  for (const index of indices) {
    const p = parameters[Number(index)];
    const at = `checkpoint.optimizer.state.${index}`;
    if (p === undefined)
      fail(at, optimizer.state[index], `state only for parameters 0..${parameters.length - 1}`);
    const entry = optimizer.state[index];
    for (const name of required) {
      if (!(name in entry)) fail(`${at}.${name}`, undefined, `the ${name} that ${expectedClass} keeps`);
    }
    for (const [name, value] of Object.entries(entry)) {
      if (!allowed.includes(name))
        fail(`${at}.${name}`, value, `one of ${allowed.join(', ')} (${expectedClass}'s buffers)`);
      if (name === 'step') {
        if (value !== progress.step) fail(`${at}.step`, value, `progress.step ${progress.step}`);
        continue;
      }
      if (typeof value === 'number') fail(`${at}.${name}`, value, 'a stored tensor {tensor, shape}');
      const key = `optimizer.${index}.${name}`;
      if (value.tensor !== key) fail(`${at}.${name}.tensor`, value.tensor, show(key));
      if (!sameList(value.shape, p.shape))
        fail(
          `${at}.${name}.shape`,
          value.shape,
          `${formatShape(p.shape)}, the shape of parameter ${index} (model.${p.name})`,
        );
      const stored = tensors.get(key);
      if (stored === undefined) throw tensorProblem(`optimizer tensor '${key}' is missing`);
      if (!sameList(stored.shape, p.shape))
        throw tensorProblem(
          `optimizer tensor '${key}' has shape ${formatShape(stored.shape)} but its parameter has ${formatShape(p.shape)}`,
        );
      if (!FLOAT_DTYPES.includes(stored.dtype))
        throw tensorProblem(`optimizer tensor '${key}' is ${stored.dtype}: expected a float dtype`);
      referenced.add(key);
    }
  }
  return referenced;
}
