/**
 * The one blocked matmul loop (Goto's algorithm) over one thread's share of the output: for each
 * block of NC columns and KC depth B is packed once, then for each block of MC rows A is packed
 * and a macro-kernel multiplies the two panels into C. The same code runs on the calling thread and
 * in the worker pool's threads, with the WebAssembly SIMD module (simd-module.ts: its
 * macro-kernel, and its packing over operands copied into its memory) or, where SIMD is missing,
 * the JavaScript macro-kernel (js-macro-kernel.ts) and `packPanels`: the pool sends the source text
 * of `packPanels`, `heapPacker` and `gemmShare` to its workers, so none may use anything but its
 * parameters and globals (no imports, no module constants, no nested functions: a bundler could
 * rename or wrap them).
 */

/**
 * A macro-kernel: C[mc×nc] += A panels · B panels over `kc` steps (C = … when `accumulate` is 0: the
 * first depth block), with `mc` a multiple of 4 and `nc` of 8; `pa`, `pb`, `pc` and `ldc` are byte
 * offsets and strides into the heap the panels and C lie in.
 */
export type MacroKernel = (
  mc: number,
  nc: number,
  kc: number,
  pa: number,
  pb: number,
  pc: number,
  ldc: number,
  accumulate: number,
) => void;

/** Cache blocking (the register tile, 4×8, is fixed by the macro-kernels). */
export const GEMM_BLOCKING = { mc: 64, nc: 512, kc: 256 } as const;

/** Floats of packing scratch each thread needs: one MC×KC panel block of A and one NC×KC of B. */
export const GEMM_PACK_FLOATS = (GEMM_BLOCKING.mc + GEMM_BLOCKING.nc) * GEMM_BLOCKING.kc;

/** A dense matrix inside a flat array: element (r, c) is `data[offset + r * rowStride + c * colStride]`. */
export interface MatrixView {
  data: Float32Array;
  offset: number;
  rowStride: number;
  colStride: number;
}

/**
 * One product C = A · B for an m×k matrix A and a k×n matrix B given as views (a transposed operand
 * is the same data with its strides swapped), written over the dense row-major m×n block of `c`
 * at `cOffset` (whatever it held).
 */
export interface Product {
  m: number;
  n: number;
  k: number;
  a: MatrixView;
  b: MatrixView;
  c: Float32Array;
  cOffset: number;
}

/** Where a job's operands lie in the arrays the shares index, and how the shares split C. */
export interface JobPlacement {
  /** Offsets of A and B in the arrays given to `gemmShare` (their views' own offsets, or where they were copied). */
  aOffset: number;
  bOffset: number;
  /** Float of the heap where C (padded to whole 4×8 tiles, rows `ldc` apart) starts. */
  cAt: number;
  /** Float of the heap where the packing scratch starts: `GEMM_PACK_FLOATS` per thread. */
  packAt: number;
  /** Split the work among threads by columns of C instead of rows. */
  splitColumns: boolean;
}

/** The rows of C the loop works on: n rounded up to whole 8-column tiles. */
export const paddedRowLength = (n: number) => Math.ceil(n / 8) * 8;

/** Floats of C the loop works on: m×n padded to whole 4×8 tiles. */
export const paddedCFloats = (m: number, n: number) => Math.ceil(m / 4) * 4 * paddedRowLength(n);

/** Length of a gemm job: the fields `gemmJob` writes and `gemmShare` reads, in this order. */
export const GEMM_JOB_LENGTH = 17;

/** Writes the job of `product` placed at `at` into `job` (at least `GEMM_JOB_LENGTH` long). */
export function gemmJob(job: Int32Array, product: Product, at: JobPlacement): void {
  const { m, n, k, a, b } = product;
  const { mc, nc, kc } = GEMM_BLOCKING;
  job.set([
    m,
    n,
    k,
    at.aOffset,
    a.rowStride,
    a.colStride,
    at.bOffset,
    b.rowStride,
    b.colStride,
    at.cAt,
    paddedRowLength(n),
    at.packAt,
    GEMM_PACK_FLOATS,
    at.splitColumns ? 1 : 0,
    mc,
    nc,
    kc,
  ]);
}

/**
 * Rows [r0, r0+count) × depth [p0, p0+kc) of the matrix whose element (r, p) is
 * `data[offset + r·rowStride + p·colStride]`, as panels of `width` (4 or 8) rows, depth-major, into
 * `packed` from index `at`; rows past the last are zero. B is packed as Bᵀ (strides swapped), so
 * that its columns become the rows of the panels.
 */
export function packPanels(
  data: Float32Array,
  offset: number,
  rowStride: number,
  colStride: number,
  r0: number,
  count: number,
  p0: number,
  kc: number,
  width: number,
  packed: Float32Array | Float64Array,
  at: number,
): void {
  let to = at;
  const s = rowStride;
  for (let ir = 0; ir < count; ir += width) {
    const rows = Math.min(width, count - ir);
    let base = offset + (r0 + ir) * rowStride + p0 * colStride;
    // Whole panels (all but the last; the macro-kernels take widths 4 and 8), unrolled: no padding
    // test and no inner loop per element (2.5× faster in V8 than a loop over r). The last is padded.
    if (rows === 8 && width === 8) {
      for (let p = 0; p < kc; p++, base += colStride, to += 8) {
        packed[to] = data[base];
        packed[to + 1] = data[base + s];
        packed[to + 2] = data[base + 2 * s];
        packed[to + 3] = data[base + 3 * s];
        packed[to + 4] = data[base + 4 * s];
        packed[to + 5] = data[base + 5 * s];
        packed[to + 6] = data[base + 6 * s];
        packed[to + 7] = data[base + 7 * s];
      }
    } else if (rows === 4 && width === 4) {
      for (let p = 0; p < kc; p++, base += colStride, to += 4) {
        packed[to] = data[base];
        packed[to + 1] = data[base + s];
        packed[to + 2] = data[base + 2 * s];
        packed[to + 3] = data[base + 3 * s];
      }
    } else {
      for (let p = 0; p < kc; p++, base += colStride, to += width) {
        for (let r = 0; r < rows; r++) packed[to + r] = data[base + r * s];
        for (let r = rows; r < width; r++) packed[to + r] = 0;
      }
    }
  }
}

/** The SIMD module's `pack` (simd-module.ts), on byte addresses and byte strides in its memory. */
export type HeapPack = (
  src: number,
  rowStride: number,
  colStride: number,
  count: number,
  kc: number,
  width: number,
  dst: number,
) => void;

/**
 * `packPanels` run by the SIMD module's `pack`, for operands that lie in the module's memory: `data`
 * and `packed` are that memory, so only the offsets matter.
 */
export function heapPacker(pack: HeapPack): typeof packPanels {
  return (_data, offset, rowStride, colStride, r0, count, p0, kc, width, _packed, at) =>
    pack(
      (offset + r0 * rowStride + p0 * colStride) * 4,
      rowStride * 4,
      colStride * 4,
      count,
      kc,
      width,
      at * 4,
    );
}

/** Elements from a view's first to its last element of an r×c matrix: the dense block that holds it. */
export function span(view: MatrixView, rows: number, cols: number): number {
  return (rows - 1) * view.rowStride + (cols - 1) * view.colStride + 1;
}

/**
 * Where a product goes in a heap that holds all of it, as the SIMD module's packing needs: A from
 * float 0, then B, then C, then the packing scratch of `threads` threads. Returns the job's
 * placement and the floats the heap must hold.
 */
export function heapPlacement(
  product: Product,
  threads: number,
  splitColumns: boolean,
): { placement: JobPlacement; floats: number } {
  const { m, n, k, a, b } = product;
  const bOffset = span(a, m, k);
  const cAt = bOffset + span(b, k, n);
  const packAt = cAt + paddedCFloats(m, n);
  return {
    placement: { aOffset: 0, bOffset, cAt, packAt, splitColumns },
    floats: packAt + threads * GEMM_PACK_FLOATS,
  };
}

/** Copies A and B into `heap` where `placement` puts them. */
export function copyOperandsIn(heap: Float32Array, product: Product, placement: JobPlacement): void {
  const { a, b } = product;
  const { bOffset, cAt } = placement;
  heap.set(a.data.subarray(a.offset, a.offset + bOffset), 0);
  heap.set(b.data.subarray(b.offset, b.offset + cAt - bOffset), bOffset);
}

/**
 * Thread `thread` of `threads`' share of the job: a contiguous run of whole 4-row (or 8-column)
 * tiles of C, so no two threads ever write one tile. The first depth block writes each tile and
 * the later ones add to it (C need not be zeroed), in float32 over depth blocks of KC in the same
 * order whatever the share, so the result is bit-identical for any thread count. `a` and `b` are the arrays the job's offsets index
 * (the heap itself in the workers and with the SIMD module); `pack` is `packPanels`, or
 * `heapPacker`'s where the operands lie in the heap.
 */
export function gemmShare(
  macro: MacroKernel,
  heap: Float32Array,
  a: Float32Array,
  b: Float32Array,
  job: Int32Array,
  thread: number,
  threads: number,
  pack: typeof packPanels,
): void {
  const [m, n, k, aOffset, aRowStride, aColStride, bOffset, bRowStride, bColStride, cAt, ldc, packAt] = job;
  const [packStride, splitColumns, MC, NC, KC] = [job[12], job[13], job[14], job[15], job[16]];
  const tiles = splitColumns ? Math.ceil(n / 8) : Math.ceil(m / 4);
  const first = Math.floor((tiles * thread) / threads);
  const last = Math.floor((tiles * (thread + 1)) / threads);
  const rowStart = splitColumns ? 0 : first * 4;
  const rowEnd = splitColumns ? m : Math.min(m, last * 4);
  const colStart = splitColumns ? first * 8 : 0;
  const colEnd = splitColumns ? Math.min(n, last * 8) : n;
  if (rowStart >= rowEnd || colStart >= colEnd) return;
  const aPack = packAt + thread * packStride;
  const bPack = aPack + MC * KC;
  for (let j0 = colStart; j0 < colEnd; j0 += NC) {
    const nc = Math.min(NC, colEnd - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      pack(b, bOffset, bColStride, bRowStride, j0, nc, p0, kc, 8, heap, bPack);
      for (let i0 = rowStart; i0 < rowEnd; i0 += MC) {
        const mc = Math.min(MC, rowEnd - i0);
        pack(a, aOffset, aRowStride, aColStride, i0, mc, p0, kc, 4, heap, aPack);
        macro(
          Math.ceil(mc / 4) * 4,
          Math.ceil(nc / 8) * 8,
          kc,
          aPack * 4,
          bPack * 4,
          (cAt + i0 * ldc + j0) * 4,
          ldc * 4,
          p0 === 0 ? 0 : 1,
        );
      }
    }
  }
}
