import {
  copyOperandsIn,
  gemmJob,
  gemmShare,
  type HeapPack,
  heapPacker,
  heapPlacement,
  type MacroKernel,
  type Product,
  type packPanels,
} from '../kernels/gemm-loop.js';
import { copyPaddedInto, type ParallelKernels } from '../kernels/matmul.js';
import { simdModuleBytes } from '../kernels/simd-module.js';
import { softmaxLine, softmaxRowsJob, softmaxRowsShare } from '../kernels/softmax-rows.js';
import { CONTROL, JOB_KINDS } from './control.js';
import { canBlock, type WorkerHandle, type WorkerStarter, workerStarter } from './platform.js';
import { type WorkerStart, workerSource } from './worker-source.js';

/** A product's work in multiply-adds. */
export const gemmWork = ({ m, n, k }: Product): number => m * n * k;

/**
 * A softmax's work in multiply-adds of the macro-kernel: an exponential and its share of the sums
 * cost about as much as 16.
 */
export const softmaxRowsWork = (rows: number, cols: number): number => rows * cols * 16;

/** The shared memory's ceiling, in 64 KiB pages (1 GiB): a product that needs more runs on one thread. */
const MAX_PAGES = 16384;
const PAGE_BYTES = 65536;
/** How long a new pool waits for its workers to start, where the calling thread may block. */
const START_TIMEOUT_MS = 5000;
/**
 * How long the calling thread waits for a job's workers without any of them finishing a
 * macro-kernel call (each takes about a millisecond) before it takes them for dead. Generous, so
 * that a busy machine's scheduler never ends a healthy pool; a worker the system merely paused that
 * long would cost a product recomputed on the calling thread, never a wrong one.
 */
export const STALL_TIMEOUT_MS = 30_000;
/** The calling thread's wait between checks for failed or stalled workers. */
const CHECK_INTERVAL_MS = 50;
/**
 * How long a thread that waits for the other side (a worker for the next job, the calling thread
 * for the workers to finish) spins before it sleeps. Waking a sleeping thread took 40–80 µs on the
 * bench's virtual machine, as long as a worker's share of an MLP-sized product; spinning, the
 * hand-off took 1–2 µs. A training step posts jobs well within this window, so the workers stay
 * awake while it trains and sleep within a millisecond of it stopping.
 */
const SPIN_MS = 1;

/**
 * The worker pool behind the cpu backend's heavy kernels: `threads − 1` workers and the calling
 * thread split each large product by whole tiles of rows (or columns) of C, and a large softmax or
 * log-softmax by whole rows, all in one shared WebAssembly.Memory.
 *
 * Why one shared memory rather than a memory per worker with copies: every thread packs its
 * panels straight from the operands and the macro-kernel writes its tiles straight into C, so a
 * product costs one copy of A and B into the memory and one of C out, whatever the thread count;
 * separate memories would add a copy of the operands per worker and a gather of C. The backend's
 * tensors stay ordinary typed arrays: the copies cost 6–10 % of a one-thread product at the MLP's
 * sizes and under 2 % from 512³ up (README); sharing every tensor instead would need them all in
 * one shared memory, since a worker asleep in Atomics.wait cannot receive a new buffer.
 *
 * The Backend interface is synchronous, so the calling thread takes its own share of the product
 * and then waits for the workers: `Atomics.wait` where it may block (Node, main thread included,
 * and workers), a spin on `Atomics.load` on a browser page's main thread.
 *
 * A worker that fails to start, throws, exits or stalls mid-job ends the pool: the product in
 * flight is recomputed on the calling thread (the shared memory is never read again, so a straggler
 * cannot corrupt anything), `failure` says why, a warning says it once, and later products run on
 * the calling thread.
 */
export class GemmPool implements ParallelKernels {
  private readonly heapMemory: WebAssembly.Memory;
  private readonly control: Int32Array;
  private readonly job: Int32Array;
  private readonly macro: MacroKernel;
  private readonly pack: typeof packPanels;
  private readonly workers: WorkerHandle[];
  private readonly blocks = canBlock();
  private closed = false;
  /** Why the pool stopped taking work after a worker failed, or null. */
  failure: string | null = null;
  /** See {@link STALL_TIMEOUT_MS}; the tests that kill workers shorten it once the pool is healthy. */
  stallTimeoutMs = STALL_TIMEOUT_MS;

  private constructor(
    /** Threads in a full job, the calling thread included. */
    readonly threads: number,
    /** Multiply-adds a thread must get for a product to be split that many ways. */
    private readonly minWorkPerThread: number,
    memory: WebAssembly.Memory,
    control: SharedArrayBuffer,
    macro: MacroKernel,
    pack: typeof packPanels,
    workers: WorkerHandle[],
  ) {
    this.heapMemory = memory;
    this.control = new Int32Array(control);
    this.job = this.control.subarray(CONTROL.job, CONTROL.length);
    this.macro = macro;
    this.pack = pack;
    this.workers = workers;
  }

  /** Ends the pool after a worker failed (once: later failures are the same pool going down). */
  private fail(reason: string): false {
    if (this.failure !== null || this.closed) return false;
    this.failure = `cpu backend: running on one thread: ${reason}`;
    console.warn(this.failure);
    this.close();
    return false;
  }

  /**
   * Starts a pool of `threads` threads (the calling thread and `threads − 1` workers), or says why
   * this runtime cannot (no SharedArrayBuffer, a page that is not cross-origin isolated, no shared
   * WebAssembly memory). `starter` starts the workers (the runtime's own by default).
   */
  static create(
    threads: number,
    minWorkPerThread: number,
    starter: WorkerStarter = workerStarter(),
  ): GemmPool | string {
    if (!starter.ok) return starter.reason;
    let memory: WebAssembly.Memory;
    let macro: MacroKernel;
    let pack: typeof packPanels;
    const moduleBytes = simdModuleBytes(MAX_PAGES);
    try {
      memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
      const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes), { env: { memory } });
      macro = instance.exports.macro as MacroKernel;
      pack = heapPacker(instance.exports.pack as HeapPack);
    } catch (error) {
      return `shared WebAssembly memory is unavailable (${(error as Error).message})`;
    }
    const control = new SharedArrayBuffer(CONTROL.length * 4);
    const source = workerSource();
    const start: WorkerStart = { moduleBytes, memory, control, layout: { ...CONTROL }, spinMs: SPIN_MS };
    const workers: WorkerHandle[] = [];
    // Events reach the pool only once it exists (and only while the calling thread does not block).
    let pool: GemmPool | null = null;
    let startError: string | null = null;
    for (let i = 1; i < threads && startError === null; i++) {
      try {
        const worker = starter.start(source, (reason) => pool?.fail(reason));
        worker.postMessage(start);
        workers.push(worker);
      } catch (error) {
        startError = `a worker failed to start (${(error as Error).message})`;
      }
    }
    pool = new GemmPool(threads, minWorkPerThread, memory, control, macro, pack, workers);
    if (startError !== null) pool.fail(startError);
    else pool.awaitWorkers();
    return pool;
  }

  /** Workers that have started and take work. */
  get workersReady(): number {
    return Atomics.load(this.control, CONTROL.ready);
  }

  /**
   * Waits (where this thread may block) until every worker has started, so that the first products
   * already use them; elsewhere they join as they start.
   */
  private awaitWorkers(): void {
    if (!this.blocks) return;
    const deadline = performance.now() + START_TIMEOUT_MS;
    for (;;) {
      const ready = Atomics.load(this.control, CONTROL.ready);
      if (Atomics.load(this.control, CONTROL.failed) > 0) {
        this.fail('a worker failed to start');
        return;
      }
      const left = deadline - performance.now();
      if (ready >= this.workers.length || left <= 0) return;
      Atomics.wait(this.control, CONTROL.ready, ready, Math.min(left, CHECK_INTERVAL_MS));
    }
  }

  gemm(product: Product): boolean {
    if (this.closed) return false;
    if (Atomics.load(this.control, CONTROL.failed) > 0) return this.fail('a worker threw');
    const { m, n } = product;
    const splitColumns = n > m;
    const tiles = splitColumns ? Math.ceil(n / 8) : Math.ceil(m / 4);
    const threads = this.threadsFor(gemmWork(product), tiles);
    if (threads < 2) return false;

    // The workers see only the shared memory: A and B are copied in, then C and the threads' scratch.
    const { placement, floats } = heapPlacement(product, threads, splitColumns);
    if (!this.reserve(floats)) return false;
    const heap = new Float32Array(this.heapMemory.buffer);
    copyOperandsIn(heap, product, placement);
    gemmJob(this.job, product, placement);
    this.post(JOB_KINDS.gemm, threads);
    gemmShare(this.macro, heap, heap, heap, this.job, 0, threads, this.pack);
    if (!this.awaitJob(threads - 1)) return false;
    copyPaddedInto(heap, placement.cAt, product);
    return true;
  }

  softmaxRows(x: Float32Array, out: Float32Array, rows: number, cols: number, log: boolean): boolean {
    if (this.closed) return false;
    if (Atomics.load(this.control, CONTROL.failed) > 0) return this.fail('a worker threw');
    const threads = this.threadsFor(softmaxRowsWork(rows, cols), rows);
    if (threads < 2) return false;
    const size = rows * cols;
    if (!this.reserve(2 * size)) return false;
    const heap = new Float32Array(this.heapMemory.buffer);
    heap.set(x.subarray(0, size), 0);
    softmaxRowsJob(this.job, 0, size, rows, cols, log);
    this.post(JOB_KINDS.softmaxRows, threads);
    softmaxRowsShare(heap, heap, this.job, 0, threads, () => {}, softmaxLine);
    if (!this.awaitJob(threads - 1)) return false;
    out.set(heap.subarray(size, 2 * size));
    return true;
  }

  /** Threads for a job of `work` multiply-adds split into at most `pieces`: each gets `minWorkPerThread`. */
  private threadsFor(work: number, pieces: number): number {
    const byWork = this.minWorkPerThread > 0 ? Math.floor(work / this.minWorkPerThread) : this.threads;
    return Math.min(this.threads, 1 + this.workersReady, byWork, pieces);
  }

  /** Wakes the workers for the job just written: `threads` of them, the calling thread included. */
  private post(kind: number, threads: number): void {
    const control = this.control;
    Atomics.store(control, CONTROL.kind, kind);
    Atomics.store(control, CONTROL.done, 0);
    Atomics.store(control, CONTROL.threads, threads);
    Atomics.add(control, CONTROL.generation, 1);
    Atomics.notify(control, CONTROL.generation);
  }

  /**
   * Waits until the job's `workers` are done; false (and the pool ended) when one failed, or when
   * none of them finished a piece of work for `stallTimeoutMs`.
   */
  private awaitJob(workers: number): boolean {
    const control = this.control;
    let progress = Atomics.load(control, CONTROL.progress);
    let quietSince = performance.now();
    const spinUntil = quietSince + SPIN_MS;
    while (Atomics.load(control, CONTROL.done) !== workers && performance.now() < spinUntil);
    for (;;) {
      const done = Atomics.load(control, CONTROL.done);
      if (done === workers) return true;
      if (Atomics.load(control, CONTROL.failed) > 0) return this.fail('a worker threw during a product');
      if (this.blocks) Atomics.wait(control, CONTROL.done, done, CHECK_INTERVAL_MS);
      const now = performance.now();
      const seen = Atomics.load(control, CONTROL.progress);
      if (seen !== progress) {
        progress = seen;
        quietSince = now;
      } else if (now - quietSince > this.stallTimeoutMs) {
        return this.fail(`a worker stopped responding for ${this.stallTimeoutMs} ms during a product`);
      }
    }
  }

  /** Grows the shared memory to hold `floats` floats; false past its ceiling. */
  private reserve(floats: number): boolean {
    const pages = Math.ceil((floats * 4) / PAGE_BYTES);
    if (pages > MAX_PAGES) return false;
    const have = this.heapMemory.buffer.byteLength / PAGE_BYTES;
    if (pages > have) this.heapMemory.grow(pages - have);
    return true;
  }

  /** Stops the workers; later products run on the calling thread. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.control, CONTROL.stop, 1);
    Atomics.add(this.control, CONTROL.generation, 1);
    Atomics.notify(this.control, CONTROL.generation);
    for (const worker of this.workers) worker.terminate();
  }
}
