/**
 * Per-epoch progress: a live bar redrawn in place on a terminal, plain log lines elsewhere (a CI
 * log or a file would otherwise fill with carriage returns).
 */

/** Where progress goes: a stream and whether it is a terminal. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** How often a non-terminal gets a progress line during an epoch. */
const LOG_INTERVAL_MS = 5000;

/** Formats seconds as `m:ss` (or `h:mm:ss`). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Shows one epoch's progress at a time. */
export class Progress {
  private epochLabel = '';
  private total = 0;
  private first = 0;
  private startedAt = 0;
  private lastDraw = 0;
  private lastLog = 0;
  private drawn = false;

  /** `enabled` false draws nothing (for `--quiet` and `--json`). */
  constructor(
    private readonly stream: ProgressStream,
    private readonly enabled: boolean,
  ) {}

  /** Starts an epoch of `batches` batches, of which `done` were finished before (a resumed epoch). */
  start(epoch: number, epochs: number, batches: number, done = 0): void {
    this.epochLabel = `epoch ${epoch}/${epochs}`;
    this.total = batches;
    this.first = done;
    this.startedAt = performance.now();
    this.lastDraw = 0;
    this.lastLog = this.startedAt;
  }

  /**
   * Reports that `done` batches of the epoch are finished, `samples` samples of them since
   * `start`; `loss` is the epoch's running mean.
   */
  update(done: number, samples: number, loss: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    const elapsed = (now - this.startedAt) / 1000;
    const rate = elapsed > 0 ? samples / elapsed : 0;
    const eta = done > this.first ? (elapsed / (done - this.first)) * (this.total - done) : Number.NaN;
    const stats = `${done}/${this.total} loss ${loss.toFixed(4)} ${Math.round(rate)} samples/s ETA ${formatDuration(eta)}`;
    if (this.stream.isTTY) {
      // Redrawing costs a write; ten times a second is smooth enough and keeps it off the profile.
      if (done < this.total && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const width = Math.max(
        10,
        Math.min(30, (this.stream.columns ?? 80) - stats.length - this.epochLabel.length - 6),
      );
      const filled = Math.round((done / Math.max(1, this.total)) * width);
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      this.stream.write(`\r\x1b[2K${this.epochLabel} ${bar} ${stats}`);
      this.drawn = true;
    } else if (now - this.lastLog >= LOG_INTERVAL_MS && done < this.total) {
      // A log gets a line every few seconds of a long epoch; short epochs need only their table row.
      this.lastLog = now;
      this.stream.write(`${this.epochLabel} batch ${stats}\n`);
    }
  }

  /** Clears the bar so the epoch's table row can take its place. */
  end(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}
