/**
 * The suite's own float64 arrays: plain JavaScript on Float64Array, written here and never
 * borrowed from a backend or from core's op library, so the reference is independent of both.
 */
import type { DType } from '@backprop/core';

/** A dense row-major float64 array with the dtype the op should produce. */
export interface RefTensor {
  readonly shape: readonly number[];
  readonly data: Float64Array;
  readonly dtype: DType;
}

export function size(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= shape[i];
  }
  return out;
}

export function ref(shape: readonly number[], data: ArrayLike<number>, dtype: DType = 'float32'): RefTensor {
  if (data.length !== size(shape))
    throw new Error(`reference: ${data.length} values for shape [${shape.join(', ')}]`);
  return { shape: [...shape], data: Float64Array.from(data), dtype };
}

/** Coordinates of flat index `flat` in `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const coord = new Array<number>(shape.length);
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    coord[d] = rest % shape[d];
    rest = Math.floor(rest / shape[d]);
  }
  return coord;
}

export function ravel(coord: readonly number[], st: readonly number[]): number {
  let o = 0;
  for (let d = 0; d < coord.length; d++) o += coord[d] * st[d];
  return o;
}

/** NumPy broadcasting; throws on mismatch (the reference never sees bad shapes). */
export function broadcastShape(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      if (s[i] === out[o] || s[i] === 1) continue;
      if (out[o] === 1) out[o] = s[i];
      else throw new Error(`reference: cannot broadcast [${shapes.map((x) => x.join(',')).join('] [')}]`);
    }
  }
  return out;
}

/** Value of `x` at output coordinate `coord` of a broadcast shape. */
export function broadcastAt(x: RefTensor, coord: readonly number[]): number {
  const lead = coord.length - x.shape.length;
  let o = 0;
  let s = 1;
  for (let d = x.shape.length - 1; d >= 0; d--) {
    if (x.shape[d] !== 1) o += coord[d + lead] * s;
    s *= x.shape[d];
  }
  return x.data[o];
}

/** Promotion as the library defines it: float32 over int32 over bool. */
export function promote(a: DType, b: DType): DType {
  if (a === 'float32' || b === 'float32') return 'float32';
  if (a === 'int32' || b === 'int32') return 'int32';
  return 'bool';
}

/** Rounds a value the way storing it in `dtype` does. */
export function store(v: number, dtype: DType): number {
  if (dtype === 'float32') return Math.fround(v);
  if (dtype === 'int32') return Math.trunc(v) | 0;
  return v !== 0 ? 1 : 0;
}

export function mapRef(x: RefTensor, f: (v: number) => number, dtype: DType = x.dtype): RefTensor {
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < out.length; i++) out[i] = f(x.data[i]);
  return { shape: [...x.shape], data: out, dtype };
}

export function zipRef(
  a: RefTensor,
  b: RefTensor,
  f: (x: number, y: number) => number,
  dtype: DType,
): RefTensor {
  const shape = broadcastShape(a.shape, b.shape);
  const out = new Float64Array(size(shape));
  for (let i = 0; i < out.length; i++) {
    const c = unravel(i, shape);
    out[i] = f(broadcastAt(a, c), broadcastAt(b, c));
  }
  return { shape, data: out, dtype };
}

export function reshapeRef(x: RefTensor, shape: readonly number[]): RefTensor {
  if (size(shape) !== x.data.length) throw new Error('reference: reshape size mismatch');
  return { shape: [...shape], data: x.data, dtype: x.dtype };
}

/** Output axis i is input axis perm[i]. */
export function permuteRef(x: RefTensor, perm: readonly number[]): RefTensor {
  const shape = perm.map((p) => x.shape[p]);
  const st = strides(x.shape);
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < out.length; i++) {
    const c = unravel(i, shape);
    let o = 0;
    for (let d = 0; d < perm.length; d++) o += c[d] * st[perm[d]];
    out[i] = x.data[o];
  }
  return { shape, data: out, dtype: x.dtype };
}

export function broadcastToRef(x: RefTensor, shape: readonly number[]): RefTensor {
  const out = new Float64Array(size(shape));
  for (let i = 0; i < out.length; i++) out[i] = broadcastAt(x, unravel(i, shape));
  return { shape: [...shape], data: out, dtype: x.dtype };
}

/** Axis argument (one, several, none = all) to sorted non-negative axes. */
export function axesOf(axis: number | readonly number[] | undefined, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  return list.map((a) => (a < 0 ? a + rank : a)).sort((p, q) => p - q);
}

/**
 * Folds the entries of each reduced group with `f`, visiting them in order; the output drops
 * (or with `keepDims` keeps as 1) the reduced axes. One pass over the input with an odometer, so
 * samples of millions of elements stay cheap.
 */
export function reduceRef(
  x: RefTensor,
  axis: number | readonly number[] | undefined,
  keepDims: boolean,
  fold: (values: number[]) => number,
  dtype: DType,
): RefTensor {
  const axes = axesOf(axis, x.shape.length);
  const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const groups: number[][] = Array.from({ length: size(keptShape) }, () => []);
  const keptStrides = strides(keptShape).map((s, d) => (axes.includes(d) ? 0 : s));
  const rank = x.shape.length;
  const coord = new Array<number>(rank).fill(0);
  let group = 0;
  for (let i = 0; i < x.data.length; i++) {
    groups[group].push(x.data[i]);
    for (let d = rank - 1; d >= 0; d--) {
      coord[d]++;
      group += keptStrides[d];
      if (coord[d] < x.shape[d]) break;
      group -= keptStrides[d] * x.shape[d];
      coord[d] = 0;
    }
  }
  const shape = keepDims ? keptShape : x.shape.filter((_, i) => !axes.includes(i));
  return { shape, data: Float64Array.from(groups.map(fold)), dtype };
}

/** Nested arrays of a reference tensor (for messages). */
export function toNested(x: RefTensor): unknown {
  if (x.shape.length === 0) return x.data[0];
  const build = (offset: number, dim: number): unknown[] => {
    const st = size(x.shape.slice(dim + 1));
    return Array.from({ length: x.shape[dim] }, (_, i) =>
      dim === x.shape.length - 1 ? x.data[offset + i] : build(offset + i * st, dim + 1),
    );
  };
  return build(0, 0);
}
