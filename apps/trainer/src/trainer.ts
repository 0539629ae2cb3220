import {
  dispose,
  fromArray,
  Generator,
  type GeneratorState,
  getRngState,
  manualSeed,
  noGrad,
  setRngState,
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
  type OptimizerStateDict,
  RMSprop,
  SGD,
} from '@backprop/optim';
import type { TrainConfig } from './config.js';
import type { LoadedData } from './datasets.js';
import { buildModel, lossOf, type ModelConfig, probabilitiesOf } from './model.js';
import type { Progress } from './progress.js';

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
 * Where a run stands, saved in checkpoints. The generator states make resuming exact: the
 * loader's state is the one at the start of the current epoch, so its shuffled order can be drawn
 * again and the finished batches skipped; the augmentation generator's is the current one.
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

/** Everything a resumed run needs besides the weights (read from a checkpoint). */
export interface ResumeState {
  readonly progress: TrainProgress;
  readonly history: readonly EpochMetrics[];
  readonly optimizer: OptimizerStateDict;
  /** The scheduler's step count when it was saved. */
  readonly schedulerSteps: number;
  readonly globalRng: GeneratorState;
  readonly loadWeights: (model: Sequential) => void;
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

/** Lets the event loop run (a SIGINT handler, stream writes) between synchronous batches. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
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

/** How `train` reports and when it stops early. */
export interface TrainHooks {
  readonly progress: Progress;
  /** Asked between batches; true ends the run early (Ctrl-C), leaving it resumable. */
  readonly shouldStop: () => boolean;
  /** Called after each epoch's evaluation, e.g. to save a checkpoint and print a table row. */
  readonly afterEpoch: (metrics: EpochMetrics) => Promise<void> | void;
}

/**
 * A training run: model, optimizer, schedule, the loader's shuffling and the augmentation's
 * randomness, and the progress and history that checkpoints save. A run restored from a
 * checkpoint continues bit for bit as the uninterrupted run would have (on the same backend).
 */
export class TrainingRun {
  readonly model: Sequential;
  readonly optimizer: Optimizer;
  readonly scheduler: LRScheduler | null;
  readonly modelConfig: ModelConfig;
  readonly history: EpochMetrics[];
  readonly progress: TrainProgress;
  private readonly loader: DataLoader<number>;
  private readonly augment: Generator;

  /** Starts a run (`resume` absent) or restores one from a checkpoint's state. */
  constructor(
    readonly config: TrainConfig,
    readonly data: LoadedData,
    resume?: ResumeState,
  ) {
    this.modelConfig = modelConfigFor(config, data);
    // One seed decides the initial weights, as in the uninterrupted run; loaded weights replace them.
    manualSeed(config.seed);
    this.model = buildModel(this.modelConfig);
    // The loader draws each epoch's shuffled order; `batch` builds the batches (with augmentation).
    const samples = data.train.numSamples;
    this.loader = new DataLoader(
      { length: samples, get: (i: number) => i },
      {
        batchSize: config.batchSize,
        shuffle: true,
        generator: new Generator(deriveSeed(config.seed, 1)),
      },
    );
    this.augment = new Generator(deriveSeed(config.seed, 2));
    this.optimizer = createOptimizer(config, this.model.parameters());
    const totalSteps = config.epochs * this.loader.len();
    if (resume === undefined) {
      this.scheduler = createScheduler(config, this.optimizer, totalSteps);
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
    resume.loadWeights(this.model);
    this.optimizer.loadStateDict(resume.optimizer);
    this.scheduler = createScheduler(config, this.optimizer, totalSteps, resume.schedulerSteps - 1);
    setRngState(resume.globalRng);
    this.augment.setState(resume.progress.augmentState);
    this.history = [...resume.history];
    this.progress = { ...resume.progress };
  }

  /** The learning rate the next step uses. */
  get lr(): number {
    return this.optimizer.paramGroups[0].lr;
  }

  /** The generator states a checkpoint needs, read now. */
  rngState(): { global: GeneratorState; augment: GeneratorState } {
    return { global: getRngState(), augment: this.augment.getState() };
  }

  /**
   * Trains until `config.epochs` epochs are done or `hooks.shouldStop()` says to stop; returns
   * which. Evaluates on the held-out part after every epoch.
   */
  async train(hooks: TrainHooks): Promise<'finished' | 'interrupted'> {
    const { config } = this;
    const p = this.progress;
    while (p.epoch < config.epochs) {
      this.loader.generator.setState(p.loaderState);
      const batches = this.loader.batchIndices();
      const nextLoaderState = this.loader.generator.getState();
      hooks.progress.start(p.epoch + 1, config.epochs, batches.length, p.batchInEpoch);
      const seenBefore = p.seen;
      let last = performance.now();
      for (let b = p.batchInEpoch; b < batches.length; b++) {
        if (hooks.shouldStop()) {
          p.augmentState = this.augment.getState();
          hooks.progress.end();
          return 'interrupted';
        }
        const [lossT, correctT] = this.step(batches[b]);
        const loss = (await lossT.data())[0];
        const correct = (await correctT.data())[0];
        dispose(lossT, correctT);
        p.lossSum += loss * batches[b].length;
        p.correct += correct;
        p.seen += batches[b].length;
        p.batchInEpoch = b + 1;
        p.step++;
        const now = performance.now();
        p.epochSeconds += (now - last) / 1000;
        p.trainSeconds += (now - last) / 1000;
        hooks.progress.update(b + 1, p.seen - seenBefore, p.lossSum / p.seen);
        await yieldToEventLoop();
        last = performance.now();
      }
      hooks.progress.end();
      const held = await evaluate(this.model, this.modelConfig, this.data.test);
      const metrics: EpochMetrics = {
        epoch: p.epoch + 1,
        trainLoss: p.lossSum / p.seen,
        trainAccuracy: p.correct / p.seen,
        testLoss: held.loss,
        testAccuracy: held.accuracy,
        lr: this.lr,
        seconds: p.epochSeconds,
        samplesPerSecond: p.seen / p.epochSeconds,
      };
      this.history.push(metrics);
      Object.assign(p, {
        epoch: p.epoch + 1,
        batchInEpoch: 0,
        lossSum: 0,
        correct: 0,
        seen: 0,
        epochSeconds: 0,
        loaderState: nextLoaderState,
        augmentState: this.augment.getState(),
      });
      await hooks.afterEpoch(metrics);
    }
    return 'finished';
  }

  /** One optimizer step on the samples `indices`; returns the batch's mean loss and correct count. */
  private step(indices: Int32Array): [Tensor, Tensor] {
    const { x, y } = this.batch(indices);
    const m = indices.length;
    const out = tidy((): [Tensor, Tensor] => {
      const xs = fromArray(x, [m, this.data.train.numFeatures]);
      const ys = fromArray(y, [m], { dtype: 'int32' });
      const logits = this.model.call(xs);
      const l = lossOf(this.config.loss, logits, ys);
      this.optimizer.zeroGrad();
      l.backward();
      this.optimizer.step();
      return [l.detach(), logits.argmax(-1).eq(ys).cast('float32').sum()];
    });
    this.scheduler?.step();
    return out;
  }

  /**
   * The batch's inputs and labels in host memory; with augmentation each image is shifted by a
   * random offset of up to `augment` pixels in each direction (zeros shifted in), which makes
   * 8,000 digits behave like many more and is what lifts a 784-128-10 MLP past 96%.
   */
  private batch(indices: Int32Array): { x: Float32Array; y: Int32Array } {
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
    return { x, y };
  }
}
