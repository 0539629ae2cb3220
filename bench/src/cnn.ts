/**
 * What the convolution benchmarks share, so that every library gets the same inputs: the LeNet-5
 * network and its seeded initial weights (in PyTorch's layouts, with the conversions TensorFlow.js's
 * channels-last layers need), and the conv2d shapes with their seeded operands and timing loop.
 * The LeNet training protocol itself is common.ts's `trainMlp` (the same split, batch order and
 * figures as the MLP benchmark); only the network and the epoch count differ.
 */
import { type Conv2dRow, caseArgs, median, seededUniform } from './common.js';

/**
 * LeNet-5 as PyTorch users write it (ReLU, max pooling): conv 5×5 6 maps padded to 28×28 → pool 2 →
 * conv 5×5 16 maps → pool 2 → 400 → 120 → 84 → 10; softmax cross-entropy, plain SGD, batch 64.
 */
export const LENET = {
  image: 28,
  conv1: 6,
  conv2: 16,
  kernel: 5,
  hidden: [120, 84] as const,
  classes: 10,
  /** Spatial size after the second pool: (28 / 2 − 4) / 2. */
  feature: 5,
  batchSize: 64,
  lr: 0.1,
  /** Epoch 1 is the warm-up; samples/s is over epochs 2–3. */
  epochs: 3,
  /**
   * Samples per epoch: the first 2,048 of each epoch's order (32 batches), since a LeNet step costs
   * about 20× an MLP step and a whole-split epoch takes minutes on a busy 2-core machine.
   */
  samples: 2048,
} as const;

/** The epochs a LeNet case trains: `LENET.epochs`, or `--epochs=N` (at least 2). */
export function lenetEpochs(): number {
  const arg = caseArgs().values.epochs;
  return arg ? Math.max(2, Number(arg)) : LENET.epochs;
}

/**
 * Samples per LeNet epoch: `LENET.samples`, or `--samples=N` for a library too slow for that
 * (tfjs-cpu's conv2d gradients take about a second per batch); samples/s stays comparable.
 */
export function lenetSamples(): number {
  const arg = caseArgs().values.samples;
  return arg ? Math.max(LENET.batchSize, Number(arg)) : LENET.samples;
}

/** One layer's initial parameters in PyTorch's layout: conv [out, in, kH, kW], linear [out, in]. */
export interface LayerInit {
  kind: 'conv' | 'linear';
  shape: number[];
  w: Float32Array;
  b: Float32Array;
}

/**
 * LeNet's initial weights, the same for every library: PyTorch's default for Conv2d and Linear,
 * U(±1/√fanIn) for weight and bias (fanIn = in·kH·kW), from a seeded generator.
 */
export function lenetInitialWeights(): LayerInit[] {
  const rand = seededUniform(43);
  const { conv1, conv2, kernel, hidden, classes, feature } = LENET;
  const shapes: [LayerInit['kind'], number[]][] = [
    ['conv', [conv1, 1, kernel, kernel]],
    ['conv', [conv2, conv1, kernel, kernel]],
    ['linear', [hidden[0], conv2 * feature * feature]],
    ['linear', [hidden[1], hidden[0]]],
    ['linear', [classes, hidden[1]]],
  ];
  return shapes.map(([kind, shape]) => {
    const fanIn = shape.slice(1).reduce((a, b) => a * b, 1);
    const bound = 1 / Math.sqrt(fanIn);
    const w = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < w.length; i++) w[i] = (rand() * 2 - 1) * bound;
    const b = new Float32Array(shape[0]);
    for (let i = 0; i < b.length; i++) b[i] = (rand() * 2 - 1) * bound;
    return { kind, shape, w, b };
  });
}

/** A conv weight [out, in, kH, kW] (PyTorch) as [kH, kW, in, out] (TensorFlow.js's conv2d filter). */
export function convKernelHwio(w: Float32Array, [o, i, kh, kw]: number[]): Float32Array {
  const out = new Float32Array(w.length);
  for (let a = 0; a < o; a++)
    for (let b = 0; b < i; b++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++) out[((y * kw + x) * i + b) * o + a] = w[((a * i + b) * kh + y) * kw + x];
  return out;
}

/**
 * The first linear layer's weight [out, C·H·W] (PyTorch flattens channels-first) as a dense kernel
 * [H·W·C, out] (TensorFlow.js flattens its channels-last maps), so both compute the same function.
 */
export function denseKernelFromChw(
  w: Float32Array,
  out: number,
  c: number,
  h: number,
  wd: number,
): Float32Array {
  const k = new Float32Array(w.length);
  for (let o = 0; o < out; o++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < wd; x++)
          k[((y * wd + x) * c + ch) * out + o] = w[o * c * h * wd + (ch * h + y) * wd + x];
  return k;
}

/** Images [N, 28·28] (channel-first and channel-last are the same for one channel). */
export const LENET_INPUT = LENET.image * LENET.image;

// ---------------------------------------------------------------------------------------------
// The conv2d benchmark
// ---------------------------------------------------------------------------------------------

/** A conv2d shape: input [N, C, H, W], weight [O, C, kH, kW], symmetric zero padding, stride 1. */
export interface Conv2dShape {
  label: string;
  x: [number, number, number, number];
  w: [number, number, number, number];
  padding: number;
}

/** LeNet's two convolutions at batch 64, and a ResNet-style 3×3 layer. */
export const CONV2D_SHAPES: readonly Conv2dShape[] = [
  { label: '[64,1,28,28]×[6,1,5,5] pad 2', x: [64, 1, 28, 28], w: [6, 1, 5, 5], padding: 2 },
  { label: '[64,6,12,12]×[16,6,5,5]', x: [64, 6, 12, 12], w: [16, 6, 5, 5], padding: 0 },
  { label: '[32,64,32,32]×[64,64,3,3] pad 1', x: [32, 64, 32, 32], w: [64, 64, 3, 3], padding: 1 },
];

/** Output [N, O, Ho, Wo] of a shape. */
export function conv2dOutShape(s: Conv2dShape): [number, number, number, number] {
  const [n, , h, w] = s.x;
  const [o, , kh, kw] = s.w;
  return [n, o, h + 2 * s.padding - kh + 1, w + 2 * s.padding - kw + 1];
}

/** Multiply-adds ×2 of the forward pass; forward + both gradients is three times that. */
export function conv2dForwardFlops(s: Conv2dShape): number {
  const [n, o, ho, wo] = conv2dOutShape(s);
  const [, c, kh, kw] = s.w;
  return 2 * n * o * ho * wo * c * kh * kw;
}

/**
 * The operands of one shape in NCHW / OIHW: x and w uniform in [-1, 1), and the upstream gradient
 * g of the output (so that the backward pass does real work, not a sum's ones).
 */
export function conv2dInputs(s: Conv2dShape): { x: Float32Array; w: Float32Array; g: Float32Array } {
  const rand = seededUniform(s.x.reduce((a, b) => a * 31 + b, 7));
  const fill = (n: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = rand() * 2 - 1;
    return a;
  };
  const size = (d: number[]) => d.reduce((a, b) => a * b, 1);
  return { x: fill(size(s.x)), w: fill(size(s.w)), g: fill(size(conv2dOutShape(s))) };
}

/** An NCHW array as NHWC (TensorFlow.js's layout). */
export function nchwToNhwc(a: Float32Array, [n, c, h, w]: number[]): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < n; i++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) out[((i * h + y) * w + x) * c + ch] = a[((i * c + ch) * h + y) * w + x];
  return out;
}

/**
 * Times `run()` for every shape: it must compute conv2d forward, then the gradients of Σ(g ⊙ y)
 * with respect to x and w, and return Σ dW (reading results back, so that lazy libraries finish).
 * One warm-up, then the median of up to 7 timed runs (3 with `--quick`) within a time budget.
 */
export async function timeConv2d(
  quick: boolean,
  setup: (s: Conv2dShape) => Promise<{ run: () => Promise<number> | number; free?: () => void }>,
): Promise<Conv2dRow[]> {
  const rows: Conv2dRow[] = [];
  for (const s of CONV2D_SHAPES) {
    const prepared = await setup(s);
    const budget = quick ? 4000 : 10_000;
    const warmStart = performance.now();
    const gradWeightSum = await prepared.run();
    const warmMs = performance.now() - warmStart;
    // A shape whose first run alone takes half the budget (a slow library at the largest shape)
    // is timed by that run: a second one would double the case's time for little precision.
    const times: number[] = warmMs > budget / 2 ? [warmMs] : [];
    let spent = 0;
    for (let r = times.length; r < (quick ? 3 : 7) && spent <= budget; r++) {
      const start = performance.now();
      await prepared.run();
      const ms = performance.now() - start;
      times.push(ms);
      spent += ms;
    }
    prepared.free?.();
    const ms = median(times);
    rows.push({
      shape: s.label,
      medianMs: ms,
      gflops: (3 * conv2dForwardFlops(s)) / (ms / 1000) / 1e9,
      reps: times.length,
      gradWeightSum,
    });
  }
  return rows;
}
