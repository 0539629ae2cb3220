import type { ProgressStream } from './progress.js';

/** Where a command writes: results to `stdout`, progress and notes to `stderr`. */
export interface Io {
  readonly stdout: ProgressStream;
  readonly stderr: ProgressStream;
}

/** The process's own streams. */
export const processIo: Io = { stdout: process.stdout, stderr: process.stderr };

/**
 * A plain-text table with right-aligned columns (the first left-aligned), as the trainer prints
 * per-epoch rows and results.
 */
export class TextTable {
  private readonly widths: number[];

  constructor(
    private readonly headers: readonly string[],
    minWidths: readonly number[] = [],
  ) {
    this.widths = headers.map((h, i) => Math.max(h.length, minWidths[i] ?? 0));
  }

  /** The header line and a rule under it. */
  head(): string {
    const line = this.row(this.headers);
    return `${line}\n${'-'.repeat(line.length)}`;
  }

  /** One row, padded to the column widths. */
  row(cells: readonly string[]): string {
    return cells
      .map((c, i) => (i === 0 ? c.padEnd(this.widths[i]) : c.padStart(this.widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  }

  /** A whole table whose column widths fit every cell. */
  static render(headers: readonly string[], rows: readonly (readonly string[])[]): string {
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const table = new TextTable(headers, widths);
    return [table.head(), ...rows.map((r) => table.row(r))].join('\n');
  }
}

/** A confusion matrix as text: rows true classes, columns predictions. */
export function confusionText(matrix: readonly (readonly number[])[], labels: readonly string[]): string {
  const short = labels.map((l) => (l.length > 8 ? `${l.slice(0, 7)}…` : l));
  return TextTable.render(
    ['true \\ predicted', ...short],
    matrix.map((row, i) => [short[i], ...row.map(String)]),
  );
}

/** A learning rate in a few characters: `0.1`, `0.0573`, `9.87e-5`, `0`. */
export function formatLr(lr: number): string {
  if (lr === 0) return '0';
  return lr < 1e-3 ? lr.toExponential(2) : String(Number(lr.toPrecision(3)));
}
