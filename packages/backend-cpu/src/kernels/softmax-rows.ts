/**
 * Softmax and log-softmax over the rows of a dense [rows, cols] block, one thread's share of the
 * rows: the same code on the calling thread and in the worker pool (which gets its source text, so
 * it may use nothing but its parameters and globals), and the same line code as softmax over any
 * other axis. Each row is reduced by one thread in one order, so the result is the same bits for
 * any thread count.
 */

/** Length of a rows job: the fields `softmaxRowsJob` writes and `softmaxRowsShare` reads. */
export const ROWS_JOB_LENGTH = 5;

/** Writes a rows job: x at float `xAt` and the output at `outAt` of the heap, [rows, cols], log-softmax when `log`. */
export function softmaxRowsJob(
  job: Int32Array,
  xAt: number,
  outAt: number,
  rows: number,
  cols: number,
  log: boolean,
): void {
  job.set([xAt, outAt, rows, cols, log ? 1 : 0]);
}

/**
 * Softmax (log-softmax when `log`) of one line of `length` elements, read from `x` at `from` and
 * written to `out` at `to`, `stride` apart. Softmax subtracts the line's maximum before
 * exponentiating, so ±1e4 logits stay finite, and divides by the sum; log-softmax is
 * x − (max + log Σ e^(x − max)), −∞ for a line of −∞.
 */
export function softmaxLine(
  x: Float32Array,
  out: Float32Array,
  from: number,
  to: number,
  stride: number,
  length: number,
  log: boolean,
): void {
  const end = from + length * stride;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = from; i < end; i += stride) max = Math.max(max, x[i]);
  let sum = 0;
  if (log) {
    // An all −∞ line would give −∞ − −∞ = NaN below; its log-sum-exp is −∞.
    let lse = max;
    if (max !== Number.NEGATIVE_INFINITY) {
      for (let i = from; i < end; i += stride) sum += Math.exp(x[i] - max);
      lse = max + Math.log(sum);
    }
    for (let i = from, o = to; i < end; i += stride, o += stride) out[o] = x[i] - lse;
  } else {
    for (let i = from, o = to; i < end; i += stride, o += stride) {
      const e = Math.exp(x[i] - max);
      out[o] = e;
      sum += e;
    }
    for (let o = to, k = 0; k < length; o += stride, k++) out[o] /= sum;
  }
}

/**
 * Thread `thread` of `threads`' share of the rows job: a contiguous run of rows, each through
 * `line` (`softmaxLine`). `tick` is called every few rows (the pool's sign of life).
 */
export function softmaxRowsShare(
  x: Float32Array,
  out: Float32Array,
  job: Int32Array,
  thread: number,
  threads: number,
  tick: () => void,
  line: typeof softmaxLine,
): void {
  const [xAt, outAt, rows, cols, log] = [job[0], job[1], job[2], job[3], job[4]];
  const first = Math.floor((rows * thread) / threads);
  const last = Math.floor((rows * (thread + 1)) / threads);
  for (let r = first; r < last; r++) {
    line(x, out, xAt + r * cols, outAt + r * cols, 1, cols, log === 1);
    if ((r & 15) === 15) tick();
  }
}
