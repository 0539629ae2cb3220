/** Float64 reference movement, joining, slicing and indexing. */
import {
  broadcastToRef,
  permuteRef,
  type RefTensor,
  ravel,
  reshapeRef,
  size,
  strides,
  unravel,
} from './ndarray.js';

export { broadcastToRef as refBroadcastTo, permuteRef as refPermute, reshapeRef as refReshape };

/** Swaps two axes. */
export function refTranspose(x: RefTensor, a = -2, b = -1): RefTensor {
  const rank = x.shape.length;
  if (rank < 2) return x;
  const perm = Array.from({ length: rank }, (_, i) => i);
  const p = a < 0 ? a + rank : a;
  const q = b < 0 ? b + rank : b;
  [perm[p], perm[q]] = [perm[q], perm[p]];
  return permuteRef(x, perm);
}

export function refConcat(xs: readonly RefTensor[], axis: number): RefTensor {
  const rank = xs[0].shape.length;
  const a = axis < 0 ? axis + rank : axis;
  const shape = [...xs[0].shape];
  shape[a] = xs.reduce((n, x) => n + x.shape[a], 0);
  const out = new Float64Array(size(shape));
  for (let i = 0; i < out.length; i++) {
    const c = unravel(i, shape);
    let part = 0;
    while (c[a] >= xs[part].shape[a]) c[a] -= xs[part++].shape[a];
    out[i] = xs[part].data[ravel(c, strides(xs[part].shape))];
  }
  return { shape, data: out, dtype: xs[0].dtype };
}

export function refStack(xs: readonly RefTensor[], axis: number): RefTensor {
  const rank = xs[0].shape.length + 1;
  const a = axis < 0 ? axis + rank : axis;
  const expanded = xs.map((x) => {
    const shape = [...x.shape];
    shape.splice(a, 0, 1);
    return reshapeRef(x, shape);
  });
  return refConcat(expanded, a);
}

/** One axis's Python slice [start:end:step], resolved independently of core. */
export function resolvePySlice(
  start: number | null | undefined,
  end: number | null | undefined,
  step: number | null | undefined,
  n: number,
): number[] {
  const s = step ?? 1;
  const indices: number[] = [];
  const norm = (v: number) => (v < 0 ? v + n : v);
  if (s > 0) {
    const from = start == null ? 0 : Math.min(Math.max(norm(start), 0), n);
    const to = end == null ? n : Math.min(Math.max(norm(end), 0), n);
    for (let i = from; i < to; i += s) indices.push(i);
  } else {
    const from = start == null ? n - 1 : Math.min(Math.max(norm(start), -1), n - 1);
    const to = end == null ? -1 : Math.min(Math.max(norm(end), -1), n - 1);
    for (let i = from; i > to; i += s) indices.push(i);
  }
  return indices;
}

export type RefRange = readonly [start?: number | null, end?: number | null, step?: number | null] | null;

/** Python-style slicing, one range per leading axis. */
export function refSlice(x: RefTensor, ranges: readonly RefRange[]): RefTensor {
  const picks = x.shape.map((n, d) => {
    const r = ranges[d] ?? null;
    return r === null ? Array.from({ length: n }, (_, i) => i) : resolvePySlice(r[0], r[1], r[2], n);
  });
  const shape = picks.map((p) => p.length);
  const st = strides(x.shape);
  const out = new Float64Array(size(shape));
  for (let i = 0; i < out.length; i++) {
    const c = unravel(i, shape);
    out[i] =
      x.data[
        ravel(
          c.map((v, d) => picks[d][v]),
          st,
        )
      ];
  }
  return { shape, data: out, dtype: x.dtype };
}

/** Entries along `axis` at integer `indices` of any shape (TensorFlow's gather). */
export function refGather(x: RefTensor, indices: RefTensor, axis: number): RefTensor {
  const a = axis < 0 ? axis + x.shape.length : axis;
  const shape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
  const st = strides(x.shape);
  const out = new Float64Array(size(shape));
  const k = indices.shape.length;
  for (let i = 0; i < out.length; i++) {
    const c = unravel(i, shape);
    const idxCoord = c.slice(a, a + k);
    const index = indices.data[ravel(idxCoord, strides(indices.shape))];
    const src = [...c.slice(0, a), index, ...c.slice(a + k)];
    out[i] = x.data[ravel(src, st)];
  }
  return { shape, data: out, dtype: x.dtype };
}

/** A copy of `x` with slice j of `source` along `axis` added into slice indices[j]. */
export function refIndexAdd(x: RefTensor, axis: number, indices: RefTensor, source: RefTensor): RefTensor {
  const a = axis < 0 ? axis + x.shape.length : axis;
  const out = Float64Array.from(x.data);
  const st = strides(x.shape);
  for (let i = 0; i < source.data.length; i++) {
    const c = unravel(i, source.shape);
    c[a] = indices.data[c[a]];
    out[ravel(c, st)] += source.data[i];
  }
  return { shape: [...x.shape], data: out, dtype: x.dtype };
}

export function refOneHot(
  indices: RefTensor,
  classes: number,
  dtype: 'float32' | 'int32' = 'float32',
): RefTensor {
  const out = new Float64Array(indices.data.length * classes);
  indices.data.forEach((v, i) => {
    out[i * classes + v] = 1;
  });
  return { shape: [...indices.shape, classes], data: out, dtype };
}
