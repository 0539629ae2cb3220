/**
 * Softmax and log-softmax over the rows of a dense [rows, cols] block, one thread's share of the
 * rows: the same code on the calling thread and in the worker pool (which gets its source text, so
 * it may use nothing but its parameters and globals). Each row is reduced by one thread in one
 * order, so the result is the same bits for any thread count.
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
 * Thread `thread` of `threads`' share of the rows job: a contiguous run of rows. Softmax subtracts
 * the row's maximum before exponentiating and divides by the sum; log-softmax is x − (max + log Σ
 * e^(x − max)), −∞ for a row of −∞. `tick` is called every few rows (the pool's sign of life).
 */
export function softmaxRowsShare(
  x: Float32Array,
  out: Float32Array,
  job: Int32Array,
  thread: number,
  threads: number,
  tick: () => void,
): void {
  const [xAt, outAt, rows, cols, log] = [job[0], job[1], job[2], job[3], job[4]];
  const first = Math.floor((rows * thread) / threads);
  const last = Math.floor((rows * (thread + 1)) / threads);
  for (let r = first; r < last; r++) {
    const from = xAt + r * cols;
    const to = outAt + r * cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < cols; i++) max = Math.max(max, x[from + i]);
    let sum = 0;
    if (log === 1) {
      // An all −∞ row would give −∞ − −∞ = NaN below; its log-sum-exp is −∞.
      let lse = max;
      if (max !== Number.NEGATIVE_INFINITY) {
        for (let i = 0; i < cols; i++) sum += Math.exp(x[from + i] - max);
        lse = max + Math.log(sum);
      }
      for (let i = 0; i < cols; i++) out[to + i] = x[from + i] - lse;
    } else {
      for (let i = 0; i < cols; i++) {
        const e = Math.exp(x[from + i] - max);
        out[to + i] = e;
        sum += e;
      }
      for (let i = 0; i < cols; i++) out[to + i] /= sum;
    }
    if ((r & 15) === 15) tick();
  }
}
