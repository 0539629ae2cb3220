import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError } from '@backprop/core';
import type { Callback, EpochLogs, FitContext } from '../callbacks/callback.js';
import { saveSafetensors } from '../safetensors/state-dict.js';
import { decodeFitState, encodeFitState, type FitState } from '../state.js';
import { makeOutputFolder, writeFileAtomic } from './atomic.js';

/** Options of {@link ModelCheckpoint}. */
export interface ModelCheckpointOptions {
  /** The folder the files go in (created if missing). */
  readonly dir: string;
  /** Write `last.safetensors` after every epoch (default true). */
  readonly saveLast?: boolean;
  /** Write `best.safetensors` when the monitored log improves (default true). */
  readonly saveBest?: boolean;
  /** The log `best` is judged by (default `val_loss`). */
  readonly monitor?: string;
  /** `'min'`, `'max'` or `'auto'` (default: max when the monitor's name has `acc`). */
  readonly mode?: 'min' | 'max' | 'auto';
  /**
   * Write the model's state dict only (PyTorch's names, loadable with `load_state_dict`) instead
   * of a resumable fit checkpoint (default false).
   */
  readonly weightsOnly?: boolean;
}

/**
 * Saves checkpoints at the end of epochs: `last.safetensors` every epoch and `best.safetensors`
 * when the monitored log improves, each written atomically (a crash leaves the old file or the
 * new one). A full checkpoint resumes with `fit({ resume: loadFitCheckpoint(path) })`, bit for
 * bit on the same backend; its weights are the `model.*` tensors.
 */
export class ModelCheckpoint implements Callback {
  readonly dir: string;
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  private readonly saveLast: boolean;
  private readonly saveBest: boolean;
  private readonly weightsOnly: boolean;
  /** The best monitored value so far. */
  best = Number.NaN;

  constructor(options: ModelCheckpointOptions) {
    if (typeof options?.dir !== 'string' || options.dir === '')
      throw new ArgumentError(
        `ModelCheckpoint: dir must be a folder path, got ${JSON.stringify(options?.dir)}`,
      );
    const { monitor = 'val_loss', mode = 'auto' } = options;
    if (mode !== 'min' && mode !== 'max' && mode !== 'auto')
      throw new ArgumentError(
        `ModelCheckpoint: mode must be 'min', 'max' or 'auto', got ${JSON.stringify(mode)}`,
      );
    this.dir = options.dir;
    this.monitor = monitor;
    this.mode = mode === 'auto' ? (monitor.includes('acc') ? 'max' : 'min') : mode;
    this.saveLast = options.saveLast ?? true;
    this.saveBest = options.saveBest ?? true;
    this.weightsOnly = options.weightsOnly ?? false;
  }

  /** The path of `last.safetensors` or `best.safetensors`. */
  path(which: 'last' | 'best'): string {
    return join(this.dir, `${which}.safetensors`);
  }

  onTrainBegin(): void {
    makeOutputFolder(this.dir);
  }

  async onEpochEnd(epoch: number, logs: EpochLogs, fit: FitContext): Promise<void> {
    const value = logs[this.monitor];
    if (this.saveBest && value === undefined)
      throw new ArgumentError(
        `ModelCheckpoint: monitor '${this.monitor}' is not in the logs (they have ${Object.keys(logs).join(', ')})`,
      );
    const better =
      this.saveBest &&
      (Number.isNaN(this.best)
        ? !Number.isNaN(value)
        : this.mode === 'min'
          ? value < this.best
          : value > this.best);
    if (!this.saveLast && !better) return;
    const bytes = this.weightsOnly
      ? await saveSafetensors(fit.model.stateDict(), {
          pytorchNames: true,
          metadata: { epoch: String(epoch) },
        })
      : encodeFitState(await fit.state());
    if (this.saveLast) writeFileAtomic(this.path('last'), bytes);
    if (better) {
      this.best = value;
      writeFileAtomic(this.path('best'), bytes);
    }
  }
}

/** Reads a checkpoint {@link ModelCheckpoint} wrote, for `fit({ resume })`. */
export function loadFitCheckpoint(path: string): FitState {
  return decodeFitState(readFileSync(path));
}
