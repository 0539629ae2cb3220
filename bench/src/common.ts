/**
 * What every benchmark case shares, so that each library gets the same inputs and is timed the same
 * way: seeded matrices, the MNIST split and the per-epoch batch order, the initial MLP weights, the
 * timing loop, peak-RSS readings and the one-line result protocol the driver (run.ts) reads.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Threading } from '@backprop/backend-cpu';

/** The driver finds a case's result as the one stdout line that starts with this marker. */
export const RESULT_MARKER = 'BENCH_RESULT ';

/** Matrix sizes of the matmul benchmark. */
export const MATMUL_SIZES = [128, 256, 512, 1024] as const;

/** What a case reports: figures per key, or why the library could not be measured here. */
export interface CaseResult {
  case: string;
  library: string;
  benchmark: Benchmark;
  status: 'ok' | 'unavailable' | 'failed';
  /** Why it is unavailable or failed. */
  reason?: string;
  /** Free-form notes (mode, configuration). */
  notes?: string[];
  /** matmul: GFLOP/s per size (median of the in-process repetitions), with their count and a correctness check. */
  matmul?: { size: number; gflops: number; reps: number; medianMs: number; maxAbsDiff: number | null }[];
  /** mlp: the training figures. */
  mlp?: MlpFigures;
  /** lenet: the training figures (LeNet-5 on the MLP's split, batch order and protocol). */
  lenet?: MlpFigures;
  /** conv2d: forward + backward per shape (src/cnn.ts). */
  conv2d?: Conv2dRow[];
}

/** The benchmarks: a case's id starts with its name. */
export type Benchmark = 'matmul' | 'mlp' | 'lenet' | 'conv2d';

/** One conv2d shape's figures: fwd+bwd milliseconds (median), GFLOP/s (3 × forward FLOPs), and a checksum. */
export interface Conv2dRow {
  shape: string;
  medianMs: number;
  gflops: number;
  reps: number;
  /** Σ of the weight gradient: the same for every library up to float32 rounding. */
  gradWeightSum: number;
}

export interface MlpFigures {
  /** Epochs trained: `MLP.epochs`, or fewer for a library too slow for the full run (the report says so). */
  epochs: number;
  /** Training samples per second over epochs 2–`epochs` (epoch 1 is the warm-up). */
  samplesPerSec: number;
  /** Seconds per epoch, epochs 1–`epochs`. */
  epochSeconds: number[];
  /** Mean training loss per epoch (as each library reports it). */
  epochLoss: number[];
  /** Held-out accuracy after the last epoch. */
  testAccuracy: number;
  /** Peak RSS (MiB) of the whole process (data loading included). */
  peakRssMiB: number;
  /** Peak RSS (MiB) during training only: the high-water mark is reset (/proc/self/clear_refs) after the data is loaded. */
  trainPeakRssMiB: number | null;
  /** RSS (MiB) when training started. */
  startRssMiB: number;
}

/** Prints the result line for the driver and exits. */
export function report(result: CaseResult): never {
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
  process.exit(0);
}

/** Runs a case body, turning a thrown error into a `failed` result (or `unavailable` when `isUnavailable` says so). */
export async function runCase(
  base: Pick<CaseResult, 'case' | 'library' | 'benchmark'>,
  body: () => Promise<Omit<CaseResult, 'case' | 'library' | 'benchmark' | 'status'>>,
): Promise<never> {
  try {
    const rest = await body();
    return report({ ...base, status: 'ok', ...rest });
  } catch (error) {
    const e = error as Error & { unavailable?: boolean };
    return report({
      ...base,
      status: e.unavailable ? 'unavailable' : 'failed',
      reason: e.message?.split('\n')[0] ?? String(error),
    });
  }
}

/** An error meaning "this library cannot run here", reported as `unavailable` with its message. */
export function unavailable(message: string): Error {
  return Object.assign(new Error(message), { unavailable: true });
}

/** mulberry32: a tiny seeded generator, so every library multiplies the same matrices. */
export function seededUniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two n×n matrices with entries in [-1, 1), the same for every library. */
export function matmulInputs(n: number): [Float32Array, Float32Array] {
  const rand = seededUniform(n);
  const a = new Float32Array(n * n);
  const b = new Float32Array(n * n);
  for (let i = 0; i < a.length; i++) a[i] = rand() * 2 - 1;
  for (let i = 0; i < b.length; i++) b[i] = rand() * 2 - 1;
  return [a, b];
}

/** The baseline: C = A·B for square n×n matrices with the cache-friendly i-k-j loop order. */
export function naiveMatmul(a: Float32Array, b: Float32Array, n: number): Float32Array {
  const c = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const cRow = i * n;
    for (let k = 0; k < n; k++) {
      const aik = a[cRow + k];
      const bRow = k * n;
      for (let j = 0; j < n; j++) c[cRow + j] += aik * b[bRow + j];
    }
  }
  return c;
}

/** Largest |x − y| over two arrays of equal length. */
export function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
  return max;
}

/** The sizes a matmul case runs: `--sizes=512,1024,…` (as bench/gpu passes), else `MATMUL_SIZES`. */
export function matmulSizes(): number[] {
  const arg = caseArgs().values.sizes;
  return arg ? arg.split(',').map(Number) : [...MATMUL_SIZES];
}

/** How long each size runs untimed before its timed runs. */
export const MATMUL_WARMUP_MS = 300;

/** Repetitions per size: enough for a median, few enough to keep a run short. */
export function matmulReps(n: number, quick: boolean): number {
  if (quick) return n >= 512 ? 2 : 4;
  return n >= 1024 ? 3 : n >= 512 ? 5 : 9;
}

/** Options the driver passes to a case as `--key=value` arguments. */
export function caseArgs(): { quick: boolean; values: Record<string, string> } {
  const values: Record<string, string> = {};
  for (const arg of process.argv.slice(2)) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    if (m) values[m[1]] = m[2] ?? 'true';
  }
  return { quick: values.quick === 'true', values };
}

/**
 * Times `multiply(n)` (which must return C = A·B for `matmulInputs(n)` when asked to, reading the
 * result back so asynchronous libraries finish their work) for every size: untimed runs for
 * `MATMUL_WARMUP_MS`, then the median of `matmulReps` timed runs. A run taking longer than `budgetMs` ends that size's reps early.
 * Slow libraries may skip sizes by returning null from `multiply` setup.
 */
export async function timeMatmul(
  quick: boolean,
  setup: (
    n: number,
    a: Float32Array,
    b: Float32Array,
  ) => Promise<{ run: () => Promise<Float32Array | null> | Float32Array | null; free?: () => void } | null>,
  budgetMs = quick ? 4000 : 8000,
): Promise<NonNullable<CaseResult['matmul']>> {
  const rows: NonNullable<CaseResult['matmul']> = [];
  for (const n of matmulSizes()) {
    const [a, b] = matmulInputs(n);
    const prepared = await setup(n, a, b);
    if (prepared === null) continue;
    const first = await prepared.run();
    // The correctness check against the naive loop costs too much at the largest size.
    const diff = first !== null && n <= 512 ? maxAbsDiff(first, naiveMatmul(a, b, n)) : null;
    // JavaScript kernels reach V8's optimised code only after many calls: warm every library up
    // for the same time, so that the timed runs measure steady state, not the JIT's tiers.
    const warmStart = performance.now();
    while (performance.now() - warmStart < MATMUL_WARMUP_MS) await prepared.run();
    const times: number[] = [];
    let spent = 0;
    for (let r = 0; r < matmulReps(n, quick); r++) {
      const start = performance.now();
      await prepared.run();
      const ms = performance.now() - start;
      times.push(ms);
      spent += ms;
      if (spent > budgetMs && times.length >= 1) break;
    }
    prepared.free?.();
    const ms = median(times);
    rows.push({
      size: n,
      gflops: (2 * n ** 3) / (ms / 1000) / 1e9,
      reps: times.length,
      medianMs: ms,
      maxAbsDiff: diff,
    });
  }
  return rows;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

// ---------------------------------------------------------------------------------------------
// The MLP benchmark
// ---------------------------------------------------------------------------------------------

export const MLP = {
  sizes: [784, 128, 10] as const,
  batchSize: 64,
  lr: 0.1,
  epochs: 5,
  train: 8000,
  test: 2000,
  seed: 0,
} as const;

/** Resident set size now, in MiB (VmRSS). */
export function rssMiB(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

/** Peak RSS of the process so far, in MiB: VmHWM where /proc has it, else `resourceUsage().maxRSS`. */
export function peakRssMiB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Resets the peak-RSS high-water mark to the current RSS (Linux ≥ 4.0); false where it cannot. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** The MNIST split every library trains on: @backprop/data's seeded, stratified 8,000/2,000 split. */
export interface MnistSplit {
  trainX: Float32Array;
  trainY: Int32Array;
  testX: Float32Array;
  testY: Int32Array;
}

export async function loadSplit(): Promise<MnistSplit> {
  const { loadMnist } = await import('@backprop/data');
  const { train, test } = loadMnist({ train: MLP.train, test: MLP.test, seed: MLP.seed });
  return {
    trainX: Float32Array.from(train.x),
    trainY: Int32Array.from(train.y),
    testX: Float32Array.from(test.x),
    testY: Int32Array.from(test.y),
  };
}

/** The order of the training samples in `epoch` (0-based): a seeded Fisher–Yates permutation, the same for every library. */
export function epochOrder(epoch: number, n: number): Int32Array {
  const rand = seededUniform(1000 + epoch);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/**
 * The initial weights every library starts from: PyTorch's default for Linear, U(±1/√fanIn) for the
 * weight and the bias, drawn from a seeded generator. Weights are [out, in] row-major (PyTorch's layout).
 */
export function initialWeights(): { w: Float32Array; b: Float32Array; inF: number; outF: number }[] {
  const rand = seededUniform(42);
  const layers = [];
  for (let l = 0; l + 1 < MLP.sizes.length; l++) {
    const inF = MLP.sizes[l];
    const outF = MLP.sizes[l + 1];
    const bound = 1 / Math.sqrt(inF);
    const w = new Float32Array(outF * inF);
    for (let i = 0; i < w.length; i++) w[i] = (rand() * 2 - 1) * bound;
    const b = new Float32Array(outF);
    for (let i = 0; i < b.length; i++) b[i] = (rand() * 2 - 1) * bound;
    layers.push({ w, b, inF, outF });
  }
  return layers;
}

/** Transposes a row-major rows×cols matrix. */
export function transposed(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = x[r * cols + c];
  return out;
}

/** One batch: rows `order[start..start+size)` of the training data, copied into fresh arrays. */
export function gatherBatch(
  x: Float32Array,
  y: Int32Array,
  order: Int32Array,
  start: number,
  size: number,
): { x: Float32Array; y: Int32Array } {
  const d = MLP.sizes[0];
  const bx = new Float32Array(size * d);
  const by = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const s = order[start + i];
    bx.set(x.subarray(s * d, (s + 1) * d), i * d);
    by[i] = y[s];
  }
  return { x: bx, y: by };
}

/** Accuracy of predicted class indices against labels. */
export function accuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  let hit = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) hit++;
  return hit / labels.length;
}

/** Argmax of each row of a rows×cols matrix. */
export function argmaxRows(values: ArrayLike<number>, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (values[r * cols + c] > values[r * cols + best]) best = c;
    out[r] = best;
  }
  return out;
}

/**
 * The training protocol: loads the split, lets the library build its model, resets the RSS
 * high-water mark, runs `MLP.epochs` epochs (or `options.epochs`, at least 2, for a library too slow
 * for the full run) of `step(batch)` over the shared batch order (timing each), then evaluates.
 * `step` returns the batch loss (or null when the library does not report it per step).
 * `options.batchSize` (default `MLP.batchSize`) is the batch size (bench/gpu runs 64, 256 and 1024).
 * `options.samples` trains each epoch on the first that many samples of its order (LeNet: an epoch
 * of the whole split would take minutes on a busy machine); the held-out set stays whole.
 */
export async function trainMlp(
  lib: {
    build: (split: MnistSplit) => Promise<void> | void;
    step: (x: Float32Array, y: Int32Array, size: number) => Promise<number | null> | number | null;
    /** Runs a whole epoch itself (for libraries that only train through their own loop); overrides `step`. */
    epoch?: (order: Int32Array) => Promise<number> | number;
    /**
     * Called after an epoch's last step, before its clock stops (so queued device work is timed):
     * the epoch's mean loss, for a library whose `step` returns null and reads the loss once per epoch.
     */
    endEpoch?: () => Promise<number> | number;
    predict: (x: Float32Array, rows: number) => Promise<Int32Array> | Int32Array;
  },
  options: { epochs?: number; batchSize?: number; samples?: number } = {},
): Promise<MlpFigures> {
  const epochs = Math.max(2, options.epochs ?? MLP.epochs);
  const batchSize = options.batchSize ?? MLP.batchSize;
  const split = await loadSplit();
  await lib.build(split);
  (globalThis as { gc?: () => void }).gc?.();
  const startRssMiB = rssMiB();
  const loadPeak = peakRssMiB();
  const reset = resetPeakRss();
  const total = split.trainY.length;
  const n = Math.min(options.samples ?? total, total);
  const epochSeconds: number[] = [];
  const epochLoss: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const order = epochOrder(e, total);
    const start = performance.now();
    let lossSum = 0;
    let lossCount = 0;
    if (lib.epoch) {
      lossSum = await lib.epoch(order);
      lossCount = 1;
    } else {
      for (let s = 0; s < n; s += batchSize) {
        const size = Math.min(batchSize, n - s);
        const batch = gatherBatch(split.trainX, split.trainY, order, s, size);
        const loss = await lib.step(batch.x, batch.y, size);
        if (loss !== null) {
          lossSum += loss;
          lossCount++;
        }
      }
      if (lib.endEpoch) {
        lossSum = await lib.endEpoch();
        lossCount = 1;
      }
    }
    epochSeconds.push((performance.now() - start) / 1000);
    epochLoss.push(lossCount > 0 ? lossSum / lossCount : Number.NaN);
  }
  const trainPeak = reset ? peakRssMiB() : null;
  const predicted = await lib.predict(split.testX, split.testY.length);
  const timed = epochSeconds.slice(1);
  return {
    epochs,
    samplesPerSec: (n * timed.length) / timed.reduce((s, t) => s + t, 0),
    epochSeconds,
    epochLoss,
    testAccuracy: accuracy(predicted, split.testY),
    peakRssMiB: Math.max(loadPeak, peakRssMiB()),
    trainPeakRssMiB: trainPeak,
    startRssMiB,
  };
}

/** The cpu backend's threads as a case's note: asked for, and what the large products ran on. */
export function cpuThreadsNote({ requested, threads, note }: Threading): string {
  const ran =
    threads > 1
      ? `products large enough to split on ${threads}`
      : requested > 1 && note === null
        ? 'no product large enough to split, so no workers started'
        : 'everything on the calling thread';
  return `cpu backend: ${requested} thread(s) asked for, ${ran}${note ? ` (${note})` : ''}`;
}
