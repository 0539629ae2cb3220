import type { Shape, TypedArray } from '@backprop/core';
import type { Allocate } from '../recycler.js';
import { allocLike } from '../storage.js';
import { splitAtAxis } from './layout.js';

/** Entries of `x` along `axis` at the 1-D `indices` (in range): each output block is one input block. */
export function gatherKernel(
  x: TypedArray,
  shape: Shape,
  indices: Int32Array,
  axis: number,
  allocate?: Allocate,
): TypedArray {
  const [outer, length, inner] = splitAtAxis(shape, axis);
  const count = indices.length;
  const out = allocLike(x, outer * count * inner, allocate);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const from = (o * length + indices[j]) * inner;
      const to = (o * count + j) * inner;
      if (inner === 1) out[to] = x[from];
      else out.set(x.subarray(from, from + inner), to);
    }
  }
  return out;
}

/** A copy of `x` with block j of `source` along `axis` added into block `indices[j]`; repeated indices accumulate. */
export function indexAddKernel(
  x: TypedArray,
  shape: Shape,
  axis: number,
  indices: Int32Array,
  source: TypedArray,
): TypedArray {
  const [outer, length, inner] = splitAtAxis(shape, axis);
  const count = indices.length;
  const out = x.slice();
  const isBool = out instanceof Uint8Array;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const to = (o * length + indices[j]) * inner;
      const from = (o * count + j) * inner;
      // Bools accumulate as a logical or, so they stay 0 or 1 however often an index repeats.
      if (isBool) for (let k = 0; k < inner; k++) out[to + k] |= source[from + k];
      else for (let k = 0; k < inner; k++) out[to + k] += source[from + k];
    }
  }
  return out;
}
