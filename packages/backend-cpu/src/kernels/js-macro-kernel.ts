/**
 * The JavaScript macro-kernel, for runtimes without WebAssembly SIMD (or where a content security
 * policy forbids compiling it): the same contract and panel layout as the SIMD one, so the one
 * blocked loop (gemm-loop.ts) drives both. It walks each 4×8 tile of C as two 4×4 halves: sixteen
 * running sums fit the registers where thirty-two would spill. The sums are doubles over a depth
 * block; each is rounded once into C.
 */

import type { MacroKernel } from './gemm-loop.js';

/**
 * A macro-kernel over `heap()`, the array the panels and C lie in (read at every call, since the
 * caller replaces it when it grows).
 */
export function jsMacroKernel(heap: () => Float32Array): MacroKernel {
  return (mc, nc, kc, pa, pb, pc, ldc, accumulate) => {
    const h = heap();
    const [a0, b0, c0, rowStride] = [pa >> 2, pb >> 2, pc >> 2, ldc >> 2];
    // The first depth block writes C: zero the block, then the tiles add to it as the later ones do.
    if (accumulate === 0) for (let i = 0; i < mc; i++) h.fill(0, c0 + i * rowStride, c0 + i * rowStride + nc);
    for (let jr = 0; jr < nc; jr += 8) {
      // A B panel holds 8 columns, depth-major: element (p, j) at panel + 8p + j.
      const bPanel = b0 + jr * kc;
      for (let ir = 0; ir < mc; ir += 4) {
        const aPanel = a0 + ir * kc;
        const cTile = c0 + ir * rowStride + jr;
        tile4x4(h, kc, aPanel, bPanel, cTile, rowStride);
        tile4x4(h, kc, aPanel, bPanel + 4, cTile + 4, rowStride);
      }
    }
  };
}

/** C[4×4 at `cAt`] += A panel (4 rows, depth-major) · 4 columns of a B panel (rows 8 floats apart). */
// biome-ignore format: the sixteen sums are laid out as the 4×4 tile they are.
function tile4x4(h: Float32Array, kc: number, aAt: number, bAt: number, cAt: number, ldc: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ai = aAt;
  let bi = bAt;
  for (let p = 0; p < kc; p++, ai += 4, bi += 8) {
    const a0 = h[ai], a1 = h[ai + 1], a2 = h[ai + 2], a3 = h[ai + 3];
    const b0 = h[bi], b1 = h[bi + 1], b2 = h[bi + 2], b3 = h[bi + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  let at = cAt;
  h[at] += c00; h[at + 1] += c01; h[at + 2] += c02; h[at + 3] += c03;
  at += ldc;
  h[at] += c10; h[at + 1] += c11; h[at + 2] += c12; h[at + 3] += c13;
  at += ldc;
  h[at] += c20; h[at + 1] += c21; h[at + 2] += c22; h[at + 3] += c23;
  at += ldc;
  h[at] += c30; h[at + 1] += c31; h[at + 2] += c32; h[at + 3] += c33;
}
