import { GEMM_JOB_LENGTH } from '../kernels/gemm-loop.js';
import { ROWS_JOB_LENGTH } from '../kernels/softmax-rows.js';

/**
 * The pool's control block, an Int32Array over a SharedArrayBuffer that the calling thread and
 * every worker see: the slots below, then the current gemm job. The workers get these indices with
 * their start message (worker code cannot import them).
 */
export const CONTROL = {
  /** Bumped by the calling thread for every job (and for the stop); workers wait on it. */
  generation: 0,
  /** Workers that finished the current job; the calling thread waits on it. */
  done: 1,
  /** Workers started so far: each takes the next value as its slot, in the order they start. */
  ready: 2,
  /** 1 once the pool shuts down. */
  stop: 3,
  /** Threads in the current job, the calling thread included: workers with slot + 1 ≥ this sit it out. */
  threads: 4,
  /** Workers that failed (threw while starting or in a job); each wakes the calling thread. */
  failed: 5,
  /** Pieces of work (macro-kernel calls, runs of rows) the workers finished: their sign of life. */
  progress: 6,
  /** What the current job is: `JOB_KINDS`. */
  kind: 7,
  /** Where the job's fields start (gemm-loop.ts `gemmJob`, softmax-rows.ts `softmaxRowsJob`). */
  job: 8,
  /** Int32 slots in the block. */
  length: 8 + Math.max(GEMM_JOB_LENGTH, ROWS_JOB_LENGTH),
} as const;

/** The kinds of job, in the control block's `kind` slot. */
export const JOB_KINDS = { gemm: 0, softmaxRows: 1 } as const;
