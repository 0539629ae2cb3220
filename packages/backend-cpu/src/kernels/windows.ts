/**
 * im2col and its adjoint col2im over NCHW planes: the windows of a convolution or a pooling, laid
 * out [N, C, kH·kW, oH·oW] for the matrix product. Each (tap, output row) pair is one input row
 * segment, so the loops work out where a window row enters and leaves the input once per tap
 * and copy (or add) the inside run without an index table or a per-element bounds test. Max
 * pooling's argmax reads the windows in place instead of laying them out.
 */
import { allocArray, type WindowGeometry } from '@backprop/core';
import type { Allocate } from '../recycler.js';

/** The outputs o in [first, end) whose position o·stride + offset lies inside [0, size). */
function insideRun(out: number, stride: number, offset: number, size: number): [number, number] {
  const first = offset >= 0 ? 0 : Math.ceil(-offset / stride);
  const end = offset >= size ? 0 : Math.min(out, Math.floor((size - 1 - offset) / stride) + 1);
  return [Math.min(first, out), Math.max(end, Math.min(first, out))];
}

/** The windows of `x` [N, C, H, W] (N·C = `planes`) as [N, C, kH·kW, oH·oW], `fill` in the padding. */
export function im2colKernel(
  x: Float32Array,
  planes: number,
  g: WindowGeometry,
  fill: number,
  allocate: Allocate = allocArray,
): Float32Array {
  const [height, width] = g.size;
  const [kh, kw] = g.kernel;
  const [oh, ow] = g.out;
  const [sh, sw] = g.stride;
  const plane = height * width;
  const out = allocate('float32', planes * kh * kw * oh * ow) as Float32Array;
  // Padding entries are never written below (a recycled array holds old values).
  out.fill(fill);
  let to = 0;
  for (let p = 0; p < planes; p++) {
    const planeStart = p * plane;
    for (let i = 0; i < kh; i++) {
      const rowOffset = i * g.dilation[0] - g.padLow[0];
      for (let j = 0; j < kw; j++) {
        const columnOffset = j * g.dilation[1] - g.padLow[1];
        const [first, end] = insideRun(ow, sw, columnOffset, width);
        for (let r = 0; r < oh; r++, to += ow) {
          const inputRow = r * sh + rowOffset;
          if (inputRow < 0 || inputRow >= height) continue;
          const from = planeStart + inputRow * width + columnOffset;
          for (let s = first; s < end; s++) out[to + s] = x[from + s * sw];
        }
      }
    }
  }
  return out;
}

/** `cols` [N, C, kH·kW, oH·oW] (N·C = `planes`) summed back into [N, C, H, W]; padding entries are dropped. */
export function col2imKernel(
  cols: Float32Array,
  planes: number,
  g: WindowGeometry,
  allocateZeroed: Allocate = allocArray,
): Float32Array {
  const [height, width] = g.size;
  const [kh, kw] = g.kernel;
  const [oh, ow] = g.out;
  const [sh, sw] = g.stride;
  const plane = height * width;
  const out = allocateZeroed('float32', planes * plane) as Float32Array;
  let from = 0;
  for (let p = 0; p < planes; p++) {
    const planeStart = p * plane;
    for (let i = 0; i < kh; i++) {
      const rowOffset = i * g.dilation[0] - g.padLow[0];
      for (let j = 0; j < kw; j++) {
        const columnOffset = j * g.dilation[1] - g.padLow[1];
        const [first, end] = insideRun(ow, sw, columnOffset, width);
        for (let r = 0; r < oh; r++, from += ow) {
          const inputRow = r * sh + rowOffset;
          if (inputRow < 0 || inputRow >= height) continue;
          const to = planeStart + inputRow * width + columnOffset;
          for (let s = first; s < end; s++) out[to + s * sw] += cols[from + s];
        }
      }
    }
  }
  return out;
}

/**
 * For each window of `x` [N, C, H, W] (N·C = `planes`), the flat plane index h·W + w of its first
 * maximum (a NaN wins and ends the search, as argReduce does), skipping taps in the padding:
 * int32 [N, C, oH·oW].
 */
export function maxPoolIndicesKernel(
  x: Float32Array,
  planes: number,
  g: WindowGeometry,
  allocate: Allocate = allocArray,
): Int32Array {
  const [height, width] = g.size;
  const [kh, kw] = g.kernel;
  const [oh, ow] = g.out;
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  const plane = height * width;
  const out = allocate('int32', planes * oh * ow) as Int32Array;
  let to = 0;
  for (let p = 0; p < planes; p++) {
    const planeStart = p * plane;
    for (let r = 0; r < oh; r++) {
      const top = r * sh - g.padLow[0];
      for (let s = 0; s < ow; s++, to++) {
        const left = s * sw - g.padLow[1];
        let best = Number.NEGATIVE_INFINITY;
        let at = -1;
        search: for (let i = 0; i < kh; i++) {
          const row = top + i * dh;
          if (row < 0 || row >= height) continue;
          for (let j = 0; j < kw; j++) {
            const column = left + j * dw;
            if (column < 0 || column >= width) continue;
            const v = x[planeStart + row * width + column];
            if (at < 0 || v > best || Number.isNaN(v)) {
              best = v;
              at = row * width + column;
              if (Number.isNaN(v)) break search;
            }
          }
        }
        out[to] = at;
      }
    }
  }
  return out;
}
