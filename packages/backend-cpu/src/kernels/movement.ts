import { type Shape, stridesOf, type TypedArray } from '@backprop/core';
import type { Allocate } from '../recycler.js';
import { allocLike } from '../storage.js';
import { broadcastStrides, collapseLoop, forEachRow, type StridedLoop, splitAtAxis } from './layout.js';

/**
 * Copies `x` into a new dense array of `outShape`, reading output element i at
 * `base + Σ index[d] · inStrides[d]`. Transpose, broadcast and strided slice are all this one walk.
 */
function gatherStrided(
  x: TypedArray,
  outShape: Shape,
  inStrides: readonly number[],
  base: number,
  allocate?: Allocate,
): TypedArray {
  const size = outShape.reduce((n, d) => n * d, 1);
  const out = allocLike(x, size, allocate);
  if (size === 0) return out;
  const loop = collapseLoop(outShape, [stridesOf(outShape), inStrides]);
  const inner = loop.shape.length - 1;
  const n = loop.shape[inner];
  const step = loop.strides[1][inner];
  if (n < SHORT_ROW && inner > 0) {
    copyBlocks(x, out, loop, base);
    return out;
  }
  forEachRow(loop, [0, base], ([o, i]) => {
    if (step === 1) out.set(x.subarray(i, i + n), o);
    else if (step === 0) out.fill(x[i], o, o + n);
    else for (let k = 0; k < n; k++) out[o + k] = x[i + k * step];
  });
  return out;
}

/** Rows shorter than this are copied two dimensions at a time: a call per row would cost more than its copy. */
const SHORT_ROW = 32;

/**
 * `gatherStrided`'s walk with the two innermost dimensions in one plain loop nest per call (e.g. the
 * 2-element rows of a 2×2 pooling window's transpose), in the same element order.
 */
function copyBlocks(x: TypedArray, out: TypedArray, loop: StridedLoop, base: number): void {
  const inner = loop.shape.length - 1;
  const [n, rows] = [loop.shape[inner], loop.shape[inner - 1]];
  const [outRow, inRow] = loop.strides.map((s) => s[inner - 1]);
  const step = loop.strides[1][inner];
  const blocks: StridedLoop = {
    shape: loop.shape.slice(0, inner),
    strides: loop.strides.map((s) => s.slice(0, inner)),
  };
  forEachRow(blocks, [0, base], ([o, i]) => {
    for (let r = 0; r < rows; r++) {
      const to = o + r * outRow;
      const from = i + r * inRow;
      for (let k = 0; k < n; k++) out[to + k] = x[from + k * step];
    }
  });
}

/** Output axis i is input axis `perm[i]`. */
export function transposeKernel(
  x: TypedArray,
  shape: Shape,
  perm: readonly number[],
  allocate?: Allocate,
): TypedArray {
  const strides = stridesOf(shape);
  return gatherStrided(
    x,
    perm.map((p) => shape[p]),
    perm.map((p) => strides[p]),
    0,
    allocate,
  );
}

/** Repeats size-1 (or missing leading) dimensions of `x` up to `outShape`. */
export function broadcastToKernel(
  x: TypedArray,
  shape: Shape,
  outShape: Shape,
  allocate?: Allocate,
): TypedArray {
  return gatherStrided(x, outShape, broadcastStrides(shape, outShape), 0, allocate);
}

/** Output element i along axis d is input element `begin[d] + i · step[d]`; steps may be negative. */
export function sliceKernel(
  x: TypedArray,
  shape: Shape,
  begin: readonly number[],
  step: readonly number[],
  outShape: Shape,
  allocate?: Allocate,
): TypedArray {
  const strides = stridesOf(shape);
  const base = begin.reduce((offset, b, d) => offset + b * strides[d], 0);
  return gatherStrided(
    x,
    outShape,
    strides.map((s, d) => s * step[d]),
    base,
    allocate,
  );
}

/** Joins arrays of equal rank along `axis`: for every outer index, each input's block is copied in turn. */
export function concatKernel(
  xs: readonly { values: TypedArray; shape: Shape }[],
  axis: number,
  allocate?: Allocate,
): TypedArray {
  const outShape = [...xs[0].shape];
  outShape[axis] = xs.reduce((n, x) => n + x.shape[axis], 0);
  const [outer, length, inner] = splitAtAxis(outShape, axis);
  const out = allocLike(xs[0].values, outer * length * inner, allocate);
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const { values, shape } of xs) {
      const block = shape[axis] * inner;
      out.set(values.subarray(o * block, (o + 1) * block), at);
      at += block;
    }
  }
  return out;
}
