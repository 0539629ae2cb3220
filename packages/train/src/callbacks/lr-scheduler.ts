import { ArgumentError } from '@backprop/core';
import { type LRScheduler, ReduceLROnPlateau } from '@backprop/optim';
import type { Callback, EpochLogs, FitContext } from './callback.js';

/** When a schedule advances. */
export type SchedulerInterval = 'epoch' | 'batch';

/** Options of {@link LRSchedulerCallback}. */
export interface LRSchedulerOptions {
  /** Step after every epoch (default) or after every batch (warm-up, one-cycle, cosine over steps). */
  readonly interval?: SchedulerInterval;
  /** The log `ReduceLROnPlateau` watches (default `val_loss`, or `loss` without validation). */
  readonly monitor?: string;
}

/**
 * Steps a learning-rate schedule at the right time: after each optimizer step (`interval:
 * 'batch'`) or after each epoch; `ReduceLROnPlateau` is stepped with the monitored log at the
 * end of each epoch. `fit({ scheduler })` adds one of these first, before the other callbacks.
 */
export class LRSchedulerCallback implements Callback {
  readonly interval: SchedulerInterval;
  private readonly monitor: string | undefined;

  constructor(
    readonly scheduler: LRScheduler | ReduceLROnPlateau,
    options: LRSchedulerOptions = {},
  ) {
    const { interval = 'epoch', monitor } = options;
    if (interval !== 'epoch' && interval !== 'batch')
      throw new ArgumentError(
        `LRSchedulerCallback: interval must be 'epoch' or 'batch', got ${JSON.stringify(interval)}`,
      );
    if (scheduler instanceof ReduceLROnPlateau && interval === 'batch')
      throw new ArgumentError(
        "LRSchedulerCallback: ReduceLROnPlateau steps once per epoch on a metric; use interval 'epoch'",
      );
    this.interval = interval;
    this.monitor = monitor;
  }

  onStepEnd(): void {
    if (this.interval === 'batch') (this.scheduler as LRScheduler).step();
  }

  onEpochEnd(_epoch: number, logs: EpochLogs, _fit: FitContext): void {
    if (this.interval !== 'epoch') return;
    if (!(this.scheduler instanceof ReduceLROnPlateau)) {
      this.scheduler.step();
      return;
    }
    const key = this.monitor ?? ('val_loss' in logs ? 'val_loss' : 'loss');
    const value = logs[key];
    if (value === undefined)
      throw new ArgumentError(
        `LRSchedulerCallback: ReduceLROnPlateau monitors '${key}', which the logs lack (they have ${Object.keys(logs).join(', ')})`,
      );
    this.scheduler.step(value);
  }
}
