import { ArgumentError } from '@backprop/core';
import type { Callback, EpochLogs } from './callback.js';

/** Options of {@link MetricsLogger}. */
export interface MetricsLoggerOptions {
  /** `'csv'`: a header row, then one row per epoch; `'jsonl'`: one JSON object per epoch. */
  readonly format: 'csv' | 'jsonl';
  /** Receives the text to append (a file's `appendFileSync`, an array's `push`, a stream's `write`). */
  readonly write: (text: string) => void | Promise<void>;
  /** The text already written (a resumed run's file): a CSV header is then not written again. */
  readonly append?: boolean;
}

/**
 * Writes each epoch's logs as a CSV row or a JSON line. CSV columns are the first epoch's keys;
 * a later key missing from a row leaves its cell empty. `metricsFile` (from
 * `@backprop/train/node`) writes to a file.
 */
export class MetricsLogger implements Callback {
  private columns: string[] | undefined;
  private readonly format: 'csv' | 'jsonl';
  private readonly write: (text: string) => void | Promise<void>;
  private readonly append: boolean;

  constructor(options: MetricsLoggerOptions) {
    if (options?.format !== 'csv' && options?.format !== 'jsonl')
      throw new ArgumentError(
        `MetricsLogger: format must be 'csv' or 'jsonl', got ${JSON.stringify(options?.format)}`,
      );
    if (typeof options.write !== 'function')
      throw new ArgumentError('MetricsLogger: write must be a function (text) => void');
    this.format = options.format;
    this.write = options.write;
    this.append = options.append ?? false;
  }

  async onEpochEnd(_epoch: number, logs: EpochLogs): Promise<void> {
    if (this.format === 'jsonl') {
      await this.write(`${JSON.stringify(logs)}\n`);
      return;
    }
    let header = '';
    if (this.columns === undefined) {
      this.columns = Object.keys(logs);
      if (!this.append) header = `${this.columns.join(',')}\n`;
    }
    const row = this.columns.map((k) => (logs[k] === undefined ? '' : String(logs[k]))).join(',');
    await this.write(`${header}${row}\n`);
  }
}
