import type { Tensor } from '@backprop/core';
import type { Module } from '@backprop/nn';
import type { Optimizer } from '@backprop/optim';
import type { EpochLogs, Logs } from '../logs.js';
import type { FitState } from '../state.js';

export type { EpochLogs, Logs };

/** What a callback sees of the run, passed to every hook. */
export interface FitContext {
  // biome-ignore lint/suspicious/noExplicitAny: any module's inputs and outputs
  readonly model: Module<any, Tensor>;
  readonly optimizer: Optimizer;
  /** Epochs the run goes to (a resumed run counts the ones before it too). */
  readonly epochs: number;
  /** Batches per training epoch. */
  readonly batches: number;
  /**
   * The batch the current epoch starts at: 0, or for the first epoch of a run resumed in the
   * middle of an epoch the number of batches it had finished (they are skipped).
   */
  readonly firstBatch: number;
  /** Finished epochs' logs so far. */
  readonly history: readonly EpochLogs[];
  /** Set true (early stopping does) to end the run after the current batch's hooks. */
  stopTraining: boolean;
  /** Why the run stopped early, when it did ('aborted', or a callback's reason). */
  stopReason: string | undefined;
  /** Everything a resumed run needs, read now (weights, optimizer, scheduler, generators, history). */
  state(): Promise<FitState>;
}

type Awaitable = void | Promise<void>;

/**
 * Hooks `fit` calls around training; every one is optional and may be async (`fit` awaits it).
 * `epoch` is 1-based (as in the history), `batch` the 0-based index within the epoch. Callbacks
 * run in the order given; `fit`'s own scheduler stepping runs before them.
 */
export interface Callback {
  onTrainBegin?(fit: FitContext): Awaitable;
  onTrainEnd?(fit: FitContext): Awaitable;
  onEpochBegin?(epoch: number, fit: FitContext): Awaitable;
  /** After the epoch's validation: `logs` is the history row. */
  onEpochEnd?(epoch: number, logs: EpochLogs, fit: FitContext): Awaitable;
  onBatchBegin?(batch: number, fit: FitContext): Awaitable;
  /**
   * Right after the batch's optimizer step, before its values are read (so at once, whatever
   * `fit`'s `logEvery`): where a per-batch schedule steps and `SaveState` saves.
   */
  onStepEnd?(batch: number, fit: FitContext): Awaitable;
  /**
   * `logs` holds the batch's `loss` and metrics, its `size` and the epoch's running `meanLoss`.
   * It runs once the values are read: after each batch by default, after every `logEvery`
   * batches (and at the epoch's end) for all the batches since the last read otherwise.
   */
  onBatchEnd?(batch: number, logs: Logs, fit: FitContext): Awaitable;
}
