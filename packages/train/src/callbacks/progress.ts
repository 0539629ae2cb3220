import type { Callback, EpochLogs, FitContext, Logs } from './callback.js';
import { formatDuration, Progress, type ProgressStream } from './progress-bar.js';

/** Options of {@link ProgressCallback}. */
export interface ProgressOptions {
  /**
   * Where progress goes. Default: Node's `process.stderr` (a bar on a terminal, plain lines
   * otherwise); without Node (a browser) nothing is written unless a stream is given.
   */
  readonly stream?: ProgressStream;
  /** Write one line per finished epoch with its logs (default true). */
  readonly epochLines?: boolean;
}

function defaultStream(): ProgressStream | undefined {
  const proc = (globalThis as { process?: { stderr?: ProgressStream; versions?: { node?: string } } })
    .process;
  return proc?.versions?.node !== undefined ? proc.stderr : undefined;
}

/** `loss 0.1234 accuracy 0.9700 val_loss 0.2000`: an epoch's logs, in order, without the epoch itself. */
export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .filter(([k]) => k !== 'epoch')
    .map(([k, v]) => `${k} ${k === 'lr' ? v.toPrecision(3) : v.toFixed(4)}`)
    .join(' ');
}

/**
 * Shows training progress: the trainer's live bar (batches, running loss, samples per second,
 * ETA) redrawn in place on a terminal, a line every few seconds elsewhere (a CI log), and a line
 * per epoch with its logs and time.
 */
export class ProgressCallback implements Callback {
  private readonly stream: ProgressStream | undefined;
  private readonly bar: Progress | undefined;
  private readonly epochLines: boolean;
  private seen = 0;
  private startedAt = 0;

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? defaultStream();
    this.bar = this.stream === undefined ? undefined : new Progress(this.stream, true);
    this.epochLines = options.epochLines ?? true;
  }

  onEpochBegin(epoch: number, fit: FitContext): void {
    this.seen = 0;
    this.startedAt = performance.now();
    this.bar?.start(epoch, fit.epochs, fit.batches, fit.firstBatch);
  }

  onBatchEnd(batch: number, logs: Logs): void {
    this.seen += logs.size;
    this.bar?.update(batch + 1, this.seen, logs.meanLoss);
  }

  onEpochEnd(epoch: number, logs: EpochLogs, fit: FitContext): void {
    this.bar?.end();
    if (!this.epochLines || this.stream === undefined) return;
    const seconds = (performance.now() - this.startedAt) / 1000;
    this.stream.write(`epoch ${epoch}/${fit.epochs} ${formatLogs(logs)} (${formatDuration(seconds)})\n`);
  }

  onTrainEnd(): void {
    this.bar?.end();
  }
}
