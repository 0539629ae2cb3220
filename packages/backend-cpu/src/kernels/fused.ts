import { allocArray, type FusedActivation, type GradActivation, type Shape } from '@backprop/core';
import type { Allocate } from '../recycler.js';
import { splitAtAxis } from './layout.js';
import { sigmoid } from './math.js';
import { gemm, type ParallelKernels } from './matmul.js';
import { ROWS_JOB_LENGTH, softmaxLine, softmaxRowsJob, softmaxRowsShare } from './softmax-rows.js';

/**
 * Calls `row(start, stride)` for every line of `shape` along `axis`: the line's elements are at
 * `start + r · stride` for r < shape[axis].
 */
function forEachLine(
  shape: Shape,
  axis: number,
  row: (start: number, stride: number, length: number) => void,
): void {
  const [outer, length, inner] = splitAtAxis(shape, axis);
  for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) row(o * length * inner + j, inner, length);
}

/** Softmax over `axis` (see `softmaxLine`). */
export function softmaxKernel(
  x: Float32Array,
  shape: Shape,
  axis: number,
  parallel: ParallelKernels | null = null,
  alloc: Allocate = allocArray,
): Float32Array {
  return softmaxOverAxis(x, shape, axis, false, parallel, alloc);
}

/** log(softmax(x)) over `axis` as x − logsumexp(x), finite even for logits of ±1e4. */
export function logSoftmaxKernel(
  x: Float32Array,
  shape: Shape,
  axis: number,
  parallel: ParallelKernels | null = null,
  alloc: Allocate = allocArray,
): Float32Array {
  return softmaxOverAxis(x, shape, axis, true, parallel, alloc);
}

/** A rows job for this thread alone, reused between calls. */
const localRowsJob = new Int32Array(ROWS_JOB_LENGTH);
const noTick = () => {};

/**
 * Softmax or log-softmax over `axis`, line by line. Over the last axis the lines are rows: on the
 * pool when it takes them, else on this thread, with the same line code either way (so the bits do
 * not depend on the thread count).
 */
function softmaxOverAxis(
  x: Float32Array,
  shape: Shape,
  axis: number,
  log: boolean,
  parallel: ParallelKernels | null,
  alloc: Allocate,
): Float32Array {
  const out = alloc('float32', x.length) as Float32Array;
  const [outer, length, inner] = splitAtAxis(shape, axis);
  if (inner === 1) {
    if (parallel?.softmaxRows(x, out, outer, length, log)) return out;
    softmaxRowsJob(localRowsJob, 0, 0, outer, length, log);
    softmaxRowsShare(x, out, localRowsJob, 0, 1, noTick, softmaxLine);
    return out;
  }
  forEachLine(shape, axis, (start, stride) => softmaxLine(x, out, start, start, stride, length, log));
  return out;
}

/** Maximum and log-sum-exp of one line, computed stably around the maximum. */
function logSumExp(x: Float32Array, start: number, stride: number, length: number): number {
  const end = start + length * stride;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = start; i < end; i += stride) max = Math.max(max, x[i]);
  // An all −∞ (or empty) line would give −∞ − −∞ = NaN below; its log-sum-exp is −∞.
  if (max === Number.NEGATIVE_INFINITY) return max;
  let sum = 0;
  for (let i = start; i < end; i += stride) sum += Math.exp(x[i] - max);
  return max + Math.log(sum);
}

/** Per-row cross-entropy of logits [N, C] against class indices: logsumexp(row) − row[label]. */
export function softmaxCrossEntropyKernel(
  logits: Float32Array,
  shape: Shape,
  labels: Int32Array,
): Float32Array {
  const [rows, classes] = shape;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++)
    out[r] = logSumExp(logits, r * classes, 1, classes) - logits[r * classes + labels[r]];
  return out;
}

/**
 * The gradient of softmax cross-entropy for logits [N, C]: (softmax(logits) − onehot(labels)) ·
 * g[:, None]. The softmax is the softmax kernel's (on the pool when it takes the rows), then the
 * label is subtracted and the row scaled in place, each rounded to float32 as core's composition is.
 */
export function softmaxCrossEntropyGradKernel(
  logits: Float32Array,
  shape: Shape,
  labels: Int32Array,
  g: Float32Array,
  parallel: ParallelKernels | null = null,
  alloc: Allocate = allocArray,
): Float32Array {
  const [rows, classes] = shape;
  const out = softmaxKernel(logits, shape, 1, parallel, alloc);
  for (let r = 0; r < rows; r++) {
    const row = r * classes;
    const scale = g[r];
    // Each store rounds to float32: the subtraction first, then the product, as the composition's two kernels.
    out[row + labels[r]] -= 1;
    for (let j = 0; j < classes; j++) out[row + j] *= scale;
  }
  return out;
}

/** One activation value, computed exactly as the unary kernel of the same name computes it. */
function activate(z: number, activation: FusedActivation): number {
  switch (activation) {
    case 'relu':
      return Math.max(z, 0);
    case 'sigmoid':
      return sigmoid(z);
    case 'tanh':
      return Math.tanh(z);
    default:
      return z;
  }
}

/**
 * `g · activation′` read from the activation's output `y`, in one pass: relu's `g · sign(y)`,
 * sigmoid's `g · y(1 − y)`, tanh's `g · (1 − y²)`, each operation rounded to float32 as core's
 * composition of unary and binary kernels rounds it, so the bits are the composition's.
 */
export function activationGradKernel(
  g: Float32Array,
  y: Float32Array,
  activation: GradActivation,
  alloc: Allocate = allocArray,
): Float32Array {
  const out = alloc('float32', g.length) as Float32Array;
  const n = g.length;
  if (activation === 'relu') for (let i = 0; i < n; i++) out[i] = g[i] * Math.sign(y[i]);
  else if (activation === 'sigmoid')
    for (let i = 0; i < n; i++) out[i] = g[i] * Math.fround(y[i] * Math.fround(1 - y[i]));
  else for (let i = 0; i < n; i++) out[i] = g[i] * Math.fround(1 - Math.fround(y[i] * y[i]));
  return out;
}

/**
 * `activation(x · weightᵀ + bias)` for x [M, K] and weight [N, K]: the blocked matmul reads the
 * weight transposed through its strides, then bias and activation are applied in one pass over the output.
 */
export function linearKernel(
  x: Float32Array,
  xShape: Shape,
  weight: Float32Array,
  weightShape: Shape,
  bias: Float32Array | null,
  activation: FusedActivation,
  parallel: ParallelKernels | null = null,
  alloc: Allocate = allocArray,
): Float32Array {
  const [m, k] = xShape;
  const n = weightShape[0];
  const out = alloc('float32', m * n) as Float32Array;
  const a = { data: x, offset: 0, rowStride: k, colStride: 1 };
  const b = { data: weight, offset: 0, rowStride: 1, colStride: k };
  gemm({ m, n, k, a, b, c: out, cOffset: 0 }, parallel);
  if (bias === null && activation === 'none') return out;
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) {
      // Round the affine value to float32 first, so the result matches the composed ops bit for bit.
      const z = Math.fround(out[row + j] + (bias === null ? 0 : bias[j]));
      out[row + j] = activate(z, activation);
    }
  }
  return out;
}
