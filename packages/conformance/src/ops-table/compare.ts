import type { Tensor, TensorOrScalar } from '@backprop/core';
import * as core from '@backprop/core';
import {
  broadcastAt,
  broadcastShape,
  promote,
  type RefTensor,
  ref,
  size,
  unravel,
  zipRef,
} from '../reference/ndarray.js';
import type { OpCase, Sample } from '../types.js';
import { input, transposed } from './helpers.js';
import { broadcastShapes } from './high-rank.js';

const comparisonSamples: Sample<{ number?: number }>[] = [
  { name: 'scalars', inputs: [input([], { values: [1] }), input([], { values: [1] })] },
  { name: 'ties, same shape', inputs: [input([3, 4], { dist: 'int' }), input([3, 4], { dist: 'int' })] },
  { name: 'broadcast', inputs: [input([3, 1], { dist: 'int' }), input([1, 4], { dist: 'int' })] },
  { name: 'transposed', inputs: [transposed([4, 3], { dist: 'int' }), input([3], { dist: 'int' })] },
  { name: 'empty', inputs: [input([0, 2]), input([2])] },
  { name: 'int32', inputs: [input([2, 5], { dtype: 'int32' }), input([5], { dtype: 'int32' })] },
  { name: 'int32 and float32', inputs: [input([2, 5], { dtype: 'int32' }), input([2, 5], { dist: 'int' })] },
  { name: 'bool', inputs: [input([6], { dtype: 'bool' }), input([6], { dtype: 'bool' })] },
  {
    name: 'NaN and infinities',
    inputs: [
      input([4], { values: [Number.NaN, Infinity, -Infinity, 1] }),
      input([4], { values: [Number.NaN, Infinity, 0, Number.NaN] }),
    ],
  },
  { name: 'number operand', inputs: [input([2, 4], { dist: 'int' })], args: { number: 1 } },
  { name: '256x256', inputs: [input([256, 256], { dist: 'int' }), input([256], { dist: 'int' })] },
];

function comparisonCase(
  name: string,
  op: (a: TensorOrScalar, b: TensorOrScalar) => Tensor,
  f: (a: number, b: number) => boolean,
): OpCase<{ number?: number } | undefined> {
  return {
    name,
    family: 'compare',
    ops: [name],
    samples: comparisonSamples,
    run: (xs, args) => op(xs[0], args?.number ?? xs[1]),
    reference: (xs, args) => {
      const b =
        args?.number === undefined
          ? xs[1]
          : ref([], [args.number], xs[0].dtype === 'bool' ? 'int32' : xs[0].dtype);
      return zipRef(xs[0], b, (p, q) => (f(p, q) ? 1 : 0), 'bool');
    },
  };
}

interface WhereArgs {
  readonly a?: number;
  readonly b?: number;
}

/** The two branches: numbers from `args` where given, else the next tensor inputs. */
function branches<T>(rest: T[], args: WhereArgs | undefined, wrap: (n: number) => T): [T, T] {
  let next = 0;
  const a = args?.a !== undefined ? wrap(args.a) : rest[next++];
  const b = args?.b !== undefined ? wrap(args.b) : rest[next++];
  return [a, b];
}

function refWhere(c: RefTensor, a: RefTensor, b: RefTensor): RefTensor {
  const shape = broadcastShape(c.shape, a.shape, b.shape);
  const out = new Float64Array(size(shape));
  for (let i = 0; i < out.length; i++) {
    const k = unravel(i, shape);
    out[i] = broadcastAt(c, k) ? broadcastAt(a, k) : broadcastAt(b, k);
  }
  return { shape, data: out, dtype: promote(a.dtype, b.dtype) };
}

export const compareCases: OpCase[] = [
  comparisonCase('eq', core.eq, (a, b) => a === b),
  comparisonCase('ne', core.ne, (a, b) => a !== b),
  comparisonCase('lt', core.lt, (a, b) => a < b),
  comparisonCase('le', core.le, (a, b) => a <= b),
  comparisonCase('gt', core.gt, (a, b) => a > b),
  comparisonCase('ge', core.ge, (a, b) => a >= b),
  {
    name: 'where',
    family: 'compare',
    ops: ['where'],
    grad: true,
    samples: [
      { name: 'same shape', inputs: [input([3, 4], { dtype: 'bool' }), input([3, 4]), input([3, 4])] },
      { name: 'broadcast', inputs: [input([3, 1], { dtype: 'bool' }), input([1, 4]), input([4])] },
      {
        name: 'scalar condition',
        inputs: [input([], { dtype: 'bool', values: [1] }), input([2, 3]), input([2, 3])],
      },
      {
        name: 'transposed',
        inputs: [input([4, 3], { dtype: 'bool', permute: [1, 0] }), transposed([4, 3]), input([4, 3])],
      },
      { name: 'empty', inputs: [input([0, 3], { dtype: 'bool' }), input([0, 3]), input([3])] },
      { name: 'number branches', inputs: [input([2, 3], { dtype: 'bool' })], args: { a: 1.5, b: -2 } },
      {
        name: 'number and tensor branch',
        inputs: [input([2, 3], { dtype: 'bool' }), input([3])],
        args: { a: 0.5 },
      },
      {
        name: 'tensor and number branch',
        inputs: [input([2, 3], { dtype: 'bool' }), input([2, 1])],
        args: { b: 4 },
      },
      {
        name: 'int32 branches',
        inputs: [
          input([2, 3], { dtype: 'bool' }),
          input([2, 3], { dtype: 'int32' }),
          input([2, 3], { dtype: 'int32' }),
        ],
      },
      { name: '256x256', inputs: [input([256, 256], { dtype: 'bool' }), input([256, 256]), input([256])] },
      ...broadcastShapes(3).map(
        ({ name, shapes: [c, a, b] }): Sample<WhereArgs | undefined> => ({
          name,
          inputs: [input(c, { dtype: 'bool' }), input(a), input(b)],
          grad: false,
        }),
      ),
    ],
    run: (xs, args: WhereArgs | undefined) => {
      const [a, b] = branches<TensorOrScalar>(xs.slice(1), args, (n) => n);
      return core.where(xs[0], a, b);
    },
    reference: (xs, args: WhereArgs | undefined) => {
      const [a, b] = branches<RefTensor>(xs.slice(1), args, (n) => ref([], [n]));
      return refWhere(xs[0], a, b);
    },
  },
  {
    name: 'logicalNot',
    family: 'compare',
    ops: ['logicalNot'],
    samples: [
      { name: 'vector', inputs: [input([7], { dtype: 'bool' })] },
      { name: 'transposed', inputs: [input([3, 2], { dtype: 'bool', permute: [1, 0] })] },
      { name: 'empty', inputs: [input([0], { dtype: 'bool' })] },
    ],
    run: ([x]) => core.logicalNot(x),
    reference: ([x]) => ({ shape: [...x.shape], data: x.data.map((v) => (v ? 0 : 1)), dtype: 'bool' }),
  },
];
