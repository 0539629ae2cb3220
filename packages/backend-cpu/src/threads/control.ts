import { GEMM_JOB_LENGTH } from '../kernels/gemm-loop.js';

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
  /** Macro-kernel calls the workers have finished: the calling thread's sign that they are alive. */
  progress: 6,
  /** Where the job's fields start (gemm-loop.ts `gemmJob`). */
  job: 8,
  /** Int32 slots in the block. */
  length: 8 + GEMM_JOB_LENGTH,
} as const;
