/** Cases of the elementwise tests (isnan, isinf, isfinite), the logical ops, any/all and isclose. */
import * as core from '@backprop/core';
import { iscloseRef, truthy } from '../reference/elementwise-extra.js';
import { mapRef, type RefTensor, reduceRef, zipRef } from '../reference/ndarray.js';
import type { ErrorCase, InputSpec, OpCase, Sample } from '../types.js';
import { input, transposed } from './helpers.js';

const SPECIAL = [0, -0, 1.5, -2, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3e38];

const testSamples: Sample<undefined>[] = [
  { name: 'special values', inputs: [input([8], { values: SPECIAL })] },
  { name: 'matrix', inputs: [input([3, 4])] },
  { name: 'transposed special', inputs: [input([2, 4], { values: SPECIAL, permute: [1, 0] })] },
  { name: 'int32', inputs: [input([2, 3], { dtype: 'int32' })] },
  { name: 'bool', inputs: [input([4], { dtype: 'bool' })] },
  { name: 'empty', inputs: [input([0, 2])] },
];

function testCase(
  name: string,
  op: (x: core.Tensor) => core.Tensor,
  f: (v: number) => boolean,
): OpCase<undefined> {
  return {
    name,
    family: 'logic',
    ops: [name],
    samples: testSamples,
    run: ([x]) => op(x),
    reference: ([x]: RefTensor[]) => mapRef(x, (v) => (f(v) ? 1 : 0), 'bool'),
  };
}

const pairs = (a: InputSpec, b: InputSpec): InputSpec[] => [a, b];

const logicalSamples: Sample<undefined>[] = [
  { name: 'bool', inputs: pairs(input([6], { dtype: 'bool' }), input([6], { dtype: 'bool' })) },
  {
    name: 'float truthiness, NaN true',
    inputs: pairs(
      input([5], { values: [0, 1, Number.NaN, -0, 2] }),
      input([5], { values: [1, 0, 1, 0, -3] }),
    ),
  },
  {
    name: 'int32 and bool, broadcast',
    inputs: pairs(input([3, 4], { dtype: 'int32' }), input([4], { dtype: 'bool' })),
  },
  {
    name: 'transposed',
    inputs: pairs(transposed([3, 2], { dtype: 'int32' }), input([3, 2], { dtype: 'int32' })),
  },
  { name: 'empty', inputs: pairs(input([0, 2]), input([2])) },
];

function logicalCase(
  name: string,
  op: (a: core.Tensor, b: core.Tensor) => core.Tensor,
  f: (a: boolean, b: boolean) => boolean,
): OpCase<undefined> {
  return {
    name,
    family: 'logic',
    ops: [name],
    samples: logicalSamples,
    run: ([a, b]) => op(a, b),
    reference: ([a, b]: RefTensor[]) => zipRef(a, b, (p, q) => (f(truthy(p), truthy(q)) ? 1 : 0), 'bool'),
  };
}

interface ReduceArgs {
  axis?: number | number[];
  keepDims?: boolean;
}

const reduceSamples: Sample<ReduceArgs>[] = [
  { name: 'all axes', inputs: [input([3, 4], { dtype: 'bool' })], args: {} },
  { name: 'rows', inputs: [input([3, 4], { dtype: 'bool' })], args: { axis: 1 } },
  {
    name: 'columns, keepDims',
    inputs: [input([3, 4], { dtype: 'int32' })],
    args: { axis: 0, keepDims: true },
  },
  {
    name: 'float with NaN',
    inputs: [input([2, 3], { values: [0, Number.NaN, 0, 0, 0, 0] })],
    args: { axis: 1 },
  },
  { name: 'all ones', inputs: [input([5], { values: [1, 2, 3, -1, 0.5] })], args: {} },
  { name: 'empty axis', inputs: [input([2, 0])], args: { axis: 1 } },
  { name: '3-D two axes', inputs: [input([2, 3, 4], { dtype: 'bool' })], args: { axis: [0, 2] } },
];

function reduceCase(name: 'any' | 'all', op: typeof core.any): OpCase<ReduceArgs> {
  return {
    name,
    family: 'logic',
    ops: [name],
    samples: reduceSamples,
    run: ([x], a) => op(x, a.axis, { keepDims: a.keepDims }),
    reference: ([x]: RefTensor[], a) =>
      reduceRef(
        x,
        a.axis,
        a.keepDims ?? false,
        (vs) => (name === 'any' ? (vs.some(truthy) ? 1 : 0) : vs.every(truthy) ? 1 : 0),
        'bool',
      ),
  };
}

interface CloseArgs {
  rtol?: number;
  atol?: number;
  equalNan?: boolean;
}

const closeValues = {
  a: [1, 1 + 1e-6, 1.01, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NaN, 0, 1e-9],
  b: [1, 1, 1, Number.POSITIVE_INFINITY, 1, Number.NaN, 1e-9, 0],
};

export const logicCases: OpCase[] = [
  testCase('isnan', core.isnan, Number.isNaN),
  testCase('isinf', core.isinf, (v) => v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY),
  testCase('isfinite', core.isfinite, Number.isFinite),
  logicalCase('logicalAnd', core.logicalAnd, (a, b) => a && b),
  logicalCase('logicalOr', core.logicalOr, (a, b) => a || b),
  logicalCase('logicalXor', core.logicalXor, (a, b) => a !== b),
  reduceCase('any', core.any),
  reduceCase('all', core.all),
  {
    name: 'isclose',
    family: 'logic',
    ops: ['isclose'],
    samples: [
      {
        name: 'defaults',
        inputs: [input([8], { values: closeValues.a }), input([8], { values: closeValues.b })],
        args: {},
      },
      {
        name: 'loose, equal NaN',
        inputs: [input([8], { values: closeValues.a }), input([8], { values: closeValues.b })],
        args: { rtol: 0.02, atol: 1e-6, equalNan: true },
      },
      {
        name: 'broadcast',
        inputs: [input([3, 4], { dist: 'uniform' }), input([4], { dist: 'uniform' })],
        args: { atol: 0.5 },
      },
    ],
    run: ([a, b], o: CloseArgs) => core.isclose(a, b, o),
    reference: ([a, b]: RefTensor[], o: CloseArgs) =>
      zipRef(a, b, (p, q) => iscloseRef(p, q, o.rtol ?? 1e-5, o.atol ?? 1e-8, o.equalNan ?? false), 'bool'),
  },
];

const f = (shape: number[]) => core.zeros(shape);

export const logicErrorCases: readonly ErrorCase[] = [
  {
    name: 'logicalAnd: shapes that do not broadcast',
    error: 'ShapeError',
    run: () => core.logicalAnd(f([2]), f([3])),
  },
  {
    name: 'logicalOr: a number operand',
    error: 'ArgumentError',
    run: () => core.logicalOr(f([2]), 1 as never),
  },
  { name: 'any: axis out of range', error: 'ArgumentError', run: () => core.any(f([2]), 1) },
  {
    name: 'isclose: negative rtol',
    error: 'ArgumentError',
    run: () => core.isclose(f([2]), f([2]), { rtol: -1 }),
  },
];
