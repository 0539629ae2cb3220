import type { Tensor } from '@backprop/core';
import * as core from '@backprop/core';
import { erf, roundHalfEven } from '../reference/math.js';
import { mapRef, type RefTensor } from '../reference/ndarray.js';
import type { InputSpec, OpCase, Sample } from '../types.js';
import { input, unarySamples } from './helpers.js';

/** Ops that keep int32 input int32; the rest compute in float32. */
const INTEGER_KEEPING = new Set(['neg', 'abs', 'sign', 'square', 'relu']);

/** A unary elementwise case. `values` adds a sample of hand-picked edge values. */
export function unaryCase(
  family: string,
  name: string,
  op: (x: Tensor) => Tensor,
  f: (x: number) => number,
  dist: InputSpec['dist'],
  options: { values?: number[]; grad?: boolean; ints?: boolean; gradValues?: boolean } = {},
): OpCase<undefined> {
  const extra: Sample<unknown>[] = [];
  if (options.values)
    extra.push({
      name: 'edge values',
      inputs: [input([options.values.length], { values: options.values })],
      grad: options.gradValues ?? false,
    });
  if (options.ints ?? true)
    extra.push({ name: 'int32 input', inputs: [input([2, 5], { dtype: 'int32' })], grad: false });
  return {
    name,
    family,
    ops: [name],
    samples: unarySamples(dist, extra) as Sample<undefined>[],
    grad: options.grad ?? true,
    run: ([x]) => op(x),
    reference: ([x]: RefTensor[]) =>
      mapRef(x, f, x.dtype === 'int32' && INTEGER_KEEPING.has(name) ? 'int32' : 'float32'),
  };
}

export interface ClampArgs {
  readonly min?: number;
  readonly max?: number;
}

export const unaryCases: OpCase[] = [
  unaryCase('unary', 'neg', core.neg, (x) => -x, 'normal'),
  unaryCase('unary', 'abs', core.abs, Math.abs, 'nonzero', { values: [-0, 0, -3, 2.5] }),
  unaryCase('unary', 'sign', core.sign, (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), 'nonzero', {
    values: [0, -0, -2, 3, Number.POSITIVE_INFINITY],
  }),
  unaryCase('unary', 'exp', core.exp, Math.exp, 'normal', { values: [-100, -20, 0, 20, 88, 89] }),
  unaryCase('unary', 'log', core.log, Math.log, 'positive', { values: [1e-30, 1, 0, -1, 1e30], ints: true }),
  unaryCase('unary', 'sqrt', core.sqrt, Math.sqrt, 'positive', { values: [0, 1e-30, 4, -1, 1e30] }),
  unaryCase('unary', 'square', core.square, (x) => x * x, 'normal', { values: [-3, 1e20, 0] }),
  unaryCase('unary', 'reciprocal', core.reciprocal, (x) => 1 / x, 'nonzero', { values: [0, -0, 1e-3, -8] }),
  unaryCase('unary', 'sin', core.sin, Math.sin, 'normal', { values: [0, Math.fround(Math.PI), -10, 10] }),
  unaryCase('unary', 'cos', core.cos, Math.cos, 'normal', { values: [0, Math.fround(Math.PI), -10, 10] }),
  unaryCase('unary', 'floor', core.floor, Math.floor, 'offgrid', {
    values: [-2.5, -0.5, 0, 0.5, 2, 1e7 + 1],
  }),
  unaryCase('unary', 'ceil', core.ceil, Math.ceil, 'offgrid', { values: [-2.5, -0.5, 0, 0.5, 2, 1e7 + 1] }),
  unaryCase('unary', 'round', core.round, roundHalfEven, 'offgrid', {
    values: [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.7, -3.2],
  }),
  unaryCase('unary', 'log1p', core.log1p, Math.log1p, 'positive', {
    values: [1e-7, -1e-7, -0.5, 0, 3, -1],
    gradValues: false,
  }),
  unaryCase('unary', 'expm1', core.expm1, Math.expm1, 'normal', { values: [1e-7, -1e-7, 0, -20, 5] }),
  unaryCase('unary', 'erf', core.erf, erf, 'normal', { values: [-5, -3.5, -1, 0, 0.5, 3.2, 6] }),
  // 'uniform' samples lie in (−1, 1); they are scaled by 0.9 so finite differences stay clear of ±1.
  unaryCase(
    'unary',
    'asin',
    (x) => core.asin(core.mul(x, 0.9)),
    (x) => Math.asin(0.9 * x),
    'uniform',
    {
      values: [-1, -0.5, 0, 0.5, 1, 1.5],
      ints: false,
    },
  ),
  unaryCase('unary', 'atan', core.atan, Math.atan, 'normal', { values: [-1e4, -1, 0, 1, 1e4] }),
  {
    name: 'clamp',
    family: 'unary',
    ops: ['clamp'],
    grad: true,
    samples: [
      { name: 'min and max', inputs: [input([3, 5], { dist: 'distinct' })], args: { min: -0.25, max: 0.35 } },
      { name: 'min only', inputs: [input([3, 5], { dist: 'distinct' })], args: { min: -0.25 } },
      { name: 'max only', inputs: [input([3, 5], { dist: 'distinct' })], args: { max: 0.35 } },
      { name: 'neither', inputs: [input([4], { dist: 'distinct' })], args: {} },
      {
        name: 'transposed',
        inputs: [input([4, 3], { dist: 'distinct', permute: [1, 0] })],
        args: { min: -0.1, max: 0.1 },
      },
      { name: 'scalar', inputs: [input([], { values: [3] })], args: { min: -1, max: 1 } },
      { name: 'empty', inputs: [input([0])], args: { min: 0, max: 1 } },
      { name: 'int32', inputs: [input([2, 5], { dtype: 'int32' })], args: { min: -1, max: 2 } },
      { name: '256x256', inputs: [input([256, 256])], args: { min: -0.5, max: 0.5 }, grad: false },
    ],
    run: ([x], args: ClampArgs) => core.clamp(x, args.min, args.max),
    reference: ([x], args: ClampArgs) =>
      mapRef(x, (v) => Math.min(Math.max(v, args.min ?? -Infinity), args.max ?? Infinity)),
  },
];
