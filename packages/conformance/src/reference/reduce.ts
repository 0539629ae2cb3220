/** Float64 reference reductions. */
import { type RefTensor, reduceRef } from './ndarray.js';

export type RefAxis = number | readonly number[] | undefined;

const sumOf = (v: number[]) => v.reduce((s, x) => s + x, 0);

/** Largest (or smallest) entry, NaN if any entry is NaN; a loop, as spreading 10^6 arguments overflows the stack. */
function extreme(v: number[], which: 'max' | 'min'): number {
  let best = which === 'max' ? -Infinity : Infinity;
  for (const e of v) {
    if (Number.isNaN(e)) return Number.NaN;
    if (which === 'max' ? e > best : e < best) best = e;
  }
  return best;
}

export function refSum(x: RefTensor, axis: RefAxis, keepDims = false): RefTensor {
  return reduceRef(x, axis, keepDims, sumOf, x.dtype === 'bool' ? 'int32' : x.dtype);
}

export function refMean(x: RefTensor, axis: RefAxis, keepDims = false): RefTensor {
  return reduceRef(x, axis, keepDims, (v) => sumOf(v) / v.length, 'float32');
}

export function refProd(x: RefTensor, axis: RefAxis, keepDims = false): RefTensor {
  return reduceRef(
    x,
    axis,
    keepDims,
    (v) => v.reduce((p, e) => p * e, 1),
    x.dtype === 'bool' ? 'int32' : x.dtype,
  );
}

export function refMax(x: RefTensor, axis: RefAxis, keepDims = false): RefTensor {
  return reduceRef(x, axis, keepDims, (v) => extreme(v, 'max'), x.dtype === 'bool' ? 'int32' : x.dtype);
}

export function refMin(x: RefTensor, axis: RefAxis, keepDims = false): RefTensor {
  return reduceRef(x, axis, keepDims, (v) => extreme(v, 'min'), x.dtype === 'bool' ? 'int32' : x.dtype);
}

/** Variance with `correction` subtracted from the count (1: Bessel). */
export function refVariance(x: RefTensor, axis: RefAxis, keepDims = false, correction = 1): RefTensor {
  return reduceRef(
    x,
    axis,
    keepDims,
    (v) => {
      const m = sumOf(v) / v.length;
      return sumOf(v.map((e) => (e - m) ** 2)) / Math.max(v.length - correction, 0);
    },
    'float32',
  );
}

export function refStd(x: RefTensor, axis: RefAxis, keepDims = false, correction = 1): RefTensor {
  const v = refVariance(x, axis, keepDims, correction);
  return { ...v, data: v.data.map(Math.sqrt) };
}

export function refLogsumexp(x: RefTensor, axis: RefAxis, keepDims = false): RefTensor {
  return reduceRef(
    x,
    axis,
    keepDims,
    (v) => {
      const m = extreme(v, 'max');
      if (!Number.isFinite(m)) return m;
      return m + Math.log(sumOf(v.map((e) => Math.exp(e - m))));
    },
    'float32',
  );
}

/** Index of the first maximum (or minimum) along one axis, or of the flattened array when `axis` is undefined. */
export function refArgReduce(
  x: RefTensor,
  which: 'max' | 'min',
  axis: number | undefined,
  keepDims = false,
): RefTensor {
  const pick = (v: number[]) => {
    let best = 0;
    for (let i = 1; i < v.length; i++) if (which === 'max' ? v[i] > v[best] : v[i] < v[best]) best = i;
    return best;
  };
  if (axis === undefined) {
    const out = reduceRef(x, undefined, keepDims, pick, 'int32');
    return out;
  }
  return reduceRef(x, axis, keepDims, pick, 'int32');
}
