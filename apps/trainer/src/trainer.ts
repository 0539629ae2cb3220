import {
  dispose,
  fromArray,
  Generator,
  type GeneratorState,
  manualSeed,
  noGrad,
  type Tensor,
  tidy,
} from '@backprop/core';
import { type ClassificationData, confusionMatrix, DataLoader } from '@backprop/data';
import type { Sequential } from '@backprop/nn';
import {
  Adagrad,
  Adam,
  AdamW,
  CosineAnnealingLR,
  ExponentialLR,
  type LRScheduler,
  MultiStepLR,
  type Optimizer,
  RMSprop,
  SGD,
} from '@backprop/optim';
import {
  accuracyMetric,
  type Callback,
  type EpochLogs,
  type FitState,
  fit,
  ProgressCallback,
  type ProgressStream,
  SaveState,
} from '@backprop/train';
import { batchTimer } from './batch-timer.js';
import type { TrainConfig } from './config.js';
import type { LoadedData } from './datasets.js';
import { buildModel, lossOf, type ModelConfig, probabilitiesOf } from './model.js';

/** One row of the per-epoch table and of `metrics.jsonl`. */
export interface EpochMetrics {
  readonly epoch: number;
  /** Running means over the epoch's batches (on augmented samples when augmenting). */
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
  /** The learning rate at the end of the epoch. */
  readonly lr: number;
  readonly seconds: number;
  readonly samplesPerSecond: number;
}

/**
 * Where a run stands, saved in checkpoints: `fit`'s resumable state (the generator states make
 * resuming exact: the loader's is the one at the start of the current epoch, so `fit` draws its
 * shuffled order again and skips the finished batches; the augmentation generator's is the
 * current one) and the trainer's timings.
 */
export interface TrainProgress {
  /** Finished epochs. */
  epoch: number;
  /** Optimizer steps taken in all. */
  step: number;
  /** Finished batches of the current epoch. */
  batchInEpoch: number;
  /** Sums over the current epoch's finished batches, so an interrupted epoch reports in full. */
  lossSum: number;
  correct: number;
  seen: number;
  epochSeconds: number;
  /** Seconds spent training (all sessions), without evaluation and saving. */
  trainSeconds: number;
  loaderState: GeneratorState;
  augmentState: GeneratorState;
}

/** A model's results on a data set. */
export interface EvalResult {
  readonly loss: number;
  readonly accuracy: number;
  readonly predicted: Int32Array;
  /** Row-major `[N, numClasses]` class probabilities. */
  readonly probabilities: Float32Array;
  readonly confusion: number[][];
}

/** Everything a resumed run needs (read from a checkpoint). */
export interface ResumeState {
  readonly progress: TrainProgress;
  readonly history: readonly EpochMetrics[];
  /** The scheduler's step count when it was saved. */
  readonly schedulerSteps: number;
  /** What `fit` restores: weights, optimizer, generators, the current epoch's batches and sums. */
  readonly fit: FitState;
}

/**
 * A seed for one independent stream of the run (stream 1 shuffles, stream 2 augments) mixed
 * from the run's seed, so changing how one stream draws never shifts another.
 */
export function deriveSeed(seed: number, stream: number): number {
  let z = (seed + Math.imul(stream, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** The optimizer the configuration names, over `params`. */
export function createOptimizer(
  config: Pick<TrainConfig, 'optimizer' | 'lr' | 'momentum' | 'weightDecay'>,
  params: Tensor[],
): Optimizer {
  const { lr, momentum, weightDecay } = config;
  switch (config.optimizer) {
    case 'sgd':
      return new SGD(params, { lr, momentum, weightDecay });
    case 'adam':
      return new Adam(params, { lr, weightDecay });
    case 'adamw':
      return new AdamW(params, { lr, weightDecay });
    case 'rmsprop':
      return new RMSprop(params, { lr, momentum, weightDecay });
    case 'adagrad':
      return new Adagrad(params, { lr, weightDecay });
  }
}

/**
 * The schedule over `totalSteps` batches, stepped after every batch; `lastStep` (the scheduler's
 * saved step count − 1) rebuilds it mid-run from its closed form, also when a resumed run changes
 * the number of epochs and with it the horizon.
 */
export function createScheduler(
  config: Pick<TrainConfig, 'schedule'>,
  optimizer: Optimizer,
  totalSteps: number,
  lastStep = -1,
): LRScheduler | null {
  switch (config.schedule) {
    case 'constant':
      return null;
    case 'cosine':
      return new CosineAnnealingLR(optimizer, { tMax: totalSteps, lastEpoch: lastStep });
    case 'step':
      // The classic recipe: divide by 10 at half and at three quarters of the run.
      return new MultiStepLR(optimizer, {
        milestones: [Math.round(totalSteps / 2), Math.round((totalSteps * 3) / 4)],
        lastEpoch: lastStep,
      });
    case 'exponential':
      // Decays by 100× over the run, whatever its length.
      return new ExponentialLR(optimizer, { gamma: 0.01 ** (1 / totalSteps), lastEpoch: lastStep });
  }
}

/** The model's architecture for a configuration and data set. */
export function modelConfigFor(config: TrainConfig, data: LoadedData): ModelConfig {
  return {
    architecture: config.architecture,
    imageShape: config.architecture === 'lenet' ? imageShapeOf(data) : null,
    inputSize: data.input.numFeatures,
    hidden: config.hidden,
    outputSize: data.input.classNames.length,
    activation: config.activation,
    loss: config.loss,
  };
}

function imageShapeOf(data: LoadedData): [number, number] {
  const shape = data.input.imageShape;
  if (shape === null) throw new Error(`${data.name} has no image shape for LeNet`);
  return [shape[0], shape[1]];
}

/**
 * Evaluates `model` on `data` in batches without recording gradients: mean loss, accuracy,
 * predicted classes, probabilities and the confusion matrix.
 */
export async function evaluate(
  model: Sequential,
  modelConfig: Pick<ModelConfig, 'outputSize' | 'loss'>,
  data: ClassificationData,
  batchSize = 500,
): Promise<EvalResult> {
  const n = data.numSamples;
  const d = data.numFeatures;
  const k = modelConfig.outputSize;
  const probabilities = new Float32Array(n * k);
  let lossSum = 0;
  model.eval();
  for (let start = 0; start < n; start += batchSize) {
    const m = Math.min(batchSize, n - start);
    const [p, l] = noGrad(() =>
      tidy(() => {
        const x = fromArray(data.x.subarray(start * d, (start + m) * d), [m, d]);
        const y = fromArray(data.y.subarray(start, start + m), [m], { dtype: 'int32' });
        const logits = model.call(x);
        return [probabilitiesOf(modelConfig.loss, logits), lossOf(modelConfig.loss, logits, y)];
      }),
    );
    probabilities.set(await p.data(), start * k);
    lossSum += (await l.data())[0] * m;
    dispose(p, l);
  }
  model.train();
  const predicted = new Int32Array(n);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (probabilities[i * k + j] > probabilities[i * k + best]) best = j;
    predicted[i] = best;
    if (best === data.y[i]) hits++;
  }
  return {
    loss: n > 0 ? lossSum / n : Number.NaN,
    accuracy: n > 0 ? hits / n : Number.NaN,
    predicted,
    probabilities,
    confusion: confusionMatrix(predicted, data.y, k),
  };
}

/** How `train` reports, saves and stops early. */
export interface TrainHooks {
  /** Where the live progress goes (none when absent). */
  readonly progress?: ProgressStream;
  /** Aborting ends the run after the current batch (Ctrl-C), leaving it resumable. */
  readonly signal: AbortSignal;
  /**
   * Saves the checkpoint of `state`, after every epoch and when the run stops early;
   * `run.progress` and `run.history` already describe it.
   */
  readonly save: (state: FitState) => Promise<void>;
  /** Called after each epoch's evaluation and save, e.g. to print a table row. */
  readonly afterEpoch: (metrics: EpochMetrics) => Promise<void> | void;
}

/** A training batch as the loader collates it. */
interface Batch {
  readonly x: Tensor;
  readonly y: Tensor;
}

/** A history row as `fit` keeps it, for a resumed run's `FitState`. */
export function fitLogsOf(m: EpochMetrics): EpochLogs {
  return { epoch: m.epoch, loss: m.trainLoss, accuracy: m.trainAccuracy, lr: m.lr };
}

/**
 * A training run over `fit` from @backprop/train: model, optimizer, schedule, the loader's
 * shuffling and the augmentation's randomness, and the progress and history that checkpoints
 * save. A run restored from a checkpoint continues bit for bit as the uninterrupted run would
 * have (on the same backend), also from the middle of an epoch.
 */
export class TrainingRun {
  readonly model: Sequential;
  readonly optimizer: Optimizer;
  readonly scheduler: LRScheduler | null;
  readonly modelConfig: ModelConfig;
  readonly history: EpochMetrics[];
  /** Where the run stands as of its last checkpoint (or its start). */
  readonly progress: TrainProgress;
  private readonly loader: DataLoader<number, Batch>;
  private readonly augment: Generator;
  private readonly resume: FitState | undefined;

  /** Starts a run (`resume` absent) or restores one from a checkpoint's state. */
  constructor(
    readonly config: TrainConfig,
    readonly data: LoadedData,
    resume?: ResumeState,
  ) {
    this.modelConfig = modelConfigFor(config, data);
    // One seed decides the initial weights, as in the uninterrupted run; `fit` loads a resumed
    // run's weights over them.
    manualSeed(config.seed);
    this.model = buildModel(this.modelConfig);
    // The loader draws each epoch's shuffled order; `batch` builds the batches (with augmentation).
    this.loader = new DataLoader(
      { length: data.train.numSamples, get: (i: number) => i },
      {
        batchSize: config.batchSize,
        shuffle: true,
        generator: new Generator(deriveSeed(config.seed, 1)),
        collate: (indices: number[]) => this.batch(indices),
      },
    );
    this.augment = new Generator(deriveSeed(config.seed, 2));
    this.optimizer = createOptimizer(config, this.model.parameters());
    const totalSteps = config.epochs * this.loader.len();
    // A schedule rebuilt mid-run reads the base rate from the optimizer's state, so that comes first.
    if (resume !== undefined) this.optimizer.loadStateDict(resume.fit.optimizer);
    this.scheduler = createScheduler(config, this.optimizer, totalSteps, (resume?.schedulerSteps ?? 0) - 1);
    if (resume === undefined) {
      this.resume = undefined;
      this.history = [];
      this.progress = {
        epoch: 0,
        step: 0,
        batchInEpoch: 0,
        lossSum: 0,
        correct: 0,
        seen: 0,
        epochSeconds: 0,
        trainSeconds: 0,
        loaderState: this.loader.generator.getState(),
        augmentState: this.augment.getState(),
      };
      return;
    }
    // The schedule rebuilt at its step (over the horizon a new --epochs may have moved) sets the
    // rate, not the one saved in the optimizer's state, which `fit` loads again.
    const { optimizer } = resume.fit;
    this.resume = {
      ...resume.fit,
      optimizer: { ...optimizer, paramGroups: optimizer.paramGroups.map((g) => ({ ...g, lr: this.lr })) },
    };
    this.augment.setState(resume.progress.augmentState);
    this.history = [...resume.history];
    this.progress = { ...resume.progress };
  }

  /** The learning rate the next step uses. */
  get lr(): number {
    return this.optimizer.paramGroups[0].lr;
  }

  /**
   * Trains with `fit` until `config.epochs` epochs are done or `hooks.signal` aborts; returns
   * which. Evaluates on the held-out part after every epoch, then saves.
   */
  async train(hooks: TrainHooks): Promise<'finished' | 'interrupted'> {
    const { config, progress: p } = this;
    const samples = this.data.train.numSamples;
    const timer = batchTimer((seconds) => {
      p.epochSeconds += seconds;
      p.trainSeconds += seconds;
    });
    const recorder: Callback = {
      onEpochEnd: async (epoch, logs) => {
        const held = await evaluate(this.model, this.modelConfig, this.data.test);
        this.history.push({
          epoch,
          trainLoss: logs.loss,
          // fit averages the batches' accuracies; counted back in whole samples the figure is
          // exact, and the same however the epoch was split between sessions.
          trainAccuracy: Math.round(logs.accuracy * samples) / samples,
          testLoss: held.loss,
          testAccuracy: held.accuracy,
          lr: this.lr,
          seconds: p.epochSeconds,
          samplesPerSecond: samples / p.epochSeconds,
        });
        p.epochSeconds = 0;
      },
    };
    const saver = new SaveState({
      save: async (state) => {
        this.record(state);
        await hooks.save(state);
      },
    });
    const reporter: Callback = {
      onEpochEnd: () => hooks.afterEpoch(this.history[this.history.length - 1]),
    };
    const { scheduler } = this;
    const result = await fit(this.model, {
      train: this.loader,
      loss: (logits, y) => lossOf(config.loss, logits, y, config.labelSmoothing),
      optimizer: this.optimizer,
      ...(scheduler === null ? {} : { scheduler, schedulerInterval: 'batch' as const }),
      epochs: config.epochs,
      metrics: { accuracy: accuracyMetric },
      callbacks: [
        ...(hooks.progress ? [new ProgressCallback({ stream: hooks.progress, epochLines: false })] : []),
        timer,
        recorder,
        saver,
        reporter,
      ],
      signal: hooks.signal,
      resume: this.resume,
    });
    return result.stopReason !== undefined && p.epoch < config.epochs ? 'interrupted' : 'finished';
  }

  /** Takes `fit`'s state into `progress`, as the checkpoint about to be written holds it. */
  private record(state: FitState): void {
    const sums = state.epochSums;
    Object.assign(this.progress, {
      epoch: state.epoch,
      step: state.step,
      batchInEpoch: state.batchInEpoch,
      lossSum: sums.loss,
      // The sum of the batches' accuracies × sizes is the count of correct samples.
      correct: Math.round(sums.metrics.accuracy ?? 0),
      seen: sums.seen,
      loaderState: state.loaderRng,
      augmentState: this.augment.getState(),
    });
  }

  /**
   * The batch of the samples `indices`; with augmentation each image is shifted by a random
   * offset of up to `augment` pixels in each direction (zeros shifted in), which makes 8,000
   * digits behave like many more and is what lifts a 784-128-10 MLP past 96%.
   */
  private batch(indices: readonly number[]): Batch {
    const train = this.data.train;
    const d = train.numFeatures;
    const x = new Float32Array(indices.length * d);
    const y = new Int32Array(indices.length);
    const shift = this.config.augment;
    const shape = this.data.input.imageShape;
    indices.forEach((k, i) => {
      y[i] = train.y[k];
      const source = train.x.subarray(k * d, (k + 1) * d);
      if (shift === 0 || shape === null) {
        x.set(source, i * d);
        return;
      }
      const [h, w] = shape;
      const dx = this.augment.integer(-shift, shift + 1);
      const dy = this.augment.integer(-shift, shift + 1);
      for (let r = Math.max(0, dy); r < Math.min(h, h + dy); r++) {
        const from = (r - dy) * w;
        const to = i * d + r * w;
        for (let c = Math.max(0, dx); c < Math.min(w, w + dx); c++) x[to + c] = source[from + c - dx];
      }
    });
    return {
      x: fromArray(x, [indices.length, d]),
      y: fromArray(y, [indices.length], { dtype: 'int32' }),
    };
  }
}
