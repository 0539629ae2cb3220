import type { Axis, Tensor } from '@backprop/core';
import * as core from '@backprop/core';
import type { RefTensor } from '../reference/ndarray.js';
import {
  type RefAxis,
  refArgReduce,
  refLogsumexp,
  refMax,
  refMean,
  refMin,
  refProd,
  refStd,
  refSum,
  refVariance,
} from '../reference/reduce.js';
import type { InputSpec, OpCase, Sample } from '../types.js';
import { input, transposed } from './helpers.js';
import { longAxisSamples } from './long-axis.js';

export interface ReduceArgs {
  readonly axis?: RefAxis;
  readonly keepDims?: boolean;
  readonly correction?: number;
}

/** Large reductions sum hundreds of float32 terms: allow for the accumulated rounding. */
const LARGE = { atol: 10, rtol: 10 };

function reduceSamples(
  dist: InputSpec['dist'],
  options: { empty?: boolean; large?: boolean } = {},
): Sample<ReduceArgs>[] {
  const samples: Sample<ReduceArgs>[] = [
    { name: 'all axes', inputs: [input([3, 4], { dist })], args: {} },
    { name: 'axis 0', inputs: [input([3, 4], { dist })], args: { axis: 0 } },
    { name: 'axis -1 keepDims', inputs: [input([3, 4], { dist })], args: { axis: -1, keepDims: true } },
    { name: 'axes [0, 2] of 3-D', inputs: [input([2, 3, 4], { dist })], args: { axis: [0, 2] } },
    {
      name: 'axes [2, 0] keepDims',
      inputs: [input([2, 3, 2], { dist })],
      args: { axis: [2, 0], keepDims: true },
    },
    { name: 'all axes keepDims', inputs: [input([2, 3], { dist })], args: { keepDims: true } },
    { name: 'empty axis list', inputs: [input([2, 3], { dist })], args: { axis: [] } },
    { name: 'scalar', inputs: [input([], { dist })], args: {} },
    { name: 'transposed, axis 1', inputs: [transposed([4, 3], { dist })], args: { axis: 1 } },
    {
      name: 'permuted 3-D, axis 1',
      inputs: [input([2, 3, 4], { dist, permute: [2, 0, 1] })],
      args: { axis: 1 },
    },
    { name: 'size-1 axis', inputs: [input([3, 1, 2], { dist })], args: { axis: 1 } },
  ];
  if (options.empty ?? true) {
    samples.push(
      { name: 'empty input, axis 0', inputs: [input([0, 3], { dist })], args: { axis: 0 } },
      { name: 'empty output', inputs: [input([0, 3], { dist })], args: { axis: 1 } },
    );
  }
  if (options.large ?? true) {
    samples.push(
      { name: '256x256 axis 1', inputs: [input([256, 256], { dist })], args: { axis: 1 }, tolerance: LARGE },
      { name: '256x256 axis 0', inputs: [input([256, 256], { dist })], args: { axis: 0 }, tolerance: LARGE },
      { name: '64x256 all', inputs: [input([64, 256], { dist })], args: {}, tolerance: LARGE },
      {
        name: 'extended 1024x1024 axis 1',
        inputs: [input([1024, 1024], { dist })],
        args: { axis: 1 },
        tolerance: LARGE,
        extended: true,
      },
    );
  }
  return samples;
}

function reduceCase(
  name: string,
  op: (x: Tensor, axis: Axis, args: ReduceArgs) => Tensor,
  reference: (x: RefTensor, axis: RefAxis, args: ReduceArgs) => RefTensor,
  samples: Sample<ReduceArgs>[],
  options: { grad?: boolean; ops?: string[] } = {},
): OpCase<ReduceArgs> {
  return {
    name,
    family: 'reduce',
    ops: options.ops ?? [name],
    samples,
    grad: options.grad ?? true,
    run: ([x], args) => op(x, args.axis, args),
    reference: ([x], args) => reference(x, args.axis, args),
  };
}

const intSample = (axis?: RefAxis): Sample<ReduceArgs> => ({
  name: 'int32',
  inputs: [input([3, 4], { dtype: 'int32' })],
  args: { axis },
});
const boolSample: Sample<ReduceArgs> = {
  name: 'bool counts',
  inputs: [input([3, 4], { dtype: 'bool' })],
  args: { axis: 1 },
};

export const reduceCases: OpCase[] = [
  reduceCase(
    'sum',
    (x, a, o) => core.sum(x, a, o),
    (x, a, o) => refSum(x, a, o.keepDims),
    [
      ...reduceSamples('normal'),
      intSample(0),
      boolSample,
      ...longAxisSamples('positive', (axis) => ({ axis }), { columns: true }),
    ],
  ),
  reduceCase(
    'mean',
    (x, a, o) => core.mean(x, a, o),
    (x, a, o) => refMean(x, a, o.keepDims),
    [...reduceSamples('normal'), intSample(1), ...longAxisSamples('positive', (axis) => ({ axis }))],
  ),
  reduceCase(
    'max',
    (x, a, o) => core.max(x, a, o),
    (x, a, o) => refMax(x, a, o.keepDims),
    [
      ...reduceSamples('distinct', { empty: false }),
      intSample(1),
      { name: 'empty output', inputs: [input([0, 3])], args: { axis: 1 } },
      {
        name: 'ties share the gradient',
        inputs: [input([2, 3], { values: [1, 3, 3, -1, -1, -2] })],
        args: { axis: 1 },
      },
      {
        name: 'infinities',
        inputs: [input([2, 2], { values: [-Infinity, -Infinity, Infinity, 1] })],
        args: { axis: 1 },
        grad: false,
      },
      ...longAxisSamples('normal', (axis) => ({ axis }), { tolerance: {} }),
    ],
  ),
  reduceCase(
    'min',
    (x, a, o) => core.min(x, a, o),
    (x, a, o) => refMin(x, a, o.keepDims),
    [
      ...reduceSamples('distinct', { empty: false }),
      intSample(1),
      {
        name: 'ties share the gradient',
        inputs: [input([2, 3], { values: [1, -3, -3, 2, 2, 5] })],
        args: { axis: 1 },
      },
      ...longAxisSamples('normal', (axis) => ({ axis }), { tolerance: {} }),
    ],
  ),
  reduceCase(
    'prod',
    (x, a, o) => core.prod(x, a, o),
    (x, a, o) => refProd(x, a, o.keepDims),
    [
      ...reduceSamples('positive', { large: false }),
      intSample(1),
      {
        name: 'with zero',
        inputs: [input([2, 3], { values: [1, 0, 3, -2, 4, 0.5] })],
        args: { axis: 1 },
        grad: false,
      },
      {
        name: '64x64 axis 1, near 1',
        inputs: [
          input([64, 64], { values: Array.from({ length: 4096 }, (_, i) => 1 + ((i % 7) - 3) * 0.01) }),
        ],
        args: { axis: 1 },
        grad: false,
      },
      ...longAxisSamples('nearone', (axis) => ({ axis })),
    ],
  ),
  reduceCase(
    'variance',
    (x, a, o) => core.variance(x, a, o),
    (x, a, o) => refVariance(x, a, o.keepDims, o.correction ?? 1),
    [
      ...reduceSamples('normal', { empty: false }).filter(
        (s) => s.name !== 'scalar' && s.name !== 'size-1 axis' && s.name !== 'empty axis list',
      ),
      { name: 'correction 0', inputs: [input([3, 4])], args: { axis: 1, correction: 0 } },
      { name: 'correction 0, all', inputs: [input([2, 3, 2])], args: { correction: 0 } },
      ...longAxisSamples('positive', (axis) => ({ axis })),
    ],
    { ops: ['variance', 'var'] },
  ),
  reduceCase(
    'std',
    (x, a, o) => core.std(x, a, o),
    (x, a, o) => refStd(x, a, o.keepDims, o.correction ?? 1),
    [
      ...reduceSamples('normal', { empty: false }).filter(
        (s) => s.name !== 'scalar' && s.name !== 'size-1 axis' && s.name !== 'empty axis list',
      ),
      { name: 'correction 0', inputs: [input([3, 4])], args: { axis: 0, correction: 0 } },
    ],
  ),
  reduceCase(
    'logsumexp',
    (x, a, o) => core.logsumexp(x, a, o),
    (x, a, o) => refLogsumexp(x, a, o.keepDims),
    [
      ...reduceSamples('normal', { empty: false }),
      {
        name: 'huge logits',
        inputs: [input([2, 3], { values: [1e4, -1e4, 0, 1e4, 1e4, -5] })],
        args: { axis: 1 },
        gradcheck: false,
      },
      {
        name: 'very negative logits',
        inputs: [input([2, 2], { values: [-1e4, -1e4 - 1, -3e4, -3e4] })],
        args: { axis: 1 },
        // float32 central differences cannot resolve steps of 1e-3 at 1e4 (the ulp there is 1e-3); the float64 reference gradient still runs.
        gradcheck: false,
      },
      ...longAxisSamples('normal', (axis) => ({ axis })),
    ],
  ),
  ...(['argmax', 'argmin'] as const).map(
    (name): OpCase<ReduceArgs> => ({
      name,
      family: 'reduce',
      ops: [name],
      run: ([x], args) =>
        (name === 'argmax' ? core.argmax : core.argmin)(x, args.axis as number | undefined, args),
      reference: ([x], args) =>
        refArgReduce(x, name === 'argmax' ? 'max' : 'min', args.axis as number | undefined, args.keepDims),
      samples: [
        { name: 'flattened', inputs: [input([3, 4], { dist: 'distinct' })], args: {} },
        {
          name: 'flattened keepDims',
          inputs: [input([3, 4], { dist: 'distinct' })],
          args: { keepDims: true },
        },
        { name: 'axis 0', inputs: [input([3, 4], { dist: 'distinct' })], args: { axis: 0 } },
        {
          name: 'axis -1 keepDims',
          inputs: [input([2, 3, 4], { dist: 'distinct' })],
          args: { axis: -1, keepDims: true },
        },
        { name: 'axis 1 of 3-D', inputs: [input([2, 3, 4], { dist: 'distinct' })], args: { axis: 1 } },
        { name: 'transposed', inputs: [transposed([5, 3], { dist: 'distinct' })], args: { axis: 1 } },
        {
          name: 'first of ties',
          inputs: [input([2, 4], { values: [1, 3, 3, 0, -2, -2, 5, 5] })],
          args: { axis: 1 },
        },
        { name: 'int32', inputs: [input([3, 4], { dtype: 'int32' })], args: { axis: 1 } },
        { name: 'scalar', inputs: [input([], { values: [2] })], args: {} },
        {
          name: 'infinities',
          inputs: [input([2, 2], { values: [-Infinity, -Infinity, 1, Infinity] })],
          args: { axis: 1 },
        },
        { name: '256x256 axis 1', inputs: [input([256, 256], { dist: 'distinct' })], args: { axis: 1 } },
        { name: '256x256 axis 0', inputs: [input([256, 256], { dist: 'distinct' })], args: { axis: 0 } },
        ...longAxisSamples('distinct', (axis) => ({ axis })),
      ],
    }),
  ),
];
