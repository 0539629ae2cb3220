import { type Shape, stridesOf, type TypedArray } from '@backprop/core';
import type { Allocate } from '../recycler.js';
import { allocLike } from '../storage.js';
import { broadcastStrides, collapseLoop, forEachRow } from './layout.js';

/** Picks `a` where `condition` is 1, else `b`, all broadcast to `outShape`; the output has `a`'s array type. */
export function whereKernel(
  condition: Uint8Array,
  conditionShape: Shape,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  outShape: Shape,
  allocate?: Allocate,
): TypedArray {
  const size = outShape.reduce((n, d) => n * d, 1);
  const out = allocLike(a, size, allocate);
  if (condition.length === size && a.length === size && b.length === size) {
    for (let i = 0; i < size; i++) out[i] = condition[i] ? a[i] : b[i];
    return out;
  }
  // A full condition and one full operand against a single value (`where(mask, x, 0)`, as max
  // pooling and its gradient select): one flat loop instead of the strided walk.
  if (condition.length === size && size > 1) {
    if (a.length === size && b.length === 1) {
      const other = b[0];
      for (let i = 0; i < size; i++) out[i] = condition[i] ? a[i] : other;
      return out;
    }
    if (a.length === 1 && b.length === size) {
      const other = a[0];
      for (let i = 0; i < size; i++) out[i] = condition[i] ? other : b[i];
      return out;
    }
  }
  const loop = collapseLoop(outShape, [
    stridesOf(outShape),
    broadcastStrides(conditionShape, outShape),
    broadcastStrides(aShape, outShape),
    broadcastStrides(bShape, outShape),
  ]);
  const inner = loop.shape.length - 1;
  const n = loop.shape[inner];
  const [, cStep, aStep, bStep] = loop.strides.map((s) => s[inner]);
  forEachRow(loop, [0, 0, 0, 0], ([o, co, ao, bo]) => {
    for (let i = 0; i < n; i++)
      out[o + i] = condition[co + i * cStep] ? a[ao + i * aStep] : b[bo + i * bStep];
  });
  return out;
}
