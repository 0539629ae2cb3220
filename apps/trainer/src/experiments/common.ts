import { fromArray, Generator, manualSeed, noGrad, type Tensor, tidy } from '@backprop/core';
import { type ClassificationData, DataLoader, loadMnist } from '@backprop/data';
import { crossEntropy } from '@backprop/losses';
import { calculateGain, init, Linear, type Sequential } from '@backprop/nn';
import type { Optimizer } from '@backprop/optim';
import { type Callback, fit as fitModel } from '@backprop/train';
import { buildModel } from '../model.js';
import type { ReportSection } from '../report/html.js';
import { deriveSeed, evaluate } from '../trainer.js';

/** What every experiment is given. */
export interface ExperimentOptions {
  readonly seed: number;
  /** Epochs per training run; each experiment has its own default. */
  readonly epochs: number | null;
  /** Called with a line of progress (to stderr); a no-op when quiet. */
  readonly log: (line: string) => void;
}

/** What an experiment hands back: a table for the terminal, sections for the report, data for `--json`. */
export interface ExperimentResult {
  readonly title: string;
  /** What was run, in a few lines (data, model, optimizer). */
  readonly setup: readonly (readonly [string, string])[];
  readonly tables: readonly ResultTable[];
  /** One or two sentences that say what the numbers show. */
  readonly finding: string;
  readonly sections: readonly ReportSection[];
  readonly data: unknown;
}

/** A titled table of results, printed in the terminal and shown in the report. */
export interface ResultTable {
  readonly title: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** An experiment of the study notes. */
export interface Experiment {
  readonly description: string;
  readonly run: (options: ExperimentOptions) => Promise<ExperimentResult>;
}

/** Per-epoch measurements of one training run. */
export interface Curve {
  /** Mean loss over the whole training set after each epoch (index 0: before training). */
  readonly trainLoss: number[];
  readonly testAccuracy: number[];
  /** The loss of every training batch, in order. */
  readonly batchLoss: number[];
  readonly batchesPerEpoch: number;
  readonly seconds: number;
}

/** A seeded MNIST subset: experiments need the real digits but not all of them. */
export function mnistSubset(
  seed: number,
  train: number,
  test: number,
): { train: ClassificationData; test: ClassificationData } {
  return loadMnist({ train, test, seed });
}

/**
 * The gain Glorot initialisation should use for an activation, so that signals keep their scale
 * through the layers (PyTorch's `calculate_gain`; ReLU's for its smooth relatives).
 */
export function activationGain(activation: string): number {
  switch (activation) {
    case 'sigmoid':
      return calculateGain('sigmoid');
    case 'tanh':
      return calculateGain('tanh');
    case 'leaky-relu':
      return calculateGain('leakyRelu', 0.01);
    case 'prelu':
      return calculateGain('leakyRelu', 0.25);
    default:
      return calculateGain('relu');
  }
}

/**
 * An MLP with the given widths and activation. Every variant draws the same uniform numbers from
 * `seed`; Glorot initialisation scales them by the activation's gain (biases zero), the textbook
 * setting in which any difference comes from the activation itself.
 */
export function seededMlp(seed: number, sizes: readonly number[], activation: string): Sequential {
  manualSeed(seed);
  const model = buildModel({
    architecture: 'mlp',
    imageShape: null,
    inputSize: sizes[0],
    hidden: sizes.slice(1, -1),
    outputSize: sizes[sizes.length - 1],
    activation,
    loss: 'cross-entropy',
  });
  manualSeed(seed);
  const gain = activationGain(activation);
  for (const layer of model.modules()) {
    if (!(layer instanceof Linear)) continue;
    init.xavierUniform(layer.weight, { gain });
    if (layer.bias) init.zeros(layer.bias);
  }
  return model;
}

/**
 * Trains `model` with cross-entropy for `epochs` epochs with `fit` from @backprop/train (shuffled
 * with a generator derived from `seed`, so every variant of an experiment sees the same batches)
 * and measures the full training loss and held-out accuracy after each. `afterEpoch` may return
 * true to stop early.
 */
export async function fit(
  model: Sequential,
  optimizer: Optimizer,
  data: { train: ClassificationData; test: ClassificationData },
  o: {
    epochs: number;
    batchSize: number;
    seed: number;
    afterEpoch?: (epoch: number, curve: Curve) => Promise<boolean> | boolean;
  },
): Promise<Curve> {
  const started = performance.now();
  const { train } = data;
  const loader = new DataLoader(
    { length: train.numSamples, get: (i: number) => i },
    {
      batchSize: o.batchSize,
      shuffle: true,
      generator: new Generator(deriveSeed(o.seed, 1)),
      collate: (indices: number[]) => gatherBatch(train, indices),
    },
  );
  const config = { outputSize: train.numClasses, loss: 'cross-entropy' } as const;
  const curve: Curve = {
    trainLoss: [],
    testAccuracy: [],
    batchLoss: [],
    batchesPerEpoch: loader.len(),
    seconds: 0,
  };
  const measure = async (): Promise<void> => {
    curve.trainLoss.push((await evaluate(model, config, train)).loss);
    curve.testAccuracy.push((await evaluate(model, config, data.test)).accuracy);
  };
  const recorder: Callback = {
    onBatchEnd: (_batch, logs) => {
      curve.batchLoss.push(logs.loss);
    },
    onEpochEnd: async (epoch, _logs, run) => {
      await measure();
      if (await o.afterEpoch?.(epoch, curve)) run.stopTraining = true;
    },
  };
  await measure();
  await fitModel(model, {
    train: loader,
    loss: crossEntropy,
    optimizer,
    epochs: o.epochs,
    callbacks: [recorder],
  });
  optimizer.zeroGrad();
  return { ...curve, seconds: (performance.now() - started) / 1000 };
}

/**
 * When training first got below `target`, in epochs with a fraction: the end of the first
 * stretch of a quarter epoch of batches whose mean loss is at most `target` (the mean smooths out
 * lucky batches). Null if it never did.
 */
export function epochsToTarget(curve: Curve, target: number): number | null {
  const window = Math.max(1, Math.round(curve.batchesPerEpoch / 4));
  let sum = 0;
  for (let i = 0; i < curve.batchLoss.length; i++) {
    sum += curve.batchLoss[i];
    if (i >= window) sum -= curve.batchLoss[i - window];
    if (i + 1 >= window && sum / window <= target) return (i + 1) / curve.batchesPerEpoch;
  }
  return null;
}

/** The samples `indices` of `data` as an input tensor and an int32 label tensor. */
export function gatherBatch(data: ClassificationData, indices: ArrayLike<number>): [Tensor, Tensor] {
  const d = data.numFeatures;
  const x = new Float32Array(indices.length * d);
  const y = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    x.set(data.x.subarray(indices[i] * d, (indices[i] + 1) * d), i * d);
    y[i] = data.y[indices[i]];
  }
  return [fromArray(x, [indices.length, d]), fromArray(y, [indices.length], { dtype: 'int32' })];
}

/**
 * The Frobenius norm of the loss gradient with respect to each Linear layer's weight, input
 * layer first, on one batch: how much signal reaches each layer in backpropagation.
 */
export async function layerGradientNorms(model: Sequential, x: Tensor, y: Tensor): Promise<number[]> {
  const layers = model.modules().filter((m): m is Linear => m instanceof Linear);
  model.zeroGrad();
  tidy(() => crossEntropy(model.call(x), y).backward());
  const squares = noGrad(() => tidy(() => layers.map((l) => (l.weight.grad as Tensor).square().sum())));
  const norms: number[] = [];
  for (const s of squares) {
    norms.push(Math.sqrt((await s.data())[0]));
    s.dispose();
  }
  model.zeroGrad();
  return norms;
}

/** A number in 3 significant digits, or scientific notation when tiny: gradient norms span decades. */
export function sig(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : v.toPrecision(3);
}
