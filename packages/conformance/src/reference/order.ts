/** Float64 reference of the scans, sorts, order statistics and norms, lane by lane along an axis. */
import { type RefTensor, ravel, size, strides, unravel } from './ndarray.js';

/**
 * Applies `f` to every lane of `x` along `axis` (the values in order); `f` returns the output lane,
 * whose length may differ (`outLength`). `keep: false` drops the axis when lanes have length 1.
 */
export function mapLanes(
  x: RefTensor,
  axis: number,
  f: (lane: number[]) => number[],
  outLength: number,
  dtype: RefTensor['dtype'] = x.dtype,
  keep = true,
): RefTensor {
  const rank = x.shape.length;
  const a = axis < 0 ? axis + rank : axis;
  const outer = x.shape.map((d, i) => (i === a ? 1 : d));
  const st = strides(x.shape);
  const shape = x.shape.map((d, i) => (i === a ? outLength : d));
  const outSt = strides(shape);
  const out = new Float64Array(size(shape));
  for (let i = 0; i < size(outer); i++) {
    const c = unravel(i, outer);
    const lane = Array.from({ length: x.shape[a] }, (_, k) => {
      c[a] = k;
      return x.data[ravel(c, st)];
    });
    f(lane).forEach((v, k) => {
      c[a] = k;
      out[ravel(c, outSt)] = v;
    });
  }
  const finalShape = keep ? shape : shape.filter((_, i) => i !== a);
  return { shape: finalShape, data: out, dtype };
}

export function refScan(x: RefTensor, axis: number, product: boolean): RefTensor {
  const dtype = x.dtype === 'bool' ? 'int32' : x.dtype;
  if (x.shape.length === 0) return { shape: [], data: Float64Array.from(x.data), dtype };
  return mapLanes(
    x,
    axis,
    (lane) => {
      let acc = product ? 1 : 0;
      return lane.map((v) => {
        acc = product ? acc * v : acc + v;
        return acc;
      });
    },
    x.shape[axis < 0 ? axis + x.shape.length : axis],
    dtype,
  );
}

/** NaN last; ties by position (a stable sort). */
function order(lane: number[], descending: boolean): number[] {
  const key = (v: number) => (Number.isNaN(v) ? Number.POSITIVE_INFINITY : v);
  const nan = (v: number) => (Number.isNaN(v) ? 1 : 0);
  return lane
    .map((_, i) => i)
    .sort((i, j) => {
      const a = lane[i];
      const b = lane[j];
      let c = nan(a) - nan(b) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
      if (descending) c = -c;
      return c || i - j;
    });
}

export function refSort(x: RefTensor, axis: number, descending: boolean, k?: number): [RefTensor, RefTensor] {
  if (x.shape.length === 0) return [x, { shape: [], data: new Float64Array(1), dtype: 'int32' }];
  const n = x.shape[axis < 0 ? axis + x.shape.length : axis];
  const take = k ?? n;
  const values = mapLanes(
    x,
    axis,
    (lane) =>
      order(lane, descending)
        .slice(0, take)
        .map((i) => lane[i]),
    take,
  );
  const indices = mapLanes(x, axis, (lane) => order(lane, descending).slice(0, take), take, 'int32');
  return [values, indices];
}

export function refKthvalue(
  x: RefTensor,
  k: number,
  axis: number,
  keepDims: boolean,
): [RefTensor, RefTensor] {
  const pick = (lane: number[]) => order(lane, false)[k - 1];
  return [
    mapLanes(x, axis, (lane) => [lane[pick(lane)]], 1, x.dtype, keepDims),
    mapLanes(x, axis, (lane) => [pick(lane)], 1, 'int32', keepDims),
  ];
}

/** torch.median: the lower middle value, NaN if the lane holds one. */
export function refMedian(x: RefTensor, axis: number | undefined, keepDims: boolean): RefTensor {
  const med = (lane: number[]) => {
    if (lane.some(Number.isNaN)) return [Number.NaN];
    return [order(lane, false).map((i) => lane[i])[(lane.length - 1) >> 1]];
  };
  if (axis === undefined) {
    const flat = { shape: [x.data.length], data: x.data, dtype: x.dtype };
    const m = mapLanes(flat, 0, med, 1, x.dtype, false);
    return keepDims ? { ...m, shape: x.shape.map(() => 1) } : m;
  }
  if (x.shape.length === 0) return x;
  return mapLanes(x, axis, med, 1, x.dtype, keepDims);
}

/** The vector p-norm over `axes` (all by default). */
export function refNorm(
  x: RefTensor,
  p: number | 'fro',
  axes: readonly number[] | undefined,
  keepDims: boolean,
): RefTensor {
  const rank = x.shape.length;
  const list = (axes ?? x.shape.map((_, i) => i)).map((a) => (a < 0 ? a + rank : a));
  const kept = x.shape.map((d, i) => (list.includes(i) ? 1 : d));
  const groups: number[][] = Array.from({ length: size(kept) }, () => []);
  const keptSt = strides(kept);
  for (let i = 0; i < x.data.length; i++) {
    const c = unravel(i, x.shape).map((v, d) => (list.includes(d) ? 0 : v));
    groups[ravel(c, keptSt)].push(Math.abs(x.data[i]));
  }
  const q = p === 'fro' ? 2 : p;
  const f = (g: number[]) => {
    if (q === Number.POSITIVE_INFINITY) return Math.max(...g);
    if (q === Number.NEGATIVE_INFINITY) return Math.min(...g);
    if (q === 0) return g.filter((v) => v !== 0).length;
    return g.reduce((s, v) => s + v ** q, 0) ** (1 / q);
  };
  const shape = keepDims ? kept : x.shape.filter((_, i) => !list.includes(i));
  return { shape, data: Float64Array.from(groups.map(f)), dtype: 'float32' };
}
