import { ArgumentError, dispose } from '@backprop/core';
import type { IntTensorToWrite, TensorToWrite } from '../safetensors/format.js';
import { hostWeights, weightTensors } from '../state.js';
import type { Callback, EpochLogs, FitContext } from './callback.js';

/** Options of {@link EarlyStopping}. */
export interface EarlyStoppingOptions {
  /** The log to watch (default `val_loss`). */
  readonly monitor?: string;
  /** `'min'` (a loss), `'max'` (an accuracy) or `'auto'` (default): max when the name has `acc`, else min. */
  readonly mode?: 'min' | 'max' | 'auto';
  /** Stop after this many epochs in a row without improvement (default 0, like 1: the first such epoch stops, as in Keras). */
  readonly patience?: number;
  /** The least change that counts as an improvement (default 0). */
  readonly minDelta?: number;
  /** At the end, put back the weights of the best epoch (default false). */
  readonly restoreBestWeights?: boolean;
}

/**
 * Stops training once the monitored log has gone `patience` epochs in a row without improving by
 * more than `minDelta`, and optionally restores the best epoch's weights (kept in host memory, so the
 * live tensor count does not change). Sets `stopReason` to `'early stopping'`.
 */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBestWeights: boolean;
  /** The best monitored value so far and its epoch. */
  best = Number.NaN;
  bestEpoch = 0;
  /** The epoch training stopped after (0 if it did not stop early). */
  stoppedEpoch = 0;
  private wait = 0;
  private bestWeights: Record<string, TensorToWrite | IntTensorToWrite> | undefined;

  constructor(options: EarlyStoppingOptions = {}) {
    const {
      monitor = 'val_loss',
      mode = 'auto',
      patience = 0,
      minDelta = 0,
      restoreBestWeights = false,
    } = options;
    if (typeof monitor !== 'string' || monitor === '')
      throw new ArgumentError(`EarlyStopping: monitor must be a log name, got ${JSON.stringify(monitor)}`);
    if (mode !== 'min' && mode !== 'max' && mode !== 'auto')
      throw new ArgumentError(
        `EarlyStopping: mode must be 'min', 'max' or 'auto', got ${JSON.stringify(mode)}`,
      );
    if (!Number.isInteger(patience) || patience < 0)
      throw new ArgumentError(`EarlyStopping: patience must be a non-negative integer, got ${patience}`);
    if (typeof minDelta !== 'number' || !(minDelta >= 0))
      throw new ArgumentError(`EarlyStopping: minDelta must be a non-negative number, got ${minDelta}`);
    this.monitor = monitor;
    this.mode = mode === 'auto' ? (monitor.includes('acc') ? 'max' : 'min') : mode;
    this.patience = patience;
    this.minDelta = minDelta;
    this.restoreBestWeights = restoreBestWeights;
  }

  onTrainBegin(): void {
    this.best = Number.NaN;
    this.bestEpoch = 0;
    this.stoppedEpoch = 0;
    this.wait = 0;
    this.bestWeights = undefined;
  }

  private improves(value: number): boolean {
    if (Number.isNaN(this.best)) return !Number.isNaN(value);
    return this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta;
  }

  async onEpochEnd(epoch: number, logs: EpochLogs, fit: FitContext): Promise<void> {
    const value = logs[this.monitor];
    if (value === undefined)
      throw new ArgumentError(
        `EarlyStopping: monitor '${this.monitor}' is not in the logs (they have ${Object.keys(logs).join(', ')})`,
      );
    if (this.improves(value)) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights) this.bestWeights = await hostWeights(fit.model.stateDict());
      return;
    }
    this.wait++;
    if (this.wait >= this.patience) {
      this.stoppedEpoch = epoch;
      fit.stopTraining = true;
      fit.stopReason ??= 'early stopping';
    }
  }

  onTrainEnd(fit: FitContext): void {
    if (this.bestWeights === undefined || this.bestEpoch === fit.history.at(-1)?.epoch) return;
    const tensors = weightTensors(this.bestWeights);
    try {
      fit.model.loadStateDict(tensors);
    } finally {
      dispose(tensors);
    }
  }
}
