/** Cases of the scans (cumsum, cumprod), the sorts and order statistics, and norms. */
import * as core from '@backprop/core';
import { refKthvalue, refMedian, refNorm, refScan, refSort } from '../reference/order.js';
import type { ErrorCase, OpCase } from '../types.js';
import { input, transposed } from './helpers.js';

const scanCase = (op: 'cumsum' | 'cumprod', fn: typeof core.cumsum): OpCase<number> => ({
  name: op,
  family: 'order',
  ops: [op],
  grad: true,
  samples: [
    { name: 'vector', inputs: [input([7], { dist: op === 'cumprod' ? 'uniform' : 'normal' })], args: 0 },
    { name: 'rows', inputs: [input([3, 5])], args: 1 },
    { name: 'columns of transposed', inputs: [transposed([6, 3])], args: 0 },
    { name: 'middle of 3-D', inputs: [input([2, 5, 3])], args: -2 },
    {
      name: 'zeros and negatives',
      inputs: [input([2, 5], { values: [2, 0, 3, -1, 2, 1, -2, -2, 3, 0.5] })],
      args: 1,
    },
    { name: 'length 1', inputs: [input([3, 1])], args: 1 },
    { name: 'empty', inputs: [input([0, 3])], args: 0 },
    { name: 'scalar', inputs: [input([])], args: 0 },
    { name: 'int32', inputs: [input([2, 6], { dtype: 'int32' })], args: 1 },
    ...(op === 'cumsum'
      ? [
          { name: 'bool counts', inputs: [input([9], { dtype: 'bool' })], args: 0 },
          { name: '64x1000', inputs: [input([64, 1000])], args: 1, grad: false, tolerance: { atol: 10 } },
        ]
      : [{ name: '16x300 near one', inputs: [input([16, 300], { dist: 'nearone' })], args: 1, grad: false }]),
  ],
  run: ([x], axis) => fn(x, axis),
  reference: ([x], axis) => refScan(x, axis, op === 'cumprod'),
});

interface SortArgs {
  axis?: number;
  descending?: boolean;
}

const sortSamples = [
  { name: 'vector', inputs: [input([7], { dist: 'distinct' })], args: {} },
  {
    name: 'rows, descending',
    inputs: [input([3, 5], { dist: 'distinct' })],
    args: { axis: 1, descending: true },
  },
  { name: 'columns', inputs: [input([5, 3], { dist: 'distinct' })], args: { axis: 0 } },
  {
    name: 'transposed 3-D',
    inputs: [input([2, 3, 6], { dist: 'distinct', permute: [1, 2, 0] })],
    args: { axis: -1 },
  },
  {
    name: 'ties stay in order',
    inputs: [input([2, 6], { values: [1, 2, 1, 2, 1, 2, 3, 3, 0, 0, 3, 0] })],
    args: { axis: 1 },
    grad: false,
  },
  {
    name: 'ties descending',
    inputs: [input([6], { values: [1, 2, 1, 2, 0, 2] })],
    args: { descending: true },
    grad: false,
  },
  {
    name: 'NaN and infinities',
    inputs: [
      input([6], {
        values: [3, Number.NaN, 1, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NaN],
      }),
    ],
    args: {},
    grad: false,
  },
  {
    name: 'NaN descending',
    inputs: [input([5], { values: [3, Number.NaN, Number.NEGATIVE_INFINITY, 1, Number.NaN] })],
    args: { descending: true },
    grad: false,
  },
  { name: 'int32', inputs: [input([3, 5], { dtype: 'int32' })], args: { axis: 1 } },
  { name: 'length 1', inputs: [input([3, 1])], args: { axis: 1 } },
  { name: 'empty batch', inputs: [input([0, 4])], args: { axis: 1 } },
  { name: '8x1000', inputs: [input([8, 1000])], args: { axis: 1 }, grad: false },
];

interface TopkArgs {
  k: number;
  axis?: number;
  largest?: boolean;
}

interface KthArgs {
  k: number;
  axis?: number;
  keepDims?: boolean;
}

interface MedianArgs {
  axis?: number;
  keepDims?: boolean;
}

interface NormArgs {
  p?: number | 'fro';
  axis?: number | number[];
  keepDims?: boolean;
}

const normSample = (name: string, args: NormArgs, shape: number[] = [3, 4], extra = {}) => ({
  name,
  inputs: [input(shape, { dist: 'nonzero' })],
  args,
  ...extra,
});

/**
 * The suite's gradcheck joins a case's outputs into one tensor, which int32 indices beside float
 * values cannot be: multi-output cases check the float64 reference gradient, and these value-only
 * cases run gradcheck.
 */
const valueGradients: OpCase = {
  name: 'order values gradcheck',
  family: 'order',
  ops: ['sort', 'topk', 'kthvalue'],
  grad: true,
  samples: [
    { name: 'sort rows descending', inputs: [input([3, 4], { dist: 'distinct' })], args: { op: 'sort' } },
    { name: 'topk 2 of columns', inputs: [input([5, 2], { dist: 'distinct' })], args: { op: 'topk' } },
    { name: 'kthvalue 3', inputs: [input([2, 5], { dist: 'distinct' })], args: { op: 'kthvalue' } },
  ],
  run: ([x], a: { op: string }) =>
    a.op === 'sort'
      ? core.sort(x, 1, { descending: true }).values
      : a.op === 'topk'
        ? core.topk(x, 2, 0).values
        : core.kthvalue(x, 3, 1).values,
  reference: ([x], a: { op: string }) =>
    a.op === 'sort'
      ? refSort(x, 1, true)[0]
      : a.op === 'topk'
        ? refSort(x, 0, true, 2)[0]
        : refKthvalue(x, 3, 1, false)[0],
};

/** Cases whose second output is int32 indices: gradcheck off (see above), reference gradients on. */
const INDEXED = new Set(['sort', 'topk', 'kthvalue']);

const cases: OpCase[] = [
  scanCase('cumsum', core.cumsum),
  scanCase('cumprod', core.cumprod),
  {
    name: 'sort',
    family: 'order',
    ops: ['sort'],
    grad: true,
    samples: sortSamples,
    run: ([x], a: SortArgs) => {
      const { values, indices } = core.sort(x, a.axis, { descending: a.descending });
      return [values, indices];
    },
    reference: ([x], a: SortArgs) => refSort(x, a.axis ?? -1, a.descending ?? false),
  },
  {
    name: 'argsort',
    family: 'order',
    ops: ['argsort'],
    samples: sortSamples.filter((s) => s.name !== '8x1000'),
    run: ([x], a: SortArgs) => core.argsort(x, a.axis, { descending: a.descending }),
    reference: ([x], a: SortArgs) => refSort(x, a.axis ?? -1, a.descending ?? false)[1],
  },
  {
    name: 'topk',
    family: 'order',
    ops: ['topk'],
    grad: true,
    samples: [
      { name: 'largest 3', inputs: [input([7], { dist: 'distinct' })], args: { k: 3 } },
      {
        name: 'smallest 2 of rows',
        inputs: [input([3, 5], { dist: 'distinct' })],
        args: { k: 2, largest: false },
      },
      { name: 'columns', inputs: [input([6, 2], { dist: 'distinct' })], args: { k: 4, axis: 0 } },
      { name: 'k = 0', inputs: [input([2, 3])], args: { k: 0 } },
      { name: 'ties', inputs: [input([5], { values: [1, 3, 3, 2, 3] })], args: { k: 2 }, grad: false },
      { name: '4x1000 top 10', inputs: [input([4, 1000])], args: { k: 10 }, grad: false },
    ],
    run: ([x], a: TopkArgs) => {
      const { values, indices } = core.topk(x, a.k, a.axis, { largest: a.largest });
      return [values, indices];
    },
    reference: ([x], a: TopkArgs) => refSort(x, a.axis ?? -1, a.largest ?? true, a.k),
  },
  {
    name: 'kthvalue',
    family: 'order',
    ops: ['kthvalue'],
    grad: true,
    samples: [
      { name: 'second smallest', inputs: [input([6], { dist: 'distinct' })], args: { k: 2 } },
      {
        name: 'rows, keepDims',
        inputs: [input([3, 4], { dist: 'distinct' })],
        args: { k: 4, keepDims: true },
      },
      { name: 'columns', inputs: [input([5, 2], { dist: 'distinct' })], args: { k: 3, axis: 0 } },
    ],
    run: ([x], a: KthArgs) => {
      const { values, indices } = core.kthvalue(x, a.k, a.axis, { keepDims: a.keepDims });
      return [values, indices];
    },
    reference: ([x], a: KthArgs) => refKthvalue(x, a.k, a.axis ?? -1, a.keepDims ?? false),
  },
  {
    name: 'median',
    family: 'order',
    ops: ['median'],
    grad: true,
    samples: [
      { name: 'all, odd', inputs: [input([7], { dist: 'distinct' })], args: {} },
      { name: 'all, even: lower middle', inputs: [input([2, 4], { dist: 'distinct' })], args: {} },
      { name: 'all, keepDims', inputs: [input([2, 3], { dist: 'distinct' })], args: { keepDims: true } },
      { name: 'rows', inputs: [input([3, 4], { dist: 'distinct' })], args: { axis: 1 } },
      {
        name: 'columns of transposed, keepDims',
        inputs: [transposed([5, 3], { dist: 'distinct' })],
        args: { axis: 0, keepDims: true },
      },
      {
        name: 'NaN rows',
        inputs: [input([2, 3], { values: [1, Number.NaN, 3, 4, 2, 3] })],
        args: { axis: 1 },
        grad: false,
      },
      { name: 'int32', inputs: [input([3, 4], { dtype: 'int32' })], args: { axis: 1 } },
      { name: '16x999', inputs: [input([16, 999])], args: { axis: 1 }, grad: false },
    ],
    run: ([x], a: MedianArgs) => core.median(x, a.axis, { keepDims: a.keepDims }),
    reference: ([x], a: MedianArgs) => refMedian(x, a.axis, a.keepDims ?? false),
  },
  {
    name: 'norm',
    family: 'order',
    ops: ['norm'],
    grad: true,
    samples: [
      normSample('2, all', {}),
      normSample('2, rows', { axis: 1 }),
      normSample('fro over both', { p: 'fro', axis: [0, 1] }),
      normSample('1, columns, keepDims', { p: 1, axis: 0, keepDims: true }),
      normSample('inf, rows', { p: Number.POSITIVE_INFINITY, axis: -1 }),
      normSample('-inf, all', { p: Number.NEGATIVE_INFINITY }),
      normSample('3, 3-D middle', { p: 3, axis: 1 }, [2, 3, 2]),
      normSample('0.5, rows', { p: 0.5, axis: 1 }),
      {
        name: '0 counts non-zeros',
        inputs: [input([2, 3], { values: [0, 1.5, 0, -2, 0, 0] })],
        args: { p: 0, axis: 1 },
      },
      {
        name: 'zero rows',
        inputs: [input([2, 3], { values: [0, 0, 0, 3, -4, 0] })],
        args: { axis: 1 },
        gradcheck: false,
      },
      { name: 'int32', inputs: [input([3, 3], { dtype: 'int32' })], args: { p: 2 } },
      { name: '256x256', inputs: [input([256, 256])], args: { axis: 1 }, grad: false },
    ],
    run: ([x], a: NormArgs) => core.norm(x, a.p, a.axis, { keepDims: a.keepDims }),
    reference: ([x], a: NormArgs) =>
      refNorm(
        x,
        a.p ?? 2,
        a.axis === undefined ? undefined : typeof a.axis === 'number' ? [a.axis] : a.axis,
        a.keepDims ?? false,
      ),
  },
  {
    name: 'normalize',
    family: 'order',
    ops: ['normalize'],
    grad: true,
    samples: [
      { name: 'rows', inputs: [input([3, 4], { dist: 'nonzero' })], args: { axis: 1 } },
      { name: 'L1 columns', inputs: [input([3, 4], { dist: 'nonzero' })], args: { p: 1, axis: 0 } },
    ],
    run: ([x], a: NormArgs & { axis: number }) => core.normalize(x, a.p, a.axis),
    reference: ([x], a: NormArgs & { axis: number }) => {
      const n = refNorm(x, a.p ?? 2, [a.axis], true);
      const rank = x.shape.length;
      const ax = a.axis < 0 ? a.axis + rank : a.axis;
      const data = x.data.map((v, i) => {
        let rest = i;
        const coord = x.shape.map(() => 0);
        for (let d = rank - 1; d >= 0; d--) {
          coord[d] = rest % x.shape[d];
          rest = Math.floor(rest / x.shape[d]);
        }
        coord[ax] = 0;
        let o = 0;
        for (let d = 0; d < rank; d++) o = o * n.shape[d] + coord[d];
        return v / Math.max(n.data[o], 1e-12);
      });
      return { shape: [...x.shape], data, dtype: 'float32' };
    },
  },
  valueGradients,
];

export const orderCases: OpCase[] = cases.map((c) =>
  INDEXED.has(c.name) ? { ...c, samples: c.samples.map((sample) => ({ ...sample, gradcheck: false })) } : c,
);

const f = (shape: number[]) => core.zeros(shape);

export const orderErrorCases: readonly ErrorCase[] = [
  { name: 'cumsum: axis out of range', error: 'ArgumentError', run: () => core.cumsum(f([2, 3]), 2) },
  {
    name: 'sort: unknown option',
    error: 'ArgumentError',
    run: () => core.sort(f([3]), 0, { descend: true } as never),
  },
  { name: 'topk: k larger than the axis', error: 'ArgumentError', run: () => core.topk(f([2, 3]), 4) },
  { name: 'kthvalue: k of 0', error: 'ArgumentError', run: () => core.kthvalue(f([3]), 0) },
  { name: 'median: empty axis', error: 'ShapeError', run: () => core.median(f([2, 0]), 1) },
  { name: 'norm: negative p', error: 'ArgumentError', run: () => core.norm(f([3]), -1) },
  { name: "norm: 'nuc'", error: 'ArgumentError', run: () => core.norm(f([2, 2]), 'nuc' as never) },
];
