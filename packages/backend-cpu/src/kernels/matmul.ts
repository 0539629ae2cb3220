/**
 * Single-precision matrix product in plain TypeScript, blocked the way BLAS libraries are
 * (Goto's algorithm): the operands are copied into small packed panels sized for the caches, and
 * a 4×4 micro-kernel keeps sixteen running sums in registers while it streams one 4-row panel of A
 * against one 4-column panel of B. Every value it loads is used four times, against once in the
 * naive loop, and the panels are read sequentially from cache. Panels hold doubles: each float is
 * widened once when packed rather than at every use, and the running sums are doubles.
 */

import { allocArray } from '@backprop/core';
import type { Allocate } from '../recycler.js';
import {
  GEMM_JOB_LENGTH,
  gemmJob,
  type MacroKernel,
  packPanels,
  SIMD_PACK_FLOATS,
  simdGemmShare,
} from './simd-gemm.js';
import { macroKernelModuleBytes } from './simd-macro-kernel.js';

/** Rows of A and columns of B per micro-kernel call: the 4×4 register tile. */
const MR = 4;
const NR = 4;
/** Depth of a block: a 4×KC panel of A and one of B (8 KiB each as doubles) stay in L1 while the micro-kernel runs. */
const KC = 256;
/** Rows of A packed at once: MC×KC doubles (128 KiB) stay in L2 while the panels of B stream past. */
const MC = 64;
/** Columns of B packed at once: KC×NC doubles (2 MiB), for the last-level cache. */
const NC = 1024;

/** `x` rounded up to a whole number of `multiple`s (tiles are padded to full size). */
const roundUp = (x: number, multiple: number) => Math.ceil(x / multiple) * multiple;

/** A dense matrix inside a flat array: element (r, c) is `data[offset + r * rowStride + c * colStride]`. */
export interface MatrixView {
  data: Float32Array;
  offset: number;
  rowStride: number;
  colStride: number;
}

/**
 * C[i0.., j0..] += (packed A panel) · (packed B panel) over `kc` steps, for the `rows`×`cols` corner
 * that lies inside C (the padded rest of the 4×4 tile is computed and dropped).
 */
// biome-ignore format: the sixteen sums are laid out as the 4×4 tile they are.
function microKernel(
  kc: number,
  pa: Float64Array,
  aAt: number,
  pb: Float64Array,
  bAt: number,
  c: Float32Array,
  cAt: number,
  ldc: number,
  rows: number,
  cols: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ai = aAt;
  let bi = bAt;
  for (let p = 0; p < kc; p++) {
    const a0 = pa[ai];
    const a1 = pa[ai + 1];
    const a2 = pa[ai + 2];
    const a3 = pa[ai + 3];
    const b0 = pb[bi];
    const b1 = pb[bi + 1];
    const b2 = pb[bi + 2];
    const b3 = pb[bi + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    ai += MR;
    bi += NR;
  }
  if (rows === MR && cols === NR) {
    let at = cAt;
    c[at] += c00; c[at + 1] += c01; c[at + 2] += c02; c[at + 3] += c03;
    at += ldc;
    c[at] += c10; c[at + 1] += c11; c[at + 2] += c12; c[at + 3] += c13;
    at += ldc;
    c[at] += c20; c[at + 1] += c21; c[at + 2] += c22; c[at + 3] += c23;
    at += ldc;
    c[at] += c30; c[at + 1] += c31; c[at + 2] += c32; c[at + 3] += c33;
    return;
  }
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) c[cAt + r * ldc + j] += tile[r * NR + j];
}

/**
 * Packing buffers, kept between calls: a training step makes many small products, and two fresh
 * zeroed arrays per product (up to 2 MiB for B) cost more than the arithmetic of the smallest ones.
 * gemm never re-enters itself, so one pair serves every call; the padded tail of a panel is always
 * written by the packing, so stale contents are never read.
 */
let packBufferA = new Float64Array(0);
let packBufferB = new Float64Array(0);

function scratchA(size: number): Float64Array {
  if (packBufferA.length < size) packBufferA = new Float64Array(size);
  return packBufferA;
}

function scratchB(size: number): Float64Array {
  if (packBufferB.length < size) packBufferB = new Float64Array(size);
  return packBufferB;
}

/**
 * Runs a SIMD gemm on several threads (the worker pool). `gemm` returns false when it will not
 * (the product is too small to pay for the hand-off, or too large for its shared memory), and the
 * caller then runs the product on its own thread.
 */
export interface ParallelGemm {
  gemm(
    m: number,
    n: number,
    k: number,
    a: MatrixView,
    b: MatrixView,
    c: Float32Array,
    cOffset: number,
  ): boolean;
}

/**
 * C += A · B for an m×k matrix A and a k×n matrix B given as views (a transposed operand is the
 * same data with its strides swapped), into the dense row-major m×n block of `c` at `cOffset`
 * (which must hold zeros: the SIMD path writes its sum there). Runs the WebAssembly SIMD
 * macro-kernel where the runtime has it, on `parallel`'s threads when it takes the product, else
 * the JavaScript one.
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  b: MatrixView,
  c: Float32Array,
  cOffset: number,
  parallel: ParallelGemm | null = null,
): void {
  if (m === 0 || n === 0 || k === 0) return;
  const simd = simdMacroKernel();
  if (!simd) gemmScalar(m, n, k, a, b, c, cOffset);
  else if (!parallel?.gemm(m, n, k, a, b, c, cOffset)) gemmSimd(simd, m, n, k, a, b, c, cOffset);
}

/** The JavaScript path: double-precision panels and the 4×4 micro-kernel above. */
export function gemmScalar(
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  b: MatrixView,
  c: Float32Array,
  cOffset: number,
): void {
  const kcMax = Math.min(k, KC);
  const packedA = scratchA(roundUp(Math.min(m, MC), MR) * kcMax);
  const packedB = scratchB(roundUp(Math.min(n, NC), NR) * kcMax);
  const sizes = { mr: MR, nr: NR, mc: MC, nc: NC };
  forEachBlock(m, n, k, a, b, sizes, packedA, packedB, (i0, mc, j0, nc, kc) => {
    for (let jr = 0; jr < nc; jr += NR) {
      const cols = Math.min(NR, nc - jr);
      for (let ir = 0; ir < mc; ir += MR) {
        const rows = Math.min(MR, mc - ir);
        microKernel(
          kc,
          packedA,
          ir * kc,
          packedB,
          jr * kc,
          c,
          cOffset + (i0 + ir) * n + j0 + jr,
          n,
          rows,
          cols,
        );
      }
    }
  });
}

/** Register tile (mr × nr) and cache blocks (mc rows of A, nc columns of B) of one matmul path. */
interface Blocking {
  mr: number;
  nr: number;
  mc: number;
  nc: number;
}

/**
 * Goto's loop nest of the JavaScript path (simdGemmShare has its own): for each block of `nc` columns and `KC` depth, B is
 * packed once; then for each block of `mc` rows, A is packed and `block` multiplies the two.
 */
function forEachBlock(
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  b: MatrixView,
  sizes: Blocking,
  packedA: Float64Array,
  packedB: Float64Array,
  block: (i0: number, mc: number, j0: number, nc: number, kc: number) => void,
): void {
  for (let j0 = 0; j0 < n; j0 += sizes.nc) {
    const nc = Math.min(sizes.nc, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      // B is packed as Bᵀ (strides swapped), so that its columns become the rows of the panels.
      packPanels(b.data, b.offset, b.colStride, b.rowStride, j0, nc, p0, kc, sizes.nr, packedB, 0);
      for (let i0 = 0; i0 < m; i0 += sizes.mc) {
        const mc = Math.min(sizes.mc, m - i0);
        packPanels(a.data, a.offset, a.rowStride, a.colStride, i0, mc, p0, kc, sizes.mr, packedA, 0);
        block(i0, mc, j0, nc, kc);
      }
    }
  }
}

/** The SIMD macro-kernel and the (unshared) memory it works in on this thread. */
interface SimdKernel {
  macro: MacroKernel;
  memory: WebAssembly.Memory;
}

let simdKernel: SimdKernel | null | undefined;

/** The SIMD macro-kernel, compiled once (synchronously: the module is under a kilobyte); null where WebAssembly SIMD is missing. */
function simdMacroKernel(): SimdKernel | null {
  if (simdKernel === undefined) simdKernel = compileSimdMacroKernel();
  return simdKernel;
}

function compileSimdMacroKernel(): SimdKernel | null {
  const bytes = macroKernelModuleBytes();
  if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(bytes)) return null;
  try {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    return { macro: instance.exports.macro as MacroKernel, memory };
  } catch {
    // A content security policy without 'wasm-unsafe-eval' forbids compiling: use the JavaScript path.
    return null;
  }
}

/** Which path `gemm` takes in this runtime: WebAssembly SIMD, or plain JavaScript where SIMD is missing (or blocked by a content security policy). */
export function matmulPath(): 'wasm-simd' | 'javascript' {
  return simdMacroKernel() ? 'wasm-simd' : 'javascript';
}

/** The rows of C the SIMD path works on: n rounded up to whole 8-column tiles. */
export const simdRowLength = (n: number) => roundUp(n, 8);

/** Floats of C the SIMD path works on: m×n padded to whole 4×8 tiles. */
export const simdCFloats = (m: number, n: number) => roundUp(m, 4) * simdRowLength(n);

/** A job for this thread alone, reused between calls. */
const localJob = new Int32Array(GEMM_JOB_LENGTH);

/**
 * The SIMD path on this thread: C is accumulated in float32 in WebAssembly memory, padded to whole
 * 4×8 tiles, with the packing scratch behind it; the m×n result is then copied into `c`.
 */
function gemmSimd(
  kernel: SimdKernel,
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  b: MatrixView,
  c: Float32Array,
  cOffset: number,
): void {
  const ldc = simdRowLength(n);
  const cSize = simdCFloats(m, n);
  const floats = cSize + SIMD_PACK_FLOATS;
  const needed = Math.ceil((floats * 4) / 65536) - kernel.memory.buffer.byteLength / 65536;
  if (needed > 0) kernel.memory.grow(needed);
  const heap = new Float32Array(kernel.memory.buffer);
  heap.fill(0, 0, cSize);
  gemmJob(localJob, {
    m,
    n,
    k,
    aOffset: a.offset,
    aRowStride: a.rowStride,
    aColStride: a.colStride,
    bOffset: b.offset,
    bRowStride: b.rowStride,
    bColStride: b.colStride,
    cAt: 0,
    ldc,
    packAt: cSize,
    packStride: SIMD_PACK_FLOATS,
    splitColumns: false,
  });
  simdGemmShare(kernel.macro, heap, a.data, b.data, localJob, 0, 1, packPanels);
  copyPaddedInto(heap, 0, ldc, m, n, c, cOffset);
}

/**
 * Copies the m×n corner of the padded block at `from` (rows `ldc` apart) into the dense m×n block
 * of `c` at `cOffset`, which held zeros: a copy of the sum rather than an add onto it.
 */
export function copyPaddedInto(
  heap: Float32Array,
  from: number,
  ldc: number,
  m: number,
  n: number,
  c: Float32Array,
  cOffset: number,
): void {
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
  parallel: ParallelGemm | null = null,
  allocZeroed: Allocate = allocArray,
): Float32Array {
  const [batch, aRows, aCols] = aShape;
  const [, bRows, bCols] = bShape;
  const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const n = transposeB ? bRows : bCols;
  const out = allocZeroed('float32', batch * m * n) as Float32Array;
  for (let i = 0; i < batch; i++) {
    gemm(
      m,
      n,
      k,
      { data: a, offset: i * m * k, rowStride: transposeA ? 1 : k, colStride: transposeA ? m : 1 },
      { data: b, offset: i * k * n, rowStride: transposeB ? 1 : n, colStride: transposeB ? k : 1 },
      out,
      i * m * n,
      parallel,
    );
  }
  return out;
}
