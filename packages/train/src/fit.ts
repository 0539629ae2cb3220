import {
  ArgumentError,
  dispose,
  type GeneratorState,
  getRngState,
  setRngState,
  type Tensor,
  tidy,
} from '@backprop/core';
import type { DataLoader } from '@backprop/data';
import type { Module } from '@backprop/nn';
import type { LRScheduler, Optimizer, ReduceLROnPlateau } from '@backprop/optim';
import { defaultUnpack, type Unpack, yieldToEventLoop } from './batches.js';
import type { Callback, EpochLogs, FitContext, Logs } from './callbacks/callback.js';
import { LRSchedulerCallback, type SchedulerInterval } from './callbacks/lr-scheduler.js';
import { evaluate } from './evaluate.js';
import type { Metric } from './metrics.js';
import { readFirstValues } from './read-values.js';
import { type FitState, hostWeights, NO_SUMS, weightTensors } from './state.js';

// biome-ignore lint/suspicious/noExplicitAny: any module that maps a tensor to a tensor
type AnyModel = Module<any, Tensor>;

/** Options of {@link fit}. */
export interface FitOptions<T, B> {
  /** The training batches; shuffle with a seeded loader for a reproducible (and resumable) run. */
  readonly train: DataLoader<T, B>;
  /** Evaluated after every epoch; its results are logged as `val_loss` and `val_<metric>`. */
  readonly validation?: DataLoader<T, B>;
  /** `(output, target) => scalar` mean loss over the batch (e.g. `crossEntropy` of @backprop/losses). */
  readonly loss: (output: Tensor, target: Tensor) => Tensor;
  readonly optimizer: Optimizer;
  /** A learning-rate schedule, stepped per `schedulerInterval` (see {@link LRSchedulerCallback}). */
  readonly scheduler?: LRScheduler | ReduceLROnPlateau;
  /** Step the scheduler after every `'epoch'` (default) or every `'batch'`. */
  readonly schedulerInterval?: SchedulerInterval;
  /** Epochs to train to, counting those a resumed run has done. */
  readonly epochs: number;
  /** Metrics by log name, averaged over each epoch (e.g. `{ accuracy: accuracyMetric }`). */
  readonly metrics?: Readonly<Record<string, Metric>>;
  readonly callbacks?: readonly Callback[];
  /** Aborting ends the run after the current batch; `fit` resolves with the finished epochs. */
  readonly signal?: AbortSignal;
  /**
   * Continue a run from a checkpoint's state (`decodeFitState`, `loadFitCheckpoint`, or a state
   * {@link SaveState} handed out), after a finished epoch or in the middle of one.
   */
  readonly resume?: FitState;
  /** Splits a batch into input and target when it is not `[input, target]` or `{ x, y }`. */
  readonly unpack?: Unpack<B>;
  /**
   * Batches between reads of the loss and metrics from the backend (default 1: every batch). A
   * read waits for the backend to finish the work queued before it, which on a GPU stalls every
   * step; above 1 a batch's values stay on the backend until the read, and `onBatchEnd` then runs
   * for each batch since the previous read, in order and with the logs it would have had. The
   * epoch's logs, the history and the trained weights are the same for any value; hooks that must
   * run right after each step (a per-batch schedule, `SaveState`) use `onStepEnd`.
   */
  readonly logEvery?: number;
}

/** What {@link fit} returns. */
export interface FitResult {
  /** One row per finished epoch (including a resumed run's earlier ones). */
  readonly history: EpochLogs[];
  /** Why the run ended before `epochs`: `'aborted'` or a callback's reason; undefined when it finished. */
  readonly stopReason: string | undefined;
}

function checkOptions<T, B>(options: FitOptions<T, B>): void {
  if (options === null || typeof options !== 'object')
    throw new ArgumentError('fit: expected an options object { train, loss, optimizer, epochs, ... }');
  const { train, loss, optimizer, epochs } = options;
  if (train === undefined || typeof (train as DataLoader<T, B>).batchIndices !== 'function')
    throw new ArgumentError('fit: options.train must be a DataLoader');
  if (options.validation !== undefined && typeof options.validation.batchIndices !== 'function')
    throw new ArgumentError('fit: options.validation must be a DataLoader');
  if (typeof loss !== 'function')
    throw new ArgumentError('fit: options.loss must be a function (output, target) => scalar tensor');
  if (optimizer === undefined || typeof optimizer.step !== 'function')
    throw new ArgumentError('fit: options.optimizer must be an Optimizer');
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new ArgumentError(`fit: options.epochs must be a non-negative integer, got ${epochs}`);
  const { logEvery } = options;
  if (logEvery !== undefined && !(Number.isInteger(logEvery) && logEvery >= 1))
    throw new ArgumentError(`fit: options.logEvery must be a whole number of batches ≥ 1, got ${logEvery}`);
  for (const [name, m] of Object.entries(options.metrics ?? {})) {
    if (typeof m !== 'function')
      throw new ArgumentError(`fit: metric '${name}' must be a function (output, target) => scalar tensor`);
    if (name === 'loss' || name === 'lr' || name === 'epoch' || name.startsWith('val_'))
      throw new ArgumentError(`fit: metric name '${name}' is reserved for fit's own logs`);
  }
  const r = options.resume;
  if (r === undefined) return;
  if (r.epoch > epochs)
    throw new ArgumentError(`fit: the resumed run has done ${r.epoch} epochs, more than epochs = ${epochs}`);
  if (r.batchInEpoch === 0) return;
  if (!Number.isInteger(r.batchInEpoch) || r.batchInEpoch < 0 || r.batchInEpoch > train.len())
    throw new ArgumentError(
      `fit: the resumed state has finished ${r.batchInEpoch} batches of epoch ${r.epoch + 1}; expected an integer from 0 to ${train.len()} (the loader's batches per epoch)`,
    );
  if (r.epoch === epochs)
    throw new ArgumentError(
      `fit: the resumed state is inside epoch ${r.epoch + 1}, beyond epochs = ${epochs}`,
    );
  const expected = Object.keys(options.metrics ?? {}).sort();
  const saved = Object.keys(r.epochSums.metrics).sort();
  if (expected.join() !== saved.join())
    throw new ArgumentError(
      `fit: the resumed epoch has sums for the metrics [${saved.join(', ')}], but fit was given [${expected.join(', ')}]`,
    );
}

/**
 * Trains `model` for `epochs` epochs over `train`, Keras-style: each batch runs forward, loss,
 * backward and an optimizer step inside `tidy` (the live tensor count stays flat), metrics are
 * averaged over the epoch, `validation` is evaluated after each epoch, and callbacks see every
 * step. Works on any backend (values are read with `await data()`, every `logEvery` batches). A
 * run resumed from a checkpoint's state continues bit for bit as the uninterrupted run would have
 * on the same backend: the state holds the weights, the optimizer, the scheduler, the global
 * generator and the training loader's generator, and in the middle of an epoch the finished
 * batches and their running sums (the epoch's order is drawn again and those batches skipped).
 * @example
 * const { history } = await fit(model, {
 *   train: new DataLoader(trainSet, { batchSize: 64, shuffle: true, seed: 1 }),
 *   validation: new DataLoader(testSet, { batchSize: 500 }),
 *   loss: (out, y) => crossEntropy(out, y),
 *   optimizer: new Adam(model.parameters(), { lr: 1e-3 }),
 *   epochs: 5,
 *   metrics: { accuracy: accuracyMetric },
 *   callbacks: [new ProgressCallback()],
 * });
 */
export async function fit<T, B>(model: AnyModel, options: FitOptions<T, B>): Promise<FitResult> {
  checkOptions(options);
  const { train, validation, optimizer, epochs, signal } = options;
  const unpack = options.unpack ?? (defaultUnpack as Unpack<B>);
  const metrics = Object.entries(options.metrics ?? {});
  const callbacks: Callback[] = [
    ...(options.scheduler
      ? [new LRSchedulerCallback(options.scheduler, { interval: options.schedulerInterval })]
      : []),
    ...(options.callbacks ?? []),
  ];
  const history: EpochLogs[] = [];
  let step = 0;
  let finished = 0;
  // The epoch in progress: its finished batches and their size-weighted sums (loss, then metrics).
  let batchInEpoch = 0;
  const sums = new Float64Array(1 + metrics.length);
  let seen = 0;
  const logEvery = options.logEvery ?? 1;
  // Finished batches whose values are still on the backend, then those read whose onBatchEnd is due.
  const unread: { batch: number; values: Tensor[]; size: number }[] = [];
  const unreported: { batch: number; logs: Logs }[] = [];
  /** Reads the unread batches' values and adds them to the epoch's sums, in batch order. */
  const readBatches = async (): Promise<void> => {
    const batches = unread.splice(0);
    try {
      const read = await readFirstValues(batches.flatMap(({ values }) => values));
      batches.forEach(({ batch, size }, j) => {
        const logs: Logs = { size };
        read.slice(j * (1 + metrics.length), (j + 1) * (1 + metrics.length)).forEach((v, i) => {
          sums[i] += v * size;
          logs[i === 0 ? 'loss' : metrics[i - 1][0]] = v;
        });
        seen += size;
        logs.meanLoss = sums[0] / seen;
        unreported.push({ batch, logs });
      });
    } finally {
      for (const { values } of batches) dispose(values);
    }
  };
  /** Reads what is unread, then runs the due `onBatchEnd` hooks. */
  const reportBatches = async (): Promise<void> => {
    await readBatches();
    for (let due = unreported.shift(); due !== undefined; due = unreported.shift())
      for (const cb of callbacks) await cb.onBatchEnd?.(due.batch, due.logs, context);
  };
  if (options.resume !== undefined) {
    const r = options.resume;
    const weights = weightTensors(r.weights);
    try {
      model.loadStateDict(weights);
    } finally {
      dispose(weights);
    }
    optimizer.loadStateDict(r.optimizer);
    if (r.scheduler !== null && options.scheduler !== undefined) options.scheduler.loadStateDict(r.scheduler);
    setRngState(r.rng);
    train.generator.setState(r.loaderRng);
    history.push(...r.history);
    step = r.step;
    finished = r.epoch;
    batchInEpoch = r.batchInEpoch;
    if (batchInEpoch > 0) {
      seen = r.epochSums.seen;
      sums[0] = r.epochSums.loss;
      metrics.forEach(([name], i) => {
        sums[i + 1] = r.epochSums.metrics[name];
      });
    }
  }
  // The loader's generator as it stands before an epoch draws its order: what a resume restores.
  let loaderRng: GeneratorState = train.generator.getState();
  const context: FitContext & { firstBatch: number } = {
    model,
    optimizer,
    epochs,
    batches: train.len(),
    firstBatch: 0,
    history,
    stopTraining: false,
    stopReason: undefined,
    state: async (): Promise<FitState> => {
      // The batches not read yet are part of the epoch's sums.
      await readBatches();
      return {
        epoch: finished,
        step,
        batchInEpoch,
        epochSums:
          batchInEpoch === 0
            ? NO_SUMS
            : {
                seen,
                loss: sums[0],
                metrics: Object.fromEntries(metrics.map(([name], i) => [name, sums[i + 1]])),
              },
        history: history.map((h) => ({ ...h })),
        weights: await hostWeights(model.stateDict()),
        optimizer: await optimizer.stateDictAsync({ typedArrays: true }),
        scheduler: options.scheduler?.stateDict() ?? null,
        rng: getRngState(),
        loaderRng,
      };
    },
  };
  const stop = (reason: string): void => {
    context.stopTraining = true;
    context.stopReason ??= reason;
  };
  const onAbort = (): void => stop('aborted');
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort);
  try {
    model.train();
    for (const cb of callbacks) await cb.onTrainBegin?.(context);
    while (finished < epochs && !context.stopTraining) {
      const epoch = finished + 1;
      context.firstBatch = batchInEpoch;
      for (const cb of callbacks) await cb.onEpochBegin?.(epoch, context);
      // A resumed epoch draws the same order again (the generator stood before it) and skips ahead.
      const batches = train.batchIndices();
      let lastLr = optimizer.paramGroups[0].lr;
      for (let b = batchInEpoch; b < batches.length && !context.stopTraining; b++) {
        for (const cb of callbacks) await cb.onBatchBegin?.(b, context);
        lastLr = optimizer.paramGroups[0].lr;
        const [values, size] = tidy((): [Tensor[], number] => {
          const { input, target } = unpack(train.batch(batches[b]));
          const output = model.call(input);
          const l = options.loss(output, target);
          optimizer.zeroGrad();
          l.backward();
          optimizer.step();
          const detached = output.detach();
          return [[l.detach(), ...metrics.map(([, m]) => m(detached, target))], target.shape[0] ?? 1];
        });
        step++;
        batchInEpoch = b + 1;
        unread.push({ batch: b, values, size });
        for (const cb of callbacks) await cb.onStepEnd?.(b, context);
        if (unread.length >= logEvery) await reportBatches();
        await yieldToEventLoop();
      }
      await reportBatches();
      // An epoch cut short (aborted, or stopped in a batch hook) is not logged; `state()` holds
      // where it stands, so a resume finishes it.
      if (batchInEpoch < batches.length) break;
      const logs: EpochLogs = { epoch, loss: sums[0] / seen };
      metrics.forEach(([name], i) => {
        logs[name] = sums[i + 1] / seen;
      });
      if (validation !== undefined) {
        const held = await evaluate(model, validation, {
          loss: options.loss,
          metrics: options.metrics,
          unpack,
        });
        for (const [k, v] of Object.entries(held)) logs[`val_${k}`] = v;
      }
      // The learning rate of the epoch's last step ends the row (an epoch scheduler steps after it).
      logs.lr = lastLr;
      history.push(logs);
      finished = epoch;
      loaderRng = train.generator.getState();
      batchInEpoch = 0;
      sums.fill(0);
      seen = 0;
      for (const cb of callbacks) await cb.onEpochEnd?.(epoch, logs, context);
    }
    for (const cb of callbacks) await cb.onTrainEnd?.(context);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    for (const { values } of unread) dispose(values);
  }
  return { history, stopReason: context.stopReason };
}
