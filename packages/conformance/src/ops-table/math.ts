/** Cases of the composed elementwise math: tan, the hyperbolic functions and their inverses, log2/log10/exp2, rsqrt, trunc, fmod, remainder, lerp, xlogy, hypot. */
import * as core from '@backprop/core';
import { fmodC, hypotRef, lerpRef, remainderPy, xlogyRef } from '../reference/elementwise-extra.js';
import {
  broadcastAt,
  broadcastShape,
  mapRef,
  type RefTensor,
  size,
  unravel,
  zipRef,
} from '../reference/ndarray.js';
import type { InputSpec, OpCase, Sample } from '../types.js';
import { binarySamples, input } from './helpers.js';
import { unaryCase } from './unary.js';

const spread = (n: number, from: number, to: number) =>
  Array.from({ length: n }, (_, i) => Math.fround(from + ((to - from) * ((i * 7) % n)) / (n - 1)));

/** Samples with explicit values inside an op's domain (where a distribution would leave it). */
function domainSamples(from: number, to: number, edge?: number[]): Sample<undefined>[] {
  return [
    { name: 'vector', inputs: [input([9], { values: spread(9, from, to) })] },
    { name: 'matrix', inputs: [input([3, 4], { values: spread(12, from, to) })] },
    { name: 'transposed', inputs: [input([4, 3], { values: spread(12, from, to), permute: [1, 0] })] },
    { name: 'scalar', inputs: [input([], { values: [spread(3, from, to)[1]] })] },
    { name: 'empty', inputs: [input([0, 2])] },
    { name: '200x200', inputs: [input([200, 200], { values: spread(40000, from, to) })], grad: false },
    ...(edge ? [{ name: 'edge values', inputs: [input([edge.length], { values: edge })], grad: false }] : []),
  ];
}

function domainCase(
  name: string,
  op: (x: core.Tensor) => core.Tensor,
  f: (x: number) => number,
  samples: Sample<undefined>[],
): OpCase<undefined> {
  return {
    name,
    family: 'math',
    ops: [name],
    grad: true,
    samples,
    run: ([x]) => op(x),
    reference: ([x]: RefTensor[]) => mapRef(x, f, 'float32'),
  };
}

type Binary = (a: core.TensorOrScalar, b: core.TensorOrScalar) => core.Tensor;

/** A broadcasting binary case; int32 pairs give int32 when `integer`. */
function binaryCase(
  name: string,
  op: Binary,
  f: (a: number, b: number) => number,
  a: InputSpec['dist'],
  b: InputSpec['dist'],
  options: { grad?: boolean; integer?: boolean; extra?: Sample<unknown>[] } = {},
): OpCase<{ number?: number } | undefined> {
  const samples: Sample<unknown>[] = [
    ...binarySamples(a, b).map((s) => ({ ...s, grad: options.grad === false ? false : s.grad })),
    { name: 'number operand', inputs: [input([2, 3], { dist: a })], args: { number: 1.75 } },
    ...(options.extra ?? []),
  ];
  return {
    name,
    family: 'math',
    ops: [name],
    grad: true,
    samples: samples as Sample<{ number?: number } | undefined>[],
    run: ([x, y], args) => (args?.number !== undefined ? op(x, args.number) : op(x, y)),
    reference: ([x, y]: RefTensor[], args) => {
      const other: RefTensor =
        args?.number !== undefined ? { shape: [], data: Float64Array.of(args.number), dtype: 'float32' } : y;
      const integer = options.integer && x.dtype === 'int32' && other.dtype === 'int32';
      return zipRef(x, other, f, integer ? 'int32' : 'float32');
    },
  };
}

const modSafe: Sample<unknown> = {
  name: 'away from the jumps',
  inputs: [input([4], { values: [5.3, -5.3, 2.7, -0.4] }), input([4], { values: [2, 2, -1.5, 0.3] })],
  grad: true,
};

const intPair = (name: string): Sample<unknown> => ({
  name,
  inputs: [
    input([6], { dtype: 'int32', values: [-7, 7, -7, 7, 0, 9] }),
    input([6], { dtype: 'int32', values: [3, 3, -3, -3, 4, 2] }),
  ],
});

export const mathCases: OpCase[] = [
  unaryCase('math', 'tan', core.tan, Math.tan, 'uniform', { values: [0, -1.5, 1.5, 3] }),
  unaryCase('math', 'sinh', core.sinh, Math.sinh, 'normal', { values: [0, 1e-6, -1e-6, 10, -20, 80] }),
  unaryCase('math', 'cosh', core.cosh, Math.cosh, 'normal', { values: [0, 1e-6, -10, 20, 80] }),
  unaryCase('math', 'asinh', core.asinh, Math.asinh, 'normal', {
    values: [0, -0, 1e-6, -1e-6, 4095, 4097, -5000, 1e10, -1e30],
  }),
  domainCase(
    'acosh',
    core.acosh,
    Math.acosh,
    domainSamples(1.05, 6, [1, 1 + 1e-6, 0.5, 4095, 4097, 1e10, 1e30]),
  ),
  domainCase('atanh', core.atanh, Math.atanh, domainSamples(-0.9, 0.9, [0, 1e-6, -1e-6, 1, -1, 0.999, 2])),
  domainCase(
    'acos',
    core.acos,
    Math.acos,
    domainSamples(-0.95, 0.95, [-1, 1, 0.5, -0.5, 0.9999, -0.9999, 0, 2, -2]),
  ),
  binaryCase('atan2', core.atan2, Math.atan2, 'normal', 'nonzero', {
    extra: [
      {
        name: 'axes, signed zeros and quadrants',
        inputs: [
          input([10], { values: [0, -0, 0, -0, 1, -1, 1, -1, 2, Number.POSITIVE_INFINITY] }),
          input([10], { values: [1, 1, -1, -1, 0, 0, -1, -1, -0, 1] }),
        ],
        grad: false,
      },
    ],
  }),
  unaryCase('math', 'log2', core.log2, Math.log2, 'positive', { values: [1, 8, 0.125, 0, -1, 1e30] }),
  unaryCase('math', 'log10', core.log10, Math.log10, 'positive', { values: [1, 1000, 0.001, 0, -1, 1e30] }),
  unaryCase('math', 'exp2', core.exp2, (x) => 2 ** x, 'normal', { values: [0, 3, -3, 10, 127, 128, -150] }),
  unaryCase('math', 'rsqrt', core.rsqrt, (x) => 1 / Math.sqrt(x), 'positive', {
    values: [4, 1e-30, 0, -1, 1e30],
  }),
  {
    ...unaryCase('math', 'trunc', core.trunc, Math.trunc, 'offgrid', {
      values: [-2.5, -0.5, 0.5, 2.99, -2.99, 1e7 + 1, Number.POSITIVE_INFINITY, Number.NaN],
      ints: false,
    }),
    samples: [
      ...unaryCase('math', 'trunc', core.trunc, Math.trunc, 'offgrid', {
        values: [-2.5, -0.5, 0.5, 2.99, -2.99, 1e7 + 1, Number.POSITIVE_INFINITY, Number.NaN],
        ints: false,
      }).samples,
      { name: 'int32 stays int32', inputs: [input([2, 5], { dtype: 'int32' })], grad: false },
    ],
    reference: ([x]: RefTensor[]) => mapRef(x, Math.trunc, x.dtype),
  },
  binaryCase('fmod', core.fmod, fmodC, 'normal', 'nonzero', {
    grad: false,
    integer: true,
    extra: [
      modSafe,
      intPair('int32 signs'),
      {
        name: 'zero divisor',
        grad: false,
        inputs: [input([3], { values: [1, -1, 0] }), input([3], { values: [0, 0, 0] })],
      },
    ],
  }),
  binaryCase('remainder', core.remainder, remainderPy, 'normal', 'nonzero', {
    grad: false,
    integer: true,
    extra: [modSafe, intPair('int32 signs')],
  }),
  binaryCase('xlogy', core.xlogy, xlogyRef, 'normal', 'positive', {
    extra: [
      {
        name: 'zeros, NaN and infinities',
        inputs: [
          input([6], { values: [0, 0, 0, 1, 2, 0] }),
          input([6], { values: [0, Number.NaN, 2, 0, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY] }),
        ],
        grad: false,
      },
      {
        name: 'zero x gradient',
        inputs: [input([3], { values: [0, 0, 1.5] }), input([3], { values: [0.5, 2, 3] })],
        grad: true,
      },
    ],
  }),
  binaryCase('hypot', core.hypot, hypotRef, 'normal', 'normal', {
    extra: [
      {
        name: 'zeros, huge and infinite',
        inputs: [
          input([6], { values: [0, 3, 1e30, Number.POSITIVE_INFINITY, -1e-30, Number.NaN] }),
          input([6], { values: [0, -4, 1e30, 1, 1e-30, 1] }),
        ],
        grad: false,
      },
    ],
  }),
  {
    name: 'lerp',
    family: 'math',
    ops: ['lerp'],
    grad: true,
    samples: [
      { name: 'tensor weight', inputs: [input([2, 3]), input([2, 3]), input([2, 3], { dist: 'uniform' })] },
      { name: 'broadcast weight', inputs: [input([3, 4]), input([4]), input([3, 1], { dist: 'uniform' })] },
      { name: 'number weight below half', inputs: [input([5]), input([5])], args: 0.25 },
      { name: 'number weight above half', inputs: [input([5]), input([5])], args: 0.75 },
      { name: 'weight one is the end', inputs: [input([4]), input([4])], args: 1 },
      {
        name: '200x200',
        inputs: [input([200, 200]), input([200, 200]), input([200, 200], { dist: 'uniform' })],
        grad: false,
      },
    ],
    run: ([a, b, w], weight?: number) => core.lerp(a, b, weight ?? w),
    reference: ([a, b, w]: RefTensor[], weight?: number) => {
      const wt: RefTensor =
        weight !== undefined ? { shape: [], data: Float64Array.of(weight), dtype: 'float32' } : w;
      const shape = broadcastShape(a.shape, b.shape, wt.shape);
      const data = new Float64Array(size(shape));
      for (let k = 0; k < data.length; k++) {
        const c = unravel(k, shape);
        data[k] = lerpRef(broadcastAt(a, c), broadcastAt(b, c), broadcastAt(wt, c));
      }
      return { shape, data, dtype: 'float32' };
    },
  },
];
