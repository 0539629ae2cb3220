import { ArgumentError } from '@backprop/core';
import type { FitState } from '../state.js';
import type { Callback, FitContext } from './callback.js';

/** Options of {@link SaveState}. */
export interface SaveStateOptions {
  /**
   * Receives the run's state to keep (write a file, send it somewhere); `fit` awaits it. The
   * state resumes with `fit({ resume })`, also from the middle of an epoch.
   */
  readonly save: (state: FitState, fit: FitContext) => void | Promise<void>;
  /** Save after every epoch (default true). */
  readonly everyEpoch?: boolean;
  /** Also save every this many batches inside an epoch (default: never). */
  readonly everyBatches?: number;
  /**
   * Save when the run stops before its last epoch (an aborted signal, early stopping) with
   * batches not yet saved (default true): Ctrl-C then loses nothing.
   */
  readonly onStop?: boolean;
}

/**
 * Hands the run's resumable state ({@link FitContext.state}) to `save` after every epoch, every
 * `everyBatches` batches, and when the run stops early. `ModelCheckpoint` (in
 * `@backprop/train/node`) writes fit's own file format; this is for any other store or format.
 * @example
 * const abort = new AbortController();
 * process.once('SIGINT', () => abort.abort());
 * await fit(model, { ...options, signal: abort.signal, callbacks: [
 *   new SaveState({ save: (s) => writeFileSync('run.safetensors', encodeFitState(s)), everyBatches: 100 }),
 * ] });
 */
export class SaveState implements Callback {
  private readonly save: (state: FitState, fit: FitContext) => void | Promise<void>;
  private readonly everyEpoch: boolean;
  private readonly everyBatches: number;
  private readonly onStop: boolean;
  /** Whether batches ran since the last save (or the run began without one). */
  private unsaved = true;

  constructor(options: SaveStateOptions) {
    if (typeof options?.save !== 'function')
      throw new ArgumentError('SaveState: save must be a function (state, fit) => void');
    const { everyEpoch = true, everyBatches = 0, onStop = true } = options;
    if (!Number.isInteger(everyBatches) || everyBatches < 0)
      throw new ArgumentError(
        `SaveState: everyBatches must be a non-negative integer (0: never), got ${everyBatches}`,
      );
    this.save = options.save;
    this.everyEpoch = everyEpoch;
    this.everyBatches = everyBatches;
    this.onStop = onStop;
  }

  private async store(fit: FitContext): Promise<void> {
    await this.save(await fit.state(), fit);
    this.unsaved = false;
  }

  onTrainBegin(): void {
    this.unsaved = true;
  }

  async onStepEnd(batch: number, fit: FitContext): Promise<void> {
    this.unsaved = true;
    // The epoch's last batch is saved with the epoch, after its logs.
    const done = batch + 1;
    if (this.everyBatches > 0 && done % this.everyBatches === 0 && done < fit.batches) await this.store(fit);
  }

  async onEpochEnd(_epoch: number, _logs: unknown, fit: FitContext): Promise<void> {
    if (this.everyEpoch) await this.store(fit);
  }

  async onTrainEnd(fit: FitContext): Promise<void> {
    if (this.onStop && this.unsaved && fit.stopReason !== undefined) await this.store(fit);
  }
}
