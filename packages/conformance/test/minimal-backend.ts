import {
  type ArgReduceOp,
  allocArray,
  type Backend,
  BackendError,
  type BinaryOp,
  type DataId,
  type DType,
  type ReduceOp,
  type Shape,
  sizeOf,
  stridesOf,
  type TensorInfo,
  type TypedArray,
  type UnaryOp,
} from '@backprop/core';

/**
 * A deliberately minimal backend: only the required kernels, each written as the plainest
 * index arithmetic. It proves the conformance suite and core's fallback compositions (softmax,
 * linear, cross-entropy) work for a backend that offers no fused kernels.
 */
interface Data {
  values: TypedArray;
}

const values = (info: TensorInfo): TypedArray => (info.dataId as Data).values;
const wrap = (v: TypedArray): DataId => ({ values: v });

/** Index into a tensor of `shape` from an index into a broadcast output of `outShape`. */
function broadcastIndex(flat: number, outShape: Shape, shape: Shape): number {
  const outStrides = stridesOf(outShape);
  const strides = stridesOf(shape);
  const lead = outShape.length - shape.length;
  let index = 0;
  for (let d = 0; d < outShape.length; d++) {
    const coord = Math.floor(flat / outStrides[d]) % outShape[d];
    if (d >= lead && shape[d - lead] !== 1) index += coord * strides[d - lead];
  }
  return index;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 is too coarse for float32; a series/continued fraction is exact enough.
  const t = Math.abs(x);
  if (t < 2.5) {
    let sum = 0;
    let term = t;
    for (let n = 0; n < 60; n++) {
      sum += term / (2 * n + 1);
      term *= (-t * t) / (n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (t + f);
  return Math.sign(x) * (1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f));
}

const UNARY: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: Math.sign,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  reciprocal: (x) => 1 / x,
  square: (x) => x * x,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  relu: (x) => Math.max(x, 0),
  erf,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  log1p: Math.log1p,
  expm1: Math.expm1,
  asin: Math.asin,
  atan: Math.atan,
};

const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b)),
  eq: (a, b) => +(a === b),
  ne: (a, b) => +(a !== b),
  lt: (a, b) => +(a < b),
  le: (a, b) => +(a <= b),
  gt: (a, b) => +(a > b),
  ge: (a, b) => +(a >= b),
};

function store(dtype: DType, n: number, at: (i: number) => number): DataId {
  const out = allocArray(dtype, n);
  for (let i = 0; i < n; i++) out[i] = at(i);
  return wrap(out);
}

/** Walks every output coordinate of `outShape`, giving the flat output index and the coordinates. */
function forEachCoord(outShape: Shape, visit: (flat: number, coord: number[]) => void): void {
  const n = sizeOf(outShape);
  const coord = new Array<number>(outShape.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    visit(flat, coord);
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++coord[d] < outShape[d]) break;
      coord[d] = 0;
    }
  }
}

function offset(coord: readonly number[], strides: readonly number[]): number {
  let o = 0;
  for (let d = 0; d < coord.length; d++) o += coord[d] * strides[d];
  return o;
}

export function minimalBackend(): Backend {
  return {
    name: 'minimal',
    syncReadIsCheap: true,
    floatPrecision: () => 32,
    write: (v) => wrap(v),
    read: async (info) => values(info).slice(),
    readSync: (info) => values(info).slice(),
    dispose: (dataId) => {
      if (!('values' in dataId)) throw new BackendError('minimal: not a minimal-backend handle');
    },
    fill: (shape, value, dtype) => store(dtype, sizeOf(shape), () => value),
    cast: (x, dtype) => {
      const v = values(x);
      const convert =
        dtype === 'bool' ? (a: number) => +(a !== 0) : dtype === 'int32' ? Math.trunc : (a: number) => a;
      return store(dtype, v.length, (i) => convert(v[i]));
    },
    unary: (op: UnaryOp, x) => {
      const v = values(x);
      const f = UNARY[op];
      return store(x.dtype, v.length, (i) => f(v[i]));
    },
    binary: (op: BinaryOp, a, b, outShape, outDtype) => {
      const va = values(a);
      const vb = values(b);
      const f = BINARY[op];
      return store(outDtype, sizeOf(outShape), (i) =>
        f(va[broadcastIndex(i, outShape, a.shape)], vb[broadcastIndex(i, outShape, b.shape)]),
      );
    },
    where: (c, a, b, outShape) => {
      const [vc, va, vb] = [values(c), values(a), values(b)];
      return store(a.dtype, sizeOf(outShape), (i) =>
        vc[broadcastIndex(i, outShape, c.shape)]
          ? va[broadcastIndex(i, outShape, a.shape)]
          : vb[broadcastIndex(i, outShape, b.shape)],
      );
    },
    reduce: (op: ReduceOp, x, axes) => {
      const v = values(x);
      const outShape = x.shape.filter((_, d) => !axes.includes(d));
      const outStrides = stridesOf(outShape);
      const init = { sum: 0, prod: 1, max: -Infinity, min: Infinity }[op];
      const acc = new Float64Array(sizeOf(outShape)).fill(init);
      forEachCoord(x.shape, (flat, coord) => {
        const kept = coord.filter((_, d) => !axes.includes(d));
        const o = offset(kept, outStrides);
        const e = v[flat];
        if (op === 'sum') acc[o] += e;
        else if (op === 'prod') acc[o] *= e;
        else if (Number.isNaN(e) || Number.isNaN(acc[o])) acc[o] = Number.NaN;
        else acc[o] = op === 'max' ? Math.max(acc[o], e) : Math.min(acc[o], e);
      });
      return store(x.dtype, acc.length, (i) => acc[i]);
    },
    argReduce: (op: ArgReduceOp, x, axis) => {
      const v = values(x);
      const outShape = x.shape.filter((_, d) => d !== axis);
      const strides = stridesOf(x.shape);
      return store('int32', sizeOf(outShape), (i) => {
        const coord = [...unflatten(i, outShape)];
        coord.splice(axis, 0, 0);
        let best = 0;
        for (let k = 1; k < x.shape[axis]; k++) {
          coord[axis] = k;
          const e = v[offset(coord, strides)];
          coord[axis] = best;
          const current = v[offset(coord, strides)];
          if (op === 'argmax' ? e > current : e < current) best = k;
        }
        return best;
      });
    },
    matmul: (a, b, transposeA, transposeB) => {
      const [va, vb] = [values(a), values(b)];
      const batch = a.shape[0];
      const m = transposeA ? a.shape[2] : a.shape[1];
      const k = transposeA ? a.shape[1] : a.shape[2];
      const n = transposeB ? b.shape[1] : b.shape[2];
      const at = (p: number, i: number, j: number) => va[p * m * k + (transposeA ? j * m + i : i * k + j)];
      const bt = (p: number, i: number, j: number) => vb[p * k * n + (transposeB ? j * k + i : i * n + j)];
      return store('float32', batch * m * n, (flat) => {
        const p = Math.floor(flat / (m * n));
        const i = Math.floor(flat / n) % m;
        const j = flat % n;
        let s = 0;
        for (let q = 0; q < k; q++) s += at(p, i, q) * bt(p, q, j);
        return s;
      });
    },
    transpose: (x, perm) => {
      const v = values(x);
      const outShape = perm.map((p) => x.shape[p]);
      const strides = stridesOf(x.shape);
      return store(x.dtype, v.length, (i) => {
        const coord = unflatten(i, outShape);
        let o = 0;
        perm.forEach((p, d) => {
          o += coord[d] * strides[p];
        });
        return v[o];
      });
    },
    broadcastTo: (x, shape) => {
      const v = values(x);
      return store(x.dtype, sizeOf(shape), (i) => v[broadcastIndex(i, shape, x.shape)]);
    },
    slice: (x, begin, step, outShape) => {
      const v = values(x);
      const strides = stridesOf(x.shape);
      return store(x.dtype, sizeOf(outShape), (i) => {
        const coord = unflatten(i, outShape);
        return v[
          offset(
            coord.map((c, d) => begin[d] + c * step[d]),
            strides,
          )
        ];
      });
    },
    concat: (xs, axis) => {
      const outShape = [...xs[0].shape];
      outShape[axis] = xs.reduce((n, x) => n + x.shape[axis], 0);
      return store(xs[0].dtype, sizeOf(outShape), (i) => {
        const coord = unflatten(i, outShape);
        let part = 0;
        while (coord[axis] >= xs[part].shape[axis]) coord[axis] -= xs[part++].shape[axis];
        return values(xs[part])[offset(coord, stridesOf(xs[part].shape))];
      });
    },
    gather: (x, indices, axis) => {
      const [v, idx] = [values(x), values(indices)];
      const outShape = [...x.shape];
      outShape[axis] = idx.length;
      const strides = stridesOf(x.shape);
      return store(x.dtype, sizeOf(outShape), (i) => {
        const coord = unflatten(i, outShape);
        coord[axis] = idx[coord[axis]];
        return v[offset(coord, strides)];
      });
    },
    indexAdd: (x, axis, indices, source) => {
      const out = values(x).slice();
      const [src, idx] = [values(source), values(indices)];
      const strides = stridesOf(x.shape);
      forEachCoord(source.shape, (flat, coord) => {
        const target = [...coord];
        target[axis] = idx[coord[axis]];
        out[offset(target, strides)] += src[flat];
      });
      return wrap(out);
    },
  };
}

function unflatten(flat: number, shape: Shape): number[] {
  const coord = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    coord[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return coord;
}
