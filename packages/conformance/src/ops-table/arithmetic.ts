import {
  add,
  div,
  maximum,
  minimum,
  mul,
  pow,
  squaredDifference,
  sub,
  type Tensor,
  type TensorOrScalar,
} from '@backprop/core';
import { maxNaN, minNaN } from '../reference/math.js';
import { promote, type RefTensor, ref, zipRef } from '../reference/ndarray.js';
import type { InputSpec, OpCase, Sample } from '../types.js';
import { binarySamples, input } from './helpers.js';
import { highRankBinarySamples } from './high-rank.js';

/** A number operand instead of the second (or, with `first`, the first) tensor. */
export interface NumberOperand {
  readonly number?: number;
  readonly first?: boolean;
}

type Binary = (a: TensorOrScalar, b: TensorOrScalar) => Tensor;

function operands<T>(inputs: T[], args: NumberOperand | undefined, wrap: (n: number) => T): [T, T] {
  if (args?.number === undefined) return [inputs[0], inputs[1]];
  return args.first ? [wrap(args.number), inputs[0]] : [inputs[0], wrap(args.number)];
}

/** Reference scalar operand: an integer number keeps an int tensor int; a fraction makes float32. */
function refNumber(n: number, other: RefTensor): RefTensor {
  const dtype =
    other.dtype === 'float32' || !Number.isInteger(n)
      ? 'float32'
      : other.dtype === 'bool'
        ? 'int32'
        : other.dtype;
  return ref([], [n], dtype);
}

function numberSamples(a: InputSpec['dist'], b: InputSpec['dist'], value: number): Sample<NumberOperand>[] {
  return [
    { name: `tensor and number ${value}`, inputs: [input([2, 3], { dist: a })], args: { number: value } },
    {
      name: `number ${value} and tensor`,
      inputs: [input([2, 3], { dist: b })],
      args: { number: value, first: true },
    },
  ];
}

const intSamples: Sample<NumberOperand>[] = [
  { name: 'int32', inputs: [input([3, 4], { dtype: 'int32' }), input([4], { dtype: 'int32' })] },
  { name: 'int32 and float32 promote', inputs: [input([3, 4], { dtype: 'int32' }), input([3, 4])] },
  { name: 'int32 and integer number', inputs: [input([2, 3], { dtype: 'int32' })], args: { number: 3 } },
];

function binaryCase(
  name: string,
  op: Binary,
  f: (a: number, b: number) => number,
  options: {
    a?: InputSpec['dist'];
    b?: InputSpec['dist'];
    number?: number;
    floatOut?: boolean;
    ints?: boolean;
    extra?: Sample<NumberOperand>[];
    grad?: boolean;
  } = {},
): OpCase<NumberOperand | undefined> {
  const {
    a = 'normal',
    b = 'normal',
    number = 2.5,
    floatOut = false,
    ints = true,
    extra = [],
    grad = true,
  } = options;
  return {
    name,
    family: 'arithmetic',
    ops: [name],
    samples: [
      ...binarySamples(a, b),
      ...numberSamples(a, b, number),
      ...(ints ? intSamples : []),
      ...extra,
    ] as Sample<NumberOperand | undefined>[],
    grad,
    run: (xs, args) => op(...operands<TensorOrScalar>(xs, args, (n) => n)),
    reference: (xs, args) => {
      const [x, y] = operands<RefTensor | number>(xs, args, (n) => n);
      const rx = typeof x === 'number' ? refNumber(x, y as RefTensor) : x;
      const ry = typeof y === 'number' ? refNumber(y, rx) : y;
      const dtype = floatOut ? 'float32' : promote(rx.dtype, ry.dtype);
      const compute = dtype === 'int32' ? (p: number, q: number) => f(p, q) | 0 : f;
      return zipRef(rx, ry, compute, dtype);
    },
  };
}

export const arithmeticCases: OpCase[] = [
  binaryCase('add', add, (a, b) => a + b, { extra: highRankBinarySamples('normal', 'normal') }),
  binaryCase('sub', sub, (a, b) => a - b),
  binaryCase('mul', mul, (a, b) => a * b),
  binaryCase('div', div, (a, b) => a / b, {
    b: 'nonzero',
    number: 0.5,
    floatOut: true,
    extra: [
      {
        name: 'int32 true division',
        inputs: [
          input([2, 3], { dtype: 'int32' }),
          input([2, 3], { dtype: 'int32', values: [1, 2, 3, -4, 7, -2] }),
        ],
      },
      {
        name: 'division by zero',
        inputs: [input([4], { values: [1, -1, 0, 2] }), input([4], { values: [0, 0, 0, 4] })],
        grad: false,
      },
    ],
  }),
  binaryCase('pow', pow, (a, b) => a ** b, {
    a: 'positive',
    b: 'uniform',
    number: 2,
    floatOut: true,
    ints: false,
    extra: [
      {
        name: 'negative base, integer exponents',
        inputs: [input([4], { values: [-2, -1.5, -3, 0.5] }), input([4], { values: [2, 3, 0, -1] })],
        grad: false,
      },
      {
        name: 'int32 base and number',
        inputs: [input([2, 3], { dtype: 'int32', values: [1, 2, 3, 4, 5, 6] })],
        args: { number: 2 },
      },
    ],
  }),
  binaryCase('maximum', maximum, maxNaN, {
    a: 'distinct',
    b: 'interleaved',
    extra: [
      {
        name: 'NaN propagates',
        inputs: [input([3], { values: [Number.NaN, 1, 2] }), input([3], { values: [0, Number.NaN, 1] })],
        grad: false,
      },
    ],
  }),
  binaryCase('minimum', minimum, minNaN, {
    a: 'distinct',
    b: 'interleaved',
    extra: [
      {
        name: 'NaN propagates',
        inputs: [input([3], { values: [Number.NaN, 1, 2] }), input([3], { values: [0, Number.NaN, 1] })],
        grad: false,
      },
    ],
  }),
  binaryCase('squaredDifference', squaredDifference, (a, b) => (a - b) ** 2, { ints: false }),
];
