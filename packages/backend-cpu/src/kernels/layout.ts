import { type Shape, stridesOf } from '@backprop/core';

/**
 * Element strides of an input read as if it had `outShape`: NumPy broadcasting aligns the trailing
 * dimensions, and a missing or size-1 dimension that the output repeats gets stride 0.
 */
export function broadcastStrides(inShape: Shape, outShape: Shape): number[] {
  const own = stridesOf(inShape);
  const lead = outShape.length - inShape.length;
  return outShape.map((d, i) => (i < lead || (inShape[i - lead] === 1 && d !== 1) ? 0 : own[i - lead]));
}

/** A loop nest over a dense output with one stride list per operand (the output's own included). */
export interface StridedLoop {
  shape: number[];
  strides: number[][];
}

/**
 * Simplifies a loop nest without changing the order it visits elements in: drops size-1 dimensions
 * and merges neighbours that every operand walks contiguously, so the innermost loop is as long as
 * possible. Always returns at least one dimension.
 */
export function collapseLoop(shape: Shape, strides: readonly (readonly number[])[]): StridedLoop {
  const keep = shape.map((_, i) => i).filter((i) => shape[i] !== 1);
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (const d of keep) {
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k][last] === s[d] * shape[d])) {
      outShape[last] *= shape[d];
      strides.forEach((s, k) => {
        outStrides[k][last] = s[d];
      });
    } else {
      outShape.push(shape[d]);
      strides.forEach((s, k) => {
        outStrides[k].push(s[d]);
      });
    }
  }
  if (outShape.length === 0) return { shape: [1], strides: strides.map(() => [0]) };
  return { shape: outShape, strides: outStrides };
}

/**
 * Calls `row` once per innermost row of the loop nest with every operand's element offset at the
 * start of that row (`bases` are the offsets of element 0). The offsets array is reused: read it,
 * do not keep it. Visits nothing when a dimension is 0.
 */
export function forEachRow(
  loop: StridedLoop,
  bases: readonly number[],
  row: (offsets: readonly number[]) => void,
): void {
  const { shape, strides } = loop;
  if (shape.includes(0)) return;
  const outer = shape.length - 1;
  const index = new Array<number>(outer).fill(0);
  const offsets = [...bases];
  let rows = 1;
  for (let d = 0; d < outer; d++) rows *= shape[d];
  for (let r = 0; r < rows; r++) {
    row(offsets);
    for (let d = outer - 1; d >= 0; d--) {
      index[d]++;
      for (let k = 0; k < offsets.length; k++) offsets[k] += strides[k][d];
      if (index[d] < shape[d]) break;
      for (let k = 0; k < offsets.length; k++) offsets[k] -= strides[k][d] * shape[d];
      index[d] = 0;
    }
  }
}

/** Sizes of the dimensions before `axis`, at `axis`, and after it: the three loops of an axis-wise kernel. */
export function splitAtAxis(shape: Shape, axis: number): [outer: number, length: number, inner: number] {
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  return [outer, shape[axis] ?? 1, inner];
}
