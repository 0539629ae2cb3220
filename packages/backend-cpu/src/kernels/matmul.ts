/**
 * Single-precision matrix product, blocked the way BLAS libraries are (Goto's algorithm, in
 * gemm-loop.ts): the operands are copied into small packed panels sized for the caches, and a
 * macro-kernel keeps a 4×8 register tile of sums while it streams the panels. Packing and
 * macro-kernel are WebAssembly SIMD where the runtime has it (the operands are copied into the
 * module's memory first), JavaScript elsewhere; large products run on the worker pool when there
 * is one.
 */

import { allocArray } from '@backprop/core';
import type { Allocate } from '../recycler.js';
import {
  copyOperandsIn,
  GEMM_JOB_LENGTH,
  gemmJob,
  gemmShare,
  heapPacker,
  heapPlacement,
  type MacroKernel,
  type MatrixView,
  type Product,
  packPanels,
  paddedRowLength,
} from './gemm-loop.js';
import { jsMacroKernel } from './js-macro-kernel.js';
import { simdHere } from './simd-here.js';

export type { MatrixView, Product } from './gemm-loop.js';

/**
 * Kernels on several threads (the worker pool). Each returns false when it will not run (the work
 * is too small to pay for the hand-off, too large for the shared memory, or the pool has lost a
 * worker), and the caller then runs it on its own thread.
 */
export interface ParallelKernels {
  gemm(product: Product): boolean;
  /** Softmax (log-softmax when `log`) over the rows of the dense [rows, cols] `x` into `out`. */
  softmaxRows(x: Float32Array, out: Float32Array, rows: number, cols: number, log: boolean): boolean;
}

/** A macro-kernel, its packing and the heap they work in on this thread (grown on demand, never shared). */
export interface LocalKernel {
  path: 'wasm-simd' | 'javascript';
  macro: MacroKernel;
  /** `packPanels`, or the SIMD module's packing, over operands copied into the heap. */
  pack: typeof packPanels;
  /** The heap, grown to at least `floats` floats (a new view after growing). */
  heap(floats: number): Float32Array;
}

let localKernel: LocalKernel | undefined;

/** This thread's kernel, made once: SIMD where the runtime has it, else JavaScript. */
function kernelHere(): LocalKernel {
  localKernel ??= simdKernel() ?? javascriptKernel();
  return localKernel;
}

/** The SIMD module's macro-kernel and packing over this thread's instance; null where WebAssembly SIMD is missing. */
function simdKernel(): LocalKernel | null {
  const simd = simdHere();
  if (simd === null) return null;
  return {
    path: 'wasm-simd',
    macro: simd.macro,
    pack: heapPacker(simd.pack),
    heap: simd.heap,
  };
}

/** The JavaScript macro-kernel over a plain array, for runtimes without WebAssembly SIMD. */
export function javascriptKernel(): LocalKernel {
  let heap = new Float32Array(0);
  return {
    path: 'javascript',
    macro: jsMacroKernel(() => heap),
    pack: packPanels,
    heap(floats) {
      if (heap.length < floats) heap = new Float32Array(floats);
      return heap;
    },
  };
}

/** Which macro-kernel `gemm` runs in this runtime: WebAssembly SIMD, or plain JavaScript where SIMD is missing (or blocked by a content security policy). */
export function matmulPath(): 'wasm-simd' | 'javascript' {
  return kernelHere().path;
}

/**
 * C = A · B (see {@link Product}), on `parallel`'s threads when it takes the product, else on this
 * thread with `kernel`.
 */
export function gemm(
  product: Product,
  parallel: ParallelKernels | null = null,
  kernel: LocalKernel = kernelHere(),
): void {
  const { m, n, k, c, cOffset } = product;
  if (m === 0 || n === 0) return;
  if (k === 0) {
    c.fill(0, cOffset, cOffset + m * n);
    return;
  }
  // The pool runs the SIMD kernel only, so the JavaScript path never hands off.
  if (kernel.path === 'wasm-simd' && parallel?.gemm(product)) return;
  gemmHere(kernel, product);
}

/** A job for this thread alone, reused between calls. */
const localJob = new Int32Array(GEMM_JOB_LENGTH);

/**
 * The product on this thread: A and B are copied into the kernel's heap (where the SIMD module's
 * packing reads them), C is accumulated in float32 behind them, padded to whole 4×8 tiles, then
 * the packing scratch; the m×n result is then copied into `c`.
 */
function gemmHere(kernel: LocalKernel, product: Product): void {
  const { placement, floats } = heapPlacement(product, 1, false);
  const heap = kernel.heap(floats);
  copyOperandsIn(heap, product, placement);
  gemmJob(localJob, product, placement);
  gemmShare(kernel.macro, heap, heap, heap, localJob, 0, 1, kernel.pack);
  copyPaddedInto(heap, placement.cAt, product);
}

/**
 * Copies the m×n corner of the padded C at `from` (rows `paddedRowLength(n)` apart) into the
 * product's dense block of `c`.
 */
export function copyPaddedInto(heap: Float32Array, from: number, product: Product): void {
  const { m, n, c, cOffset } = product;
  const ldc = paddedRowLength(n);
  if (ldc === n) {
    c.set(heap.subarray(from, from + m * n), cOffset);
    return;
  }
  for (let i = 0; i < m; i++) c.set(heap.subarray(from + i * ldc, from + i * ldc + n), cOffset + i * n);
}

/**
 * Batched product of [B, M, K] (or [B, K, M] when `transposeA`) and [B, K, N] (or [B, N, K] when
 * `transposeB`) into a new [B, M, N] array.
 */
export function matmulKernel(
  a: Float32Array,
  aShape: readonly number[],
  b: Float32Array,
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
  parallel: ParallelKernels | null = null,
  alloc: Allocate = allocArray,
): Float32Array {
  const [batch, aRows, aCols] = aShape;
  const [, bRows, bCols] = bShape;
  const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const n = transposeB ? bRows : bCols;
  const out = alloc('float32', batch * m * n) as Float32Array;
  for (let i = 0; i < batch; i++) {
    const aView: MatrixView = {
      data: a,
      offset: i * m * k,
      rowStride: transposeA ? 1 : k,
      colStride: transposeA ? m : 1,
    };
    const bView: MatrixView = {
      data: b,
      offset: i * k * n,
      rowStride: transposeB ? 1 : n,
      colStride: transposeB ? k : 1,
    };
    gemm({ m, n, k, a: aView, b: bView, c: out, cOffset: i * m * n }, parallel);
  }
  return out;
}
