import { ArgumentError } from '@backprop/core';
import { matmulPath, type ParallelKernels, type Product } from '../kernels/matmul.js';
import { GemmPool, gemmWork, softmaxRowsWork } from './gemm-pool.js';
import { availableCores, environmentVariable } from './platform.js';

/** The environment variable that sets the default thread count (for the trainer, the bench, scripts). */
export const THREADS_VARIABLE = 'BACKPROP_CPU_THREADS';

/**
 * Default multiply-adds per thread before a product is split (about 0.2–0.4 ms of work per
 * thread). Below it the copies into shared memory and the hand-off cost more than the second
 * thread saves: a 128×128×128 product ran at 25.6 GFLOP/s on one thread and 15–22 on two, and the
 * bench MLP (a 64×784×128 layer, 6.4M multiply-adds) trained at 33,800 samples/s with it split
 * in two against 42,000 whole.
 */
const DEFAULT_MIN_WORK_PER_THREAD = 2 ** 22;

/** How the backend's heavy kernels use threads. */
export interface Threading {
  /** Threads asked for: the option, else the environment variable, else the cores available. */
  requested: number;
  /** Where `requested` came from. */
  source: 'option' | 'environment' | 'cores';
  /**
   * Threads a large product runs on, the calling thread included: 1 where the pool cannot start,
   * and until the first job large enough for two threads has started it.
   */
  threads: number;
  /** Why `threads` is below `requested` (threads unavailable here, or a worker that failed), or null. */
  note: string | null;
}

/**
 * The backend's thread settings and its worker pool, started at the first job large enough to be
 * split (so a backend that never multiplies large matrices starts no workers, and pays neither
 * their memory nor their start-up). The kernels hand their jobs here.
 */
export class ThreadingSetup implements ParallelKernels {
  private readonly requested: number;
  private readonly source: Threading['source'];
  private readonly minWork: number;
  private started: GemmPool | null = null;
  private note: string | null = null;
  private tried = false;

  constructor(threads: number | undefined, minWorkPerThread: number | undefined) {
    const fromEnvironment = environmentVariable(THREADS_VARIABLE);
    if (threads !== undefined) {
      this.requested = checkThreads(threads, 'cpuBackend({ threads })');
      this.source = 'option';
    } else if (fromEnvironment !== undefined && fromEnvironment.trim() !== '') {
      this.requested = checkThreads(Number(fromEnvironment), `${THREADS_VARIABLE}=${fromEnvironment}`);
      this.source = 'environment';
    } else {
      this.requested = availableCores();
      this.source = 'cores';
    }
    if (minWorkPerThread !== undefined && !(Number.isFinite(minWorkPerThread) && minWorkPerThread >= 0))
      throw new ArgumentError(
        `cpuBackend: minWorkPerThread must be a finite number ≥ 0, got ${minWorkPerThread}`,
      );
    this.minWork = minWorkPerThread ?? DEFAULT_MIN_WORK_PER_THREAD;
  }

  gemm(product: Product): boolean {
    return this.poolFor(gemmWork(product))?.gemm(product) ?? false;
  }

  softmaxRows(x: Float32Array, out: Float32Array, rows: number, cols: number, log: boolean): boolean {
    return this.poolFor(softmaxRowsWork(rows, cols))?.softmaxRows(x, out, rows, cols, log) ?? false;
  }

  /**
   * The pool for a job of `work` multiply-adds: started by the first job that two threads would
   * split; null with one thread, where threads are unavailable, and for smaller jobs before then.
   */
  private poolFor(work: number): GemmPool | null {
    if (this.tried) return this.started;
    if (work < 2 * this.minWork) return null;
    this.tried = true;
    if (this.requested <= 1) return null;
    if (matmulPath() !== 'wasm-simd') {
      this.fallBack('WebAssembly SIMD is unavailable, so matmul runs its JavaScript kernel on one thread');
      return null;
    }
    const pool = GemmPool.create(this.requested, this.minWork);
    if (typeof pool === 'string') this.fallBack(pool);
    else this.started = pool;
    return this.started;
  }

  /** One thread, with the reason kept for `threading.note` and said once when threads were asked for. */
  private fallBack(reason: string): void {
    this.note = `cpu backend: running on one thread: ${reason}`;
    if (this.source !== 'cores') console.warn(this.note);
  }

  status(): Threading {
    const pool = this.started;
    if (pool?.failure)
      return { requested: this.requested, source: this.source, threads: 1, note: pool.failure };
    const threads = pool ? Math.min(pool.threads, 1 + pool.workersReady) : 1;
    return { requested: this.requested, source: this.source, threads, note: this.note };
  }

  close(): void {
    this.started?.close();
    this.started = null;
  }
}

function checkThreads(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1)
    throw new ArgumentError(`${what}: the thread count must be a whole number ≥ 1, got ${value}`);
  return value;
}
