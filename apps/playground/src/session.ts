import {
  argmax,
  type Backend,
  cast,
  fromArray,
  Generator,
  manualSeed,
  noGrad,
  setBackend,
  softmax,
  stack,
  type Tensor,
  tidy,
} from '@backprop/core';
import type { ClassificationData } from '@backprop/data';
import { Linear, type Sequential } from '@backprop/nn';
import type { LRScheduler, Optimizer } from '@backprop/optim';
import { loadSafetensors, saveSafetensors } from '@backprop/train';
import { readsSynchronously, startBackend } from './backends.js';
import type { BackendChoice, PlaygroundConfig } from './config.js';
import type { PlaygroundData } from './data.js';
import { type Graph, walkGraph } from './graph.js';
import { buildModel, buildOptimizer, buildScheduler, lossOf } from './model.js';

/** One evaluation of the model on both parts of the data. */
export interface Evaluation {
  readonly step: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
  /** Predicted class of every test sample (for the confusion matrix and the misclassified digits). */
  readonly testPredicted: Int32Array;
}

/** A data split uploaded to the backend. */
interface Uploaded {
  readonly x: Tensor;
  readonly y: Tensor;
}

function upload(data: ClassificationData): Uploaded {
  return {
    x: fromArray(data.x, [data.numSamples, data.numFeatures], { dtype: 'float32' }),
    y: fromArray(data.y, [data.numSamples], { dtype: 'int32' }),
  };
}

/**
 * A model training on a data set: the optimizer, the schedule, the minibatch order and the step
 * count. Steps run synchronously and read nothing back; everything the page shows is read with
 * `await t.data()`, so the same code runs on WebGPU, whose reads are asynchronous only.
 */
export class Session {
  model: Sequential;
  optimizer: Optimizer;
  scheduler: LRScheduler | null;
  /** Optimizer steps taken. */
  step = 0;
  private train: Uploaded;
  private test: Uploaded;
  private readonly order: Int32Array;
  private cursor: number;
  private readonly batches: Generator;

  private constructor(
    readonly config: PlaygroundConfig,
    readonly data: PlaygroundData,
  ) {
    manualSeed(config.seed);
    this.model = buildModel(config, data.train.numFeatures, data.train.numClasses);
    this.optimizer = buildOptimizer(config, this.model.parameters());
    this.scheduler = buildScheduler(config, this.optimizer);
    this.train = upload(data.train);
    this.test = upload(data.test);
    this.batches = new Generator(config.seed + 1);
    this.order = Int32Array.from({ length: data.train.numSamples }, (_, i) => i);
    this.cursor = this.order.length;
  }

  /** A fresh model for `config` on `data`, on the configuration's backend. */
  static async create(config: PlaygroundConfig, data: PlaygroundData): Promise<Session> {
    await startBackend(config.backend);
    await setBackend(config.backend);
    return new Session(config, data);
  }

  /** The backend the model's weights live on. */
  get backend(): Backend {
    return this.model.parameters()[0].backend;
  }

  /** The linear layers, input to output (the ones whose gradient norms the page charts). */
  get linears(): Linear[] {
    return [...this.model].filter((m): m is Linear => m instanceof Linear);
  }

  /** The next minibatch, drawn without replacement from a reshuffled order each epoch. */
  private nextBatch(): Uploaded {
    const { train } = this.data;
    const size = Math.min(this.config.batchSize, train.numSamples);
    const x = new Float32Array(size * train.numFeatures);
    const y = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      if (this.cursor >= this.order.length) {
        for (let j = this.order.length - 1; j > 0; j--) {
          const k = this.batches.integer(0, j + 1);
          [this.order[j], this.order[k]] = [this.order[k], this.order[j]];
        }
        this.cursor = 0;
      }
      const s = this.order[this.cursor++];
      x.set(train.x.subarray(s * train.numFeatures, (s + 1) * train.numFeatures), i * train.numFeatures);
      y[i] = train.y[s];
    }
    return {
      x: fromArray(x, [size, train.numFeatures], { dtype: 'float32' }),
      y: fromArray(y, [size], { dtype: 'int32' }),
    };
  }

  /**
   * Runs `count` optimizer steps and returns their losses as one tensor (the caller reads it when
   * it likes and disposes it). The parameters keep their gradients of the last step.
   */
  run(count: number): Tensor {
    const losses: Tensor[] = [];
    for (let i = 0; i < count; i++) {
      const batch = this.nextBatch();
      this.optimizer.zeroGrad();
      const loss = tidy(() => {
        const l = lossOf(this.config, this.model.call(batch.x), batch.y);
        l.backward();
        return l;
      });
      this.optimizer.step();
      this.scheduler?.step();
      batch.x.dispose();
      batch.y.dispose();
      losses.push(loss);
      this.step++;
    }
    const all = stack(losses);
    for (const l of losses) l.dispose();
    return all;
  }

  /** Losses and accuracies on the training and test parts, with the test predictions. */
  async evaluate(): Promise<Evaluation> {
    const step = this.step;
    const [summary, predicted] = noGrad(() =>
      tidy(() => {
        const rows: Tensor[] = [];
        let testPredicted: Tensor | null = null;
        for (const part of [this.train, this.test]) {
          const logits = this.model.call(part.x);
          const classes = argmax(logits, 1);
          rows.push(lossOf(this.config, logits, part.y), cast(classes.eq(part.y), 'float32').mean());
          testPredicted = classes;
        }
        return [stack(rows), testPredicted as unknown as Tensor] as const;
      }),
    );
    const [values, testPredicted] = await Promise.all([summary.data(), predicted.data()]);
    summary.dispose();
    predicted.dispose();
    return {
      step,
      trainLoss: values[0],
      trainAccuracy: values[1],
      testLoss: values[2],
      testAccuracy: values[3],
      testPredicted: Int32Array.from(testPredicted),
    };
  }

  /** The L2 norm of each linear layer's weight gradient (from the last step), input to output. */
  async gradientNorms(): Promise<number[]> {
    const weights = this.linears.map((l) => l.weight);
    if (weights.some((w) => !w.grad)) return [];
    const norms = tidy(() => stack(weights.map((w) => (w.grad as Tensor).square().sum().sqrt())));
    const values = await norms.data();
    norms.dispose();
    return Array.from(values);
  }

  /**
   * The model on a grid of 2-D points (row-major, `points` is `[n, 2]`): each point's class
   * probabilities, and every hidden activation layer's outputs `[n, width]`.
   */
  async probe(points: Float32Array): Promise<{ probabilities: Float32Array; hidden: Float32Array[] }> {
    const n = points.length / 2;
    const outputs = noGrad(() =>
      tidy(() => {
        let h = fromArray(points, [n, 2], { dtype: 'float32' });
        const hidden: Tensor[] = [];
        const layers = [...this.model];
        layers.forEach((layer, i) => {
          h = layer.call(h) as Tensor;
          // An activation right after a linear layer (and not the output) is a hidden layer's output.
          if (!(layer instanceof Linear) && i + 1 < layers.length) hidden.push(h);
        });
        return [softmax(h, -1), ...hidden];
      }),
    );
    const values = await Promise.all(outputs.map((t) => t.data() as Promise<Float32Array>));
    for (const t of outputs) t.dispose();
    return { probabilities: values[0], hidden: values.slice(1) };
  }

  /**
   * The autograd graph of one training step's loss, on the first batch-sized slice of the
   * training data (a batch's shapes, so GPU backends reuse the training step's compiled kernels).
   */
  autogradGraph(): Graph {
    const n = Math.min(this.config.batchSize, this.data.train.numSamples);
    const names = new Map<Tensor, string>(this.model.namedParameters().map(([k, p]) => [p, k]));
    return tidy(() => {
      const x = this.train.x.slice([[0, n]]);
      const y = this.train.y.slice([[0, n]]);
      return walkGraph(lossOf(this.config, this.model.call(x), y), names);
    });
  }

  /** The weights as a safetensors file, with the configuration's query string and the step as metadata. */
  saveWeights(query: string): Promise<Uint8Array> {
    return saveSafetensors(this.model.stateDict(), { metadata: { config: query, step: String(this.step) } });
  }

  /**
   * Loads weights saved by {@link Session.saveWeights} (or any safetensors file with the same names
   * and shapes) into the model; a mismatch throws the model's own error, naming the keys.
   */
  loadWeights(bytes: Uint8Array): void {
    const { tensors } = loadSafetensors(bytes, { device: this.backend.name });
    try {
      this.model.loadStateDict(tensors);
    } finally {
      for (const t of Object.values(tensors)) t.dispose();
    }
  }

  /** A fingerprint of the weights (sum of |w| over all parameters), to check a move kept them. */
  async weightChecksum(): Promise<number> {
    const total = tidy(() => stack(this.model.parameters().map((p) => p.abs().sum())).sum());
    const v = (await total.data())[0];
    total.dispose();
    return v;
  }

  /**
   * Moves training to another backend mid-run, keeping the weights and the optimizer's state.
   * From a backend that reads synchronously, `model.to(target)` moves the parameters in place;
   * WebGPU reads asynchronously only, so from there the weights are read back and loaded into the
   * same architecture built on the target.
   */
  async moveTo(target: BackendChoice): Promise<void> {
    if (target === this.backend.name) return;
    await startBackend(target);
    const optimizerState = await this.optimizer.stateDictAsync({ typedArrays: true });
    if (readsSynchronously(this.backend)) {
      this.model.to(target);
      await setBackend(target);
      // The optimizer's buffers are re-created on each parameter's (new) backend.
      this.optimizer.loadStateDict(optimizerState);
    } else {
      const weights = await Promise.all(
        Object.entries(this.model.stateDict()).map(async ([key, t]) => [key, t, await t.data()] as const),
      );
      await setBackend(target);
      const old = this.model;
      manualSeed(this.config.seed);
      this.model = buildModel(this.config, this.data.train.numFeatures, this.data.train.numClasses);
      const uploaded = weights.map(
        ([key, t, v]) => [key, fromArray(v, t.shape, { dtype: t.dtype })] as const,
      );
      this.model.loadStateDict(Object.fromEntries(uploaded));
      for (const [, t] of uploaded) t.dispose();
      old.dispose();
      this.optimizer = buildOptimizer(this.config, this.model.parameters());
      // The state first: a schedule resumed mid-run needs the groups' initial learning rates.
      this.optimizer.loadStateDict(optimizerState);
      this.scheduler = buildScheduler(this.config, this.optimizer, this.step - 1);
    }
    for (const part of [this.train, this.test]) {
      part.x.dispose();
      part.y.dispose();
    }
    this.train = upload(this.data.train);
    this.test = upload(this.data.test);
  }

  /** Frees the model, the optimizer's buffers and the uploaded data. */
  dispose(): void {
    this.model.dispose();
    this.optimizer.zeroGrad();
    for (const part of [this.train, this.test]) {
      part.x.dispose();
      part.y.dispose();
    }
  }
}
