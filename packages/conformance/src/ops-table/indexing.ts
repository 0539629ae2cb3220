/** Cases of the PyTorch-style movement and indexing ops: flip, roll, repeat, tile, tril/triu, scatter, takeAlongAxis, maskedFill, pad, `.T`. */
import * as core from '@backprop/core';
import {
  refFlip,
  refMaskedFill,
  refPad,
  refRepeat,
  refRoll,
  refScatter,
  refTakeAlongAxis,
  refTile,
  refTriangle,
} from '../reference/indexing.js';
import { refTranspose } from '../reference/movement.js';
import { permuteRef, type RefTensor } from '../reference/ndarray.js';
import type { ErrorCase, OpCase } from '../types.js';
import { input, transposed } from './helpers.js';

const idx = (values: number[], shape: number[] = [values.length]) => input(shape, { dtype: 'int32', values });
const mask = (values: number[], shape: number[] = [values.length]) => input(shape, { dtype: 'bool', values });

interface RollArgs {
  shifts: number | number[];
  dims?: number | number[];
}

interface PadArgs {
  pad: number[];
  mode?: core.PadMode;
  value?: number;
}

const list = (v: number | number[]) => (typeof v === 'number' ? [v] : v);

export const indexingCases: OpCase[] = [
  {
    name: 'flip',
    family: 'indexing',
    ops: ['flip'],
    grad: true,
    samples: [
      { name: 'vector', inputs: [input([7])], args: 0 },
      { name: 'both axes', inputs: [input([3, 4])], args: [0, 1] },
      { name: 'last axis of transposed', inputs: [transposed([4, 3])], args: -1 },
      { name: 'middle of 3-D', inputs: [input([2, 3, 4])], args: [1] },
      { name: 'int32', inputs: [input([2, 5], { dtype: 'int32' })], args: [1] },
      { name: 'empty', inputs: [input([0, 3])], args: 0 },
      { name: '300x200', inputs: [input([300, 200])], args: [0, 1], grad: false },
    ],
    run: ([x], dims: number | number[]) => core.flip(x, dims),
    reference: ([x], dims: number | number[]) => refFlip(x, list(dims)),
  },
  {
    name: 'roll',
    family: 'indexing',
    ops: ['roll'],
    grad: true,
    samples: [
      { name: 'flattened', inputs: [input([2, 3])], args: { shifts: 1 } },
      { name: 'two axes', inputs: [input([2, 3])], args: { shifts: [1, -1], dims: [0, 1] } },
      { name: 'more than the size', inputs: [input([5])], args: { shifts: 12, dims: 0 } },
      { name: 'zero shift', inputs: [input([3, 2])], args: { shifts: 0, dims: 1 } },
      {
        name: 'transposed 3-D',
        inputs: [input([2, 3, 4], { permute: [2, 1, 0] })],
        args: { shifts: -2, dims: 2 },
      },
      { name: 'int32', inputs: [input([4], { dtype: 'int32' })], args: { shifts: 3, dims: 0 } },
    ],
    run: ([x], a: RollArgs) => core.roll(x, a.shifts, a.dims),
    reference: ([x], a: RollArgs) =>
      refRoll(x, list(a.shifts), a.dims === undefined ? undefined : list(a.dims)),
  },
  {
    name: 'repeat',
    family: 'indexing',
    ops: ['repeat'],
    grad: true,
    samples: [
      { name: 'same rank', inputs: [input([2, 3])], args: [2, 1] },
      { name: 'new leading axis', inputs: [input([2, 3])], args: [2, 1, 2] },
      { name: 'vector', inputs: [input([3])], args: [4] },
      { name: 'scalar', inputs: [input([])], args: [3, 2] },
      { name: 'zero repeats', inputs: [input([2, 2])], args: [0, 2] },
      { name: 'transposed', inputs: [transposed([3, 2])], args: [1, 3] },
      { name: 'int32', inputs: [input([2], { dtype: 'int32' })], args: [2, 2] },
    ],
    run: ([x], reps: number[]) => core.repeat(x, reps),
    reference: ([x], reps: number[]) => refRepeat(x, reps),
  },
  {
    name: 'tile',
    family: 'indexing',
    ops: ['tile'],
    grad: true,
    samples: [
      { name: 'fewer reps than dims', inputs: [input([2, 3])], args: [2] },
      { name: 'more reps than dims', inputs: [input([3])], args: [2, 2] },
      { name: 'equal', inputs: [input([2, 2])], args: [1, 3] },
    ],
    run: ([x], reps: number[]) => core.tile(x, reps),
    reference: ([x], reps: number[]) => refTile(x, reps),
  },
  ...(
    [
      ['tril', core.tril],
      ['triu', core.triu],
    ] as const
  ).map(
    ([op, fn]): OpCase<number | undefined> => ({
      name: op,
      family: 'indexing',
      ops: [op],
      grad: true,
      samples: [
        { name: 'square', inputs: [input([4, 4])] },
        { name: 'wide, +1', inputs: [input([3, 5])], args: 1 },
        { name: 'tall, -1', inputs: [input([5, 3])], args: -1 },
        { name: 'batched, transposed', inputs: [input([2, 3, 4], { permute: [0, 2, 1] })], args: 0 },
        { name: 'far diagonal', inputs: [input([3, 3])], args: -5 },
        { name: 'int32', inputs: [input([3, 3], { dtype: 'int32' })], args: 1 },
        { name: '128x128', inputs: [input([128, 128])], args: 3, grad: false },
      ],
      run: ([x], d) => fn(x, d),
      reference: ([x], d) => refTriangle(x, op === 'tril', d ?? 0),
    }),
  ),
  {
    name: 'takeAlongAxis',
    family: 'indexing',
    ops: ['takeAlongAxis'],
    grad: true,
    samples: [
      { name: 'axis 1', inputs: [input([2, 3]), idx([2, 0, 1, 1], [2, 2])], args: 1 },
      { name: 'axis 0, repeated', inputs: [input([3, 2]), idx([2, 2, 0, 2], [2, 2])], args: 0 },
      { name: 'smaller outside the axis', inputs: [input([3, 4]), idx([3, 0], [1, 2])], args: 1 },
      { name: '3-D axis -1', inputs: [input([2, 2, 3]), idx([0, 2, 1, 1, 2, 0, 0, 0], [2, 2, 2])], args: -1 },
      { name: 'transposed', inputs: [transposed([3, 4]), idx([1, 0, 2, 2, 0, 1], [2, 3])], args: 0 },
      { name: 'empty index', inputs: [input([2, 3]), idx([], [2, 0])], args: 1 },
      { name: 'int32 values', inputs: [input([2, 3], { dtype: 'int32' }), idx([2, 1], [2, 1])], args: 1 },
    ],
    run: ([x, i], axis: number) => core.takeAlongAxis(x, i, axis),
    reference: ([x, i], axis: number) => refTakeAlongAxis(x, i, axis),
  },
  {
    name: 'scatterAdd',
    family: 'indexing',
    ops: ['scatterAdd'],
    grad: true,
    samples: [
      {
        name: 'axis 1, repeats add',
        inputs: [input([2, 4]), idx([1, 1, 3, 0], [2, 2]), input([2, 2])],
        args: 1,
      },
      { name: 'axis 0, larger source', inputs: [input([3, 2]), idx([2, 0], [1, 2]), input([2, 3])], args: 0 },
      { name: '3-D', inputs: [input([2, 3, 2]), idx([0, 2, 1, 0], [2, 1, 2]), input([2, 1, 2])], args: 1 },
      {
        name: 'int32',
        inputs: [input([4], { dtype: 'int32' }), idx([3, 3, 0]), input([3], { dtype: 'int32' })],
        args: 0,
      },
    ],
    run: ([x, i, s], axis: number) => core.scatterAdd(x, axis, i, s),
    reference: ([x, i, s], axis: number) => refScatter(x, axis, i, s, true),
  },
  {
    name: 'scatter',
    family: 'indexing',
    ops: ['scatter'],
    grad: true,
    samples: [
      { name: 'axis 1', inputs: [input([2, 4]), idx([1, 0, 2, 3], [2, 2]), input([2, 3])], args: 1 },
      { name: 'axis 0', inputs: [input([3, 2]), idx([2, 0], [1, 2]), input([1, 2])], args: 0 },
      {
        name: 'transposed source',
        inputs: [input([3, 3]), idx([0, 2, 1], [1, 3]), transposed([2, 3])],
        args: 0,
      },
      {
        name: 'int32',
        inputs: [input([4], { dtype: 'int32' }), idx([3, 1]), input([2], { dtype: 'int32' })],
        args: 0,
      },
    ],
    run: ([x, i, s], axis: number) => core.scatter(x, axis, i, s),
    reference: ([x, i, s], axis: number) => refScatter(x, axis, i, s, false),
  },
  {
    name: 'scatter value',
    family: 'indexing',
    ops: ['scatter'],
    grad: true,
    samples: [
      {
        name: 'number source',
        inputs: [input([3, 3]), idx([2, 0, 1], [3, 1])],
        args: { axis: 1, value: -2.5 },
      },
    ],
    run: ([x, i], a: { axis: number; value: number }) => core.scatter(x, a.axis, i, a.value),
    reference: ([x, i], a: { axis: number; value: number }) => refScatter(x, a.axis, i, a.value, false),
  },
  {
    name: 'maskedFill',
    family: 'indexing',
    ops: ['maskedFill'],
    grad: true,
    samples: [
      { name: 'same shape', inputs: [input([2, 3]), mask([1, 0, 0, 1, 1, 0], [2, 3])], args: -1 },
      { name: 'broadcast row', inputs: [input([3, 4]), mask([0, 1, 1, 0])], args: 0.5 },
      {
        name: 'infinity',
        inputs: [input([2, 2]), mask([1, 0], [2, 1])],
        args: Number.NEGATIVE_INFINITY,
        grad: false,
      },
      {
        name: 'int32 input, fraction truncated',
        inputs: [input([4], { dtype: 'int32' }), mask([1, 0, 1, 0])],
        args: 7.9,
      },
    ],
    run: ([x, m], value: number) => core.maskedFill(x, m, value),
    reference: ([x, m], value: number) =>
      refMaskedFill(x, m, x.dtype === 'int32' ? Math.trunc(value) : value),
  },
  {
    name: 'pad',
    family: 'indexing',
    ops: ['pad'],
    grad: true,
    samples: [
      { name: 'constant last axis', inputs: [input([2, 3])], args: { pad: [1, 2] } },
      { name: 'constant two axes, value', inputs: [input([2, 3])], args: { pad: [1, 0, 2, 1], value: 3.5 } },
      { name: 'constant crop', inputs: [input([3, 4])], args: { pad: [-1, 2, 0, -2] } },
      { name: 'reflect', inputs: [input([2, 4])], args: { pad: [3, 2], mode: 'reflect' } },
      { name: 'reflect two axes', inputs: [input([3, 3])], args: { pad: [1, 2, 2, 1], mode: 'reflect' } },
      { name: 'replicate', inputs: [input([2, 3])], args: { pad: [4, 1, 1, 2], mode: 'replicate' } },
      { name: 'circular', inputs: [input([2, 3])], args: { pad: [3, 1], mode: 'circular' } },
      {
        name: 'transposed 3-D',
        inputs: [input([2, 3, 2], { permute: [2, 1, 0] })],
        args: { pad: [1, 1, 1, 0], mode: 'reflect' },
      },
      { name: 'int32', inputs: [input([2, 2], { dtype: 'int32' })], args: { pad: [1, 1], value: -3 } },
    ],
    run: ([x], a: PadArgs) => core.pad(x, a.pad, a.mode, a.value),
    reference: ([x], a: PadArgs) => refPad(x, a.pad, a.mode ?? 'constant', a.value ?? 0),
  },
  {
    name: 'transposeAll',
    family: 'indexing',
    ops: ['transposeAll'],
    grad: true,
    samples: [
      { name: 'matrix', inputs: [input([2, 3])] },
      { name: '3-D', inputs: [input([2, 3, 4])] },
      { name: 'vector', inputs: [input([5])] },
      { name: 'scalar', inputs: [input([])] },
    ],
    run: ([x]) => x.T,
    reference: ([x]: RefTensor[]) =>
      permuteRef(
        x,
        x.shape.map((_, i) => x.shape.length - 1 - i),
      ),
  },
  {
    name: 'matrixTranspose',
    family: 'indexing',
    ops: ['matrixTranspose'],
    grad: true,
    samples: [
      { name: 'matrix', inputs: [input([2, 3])] },
      { name: 'batch', inputs: [input([2, 3, 4])] },
    ],
    run: ([x]) => x.mT,
    reference: ([x]: RefTensor[]) => refTranspose(x),
  },
];

const f = (shape: number[]) => core.zeros(shape);
const i32 = (values: number[], shape = [values.length]) => core.tensor(values, { dtype: 'int32', shape });

export const indexingErrorCases: readonly ErrorCase[] = [
  { name: 'flip: axis out of range', error: 'ArgumentError', run: () => core.flip(f([2, 3]), 2) },
  {
    name: 'roll: shifts and dims differ in length',
    error: 'ArgumentError',
    run: () => core.roll(f([2, 3]), [1, 2], [0]),
  },
  { name: 'repeat: fewer repeats than dims', error: 'ArgumentError', run: () => core.repeat(f([2, 3]), [2]) },
  { name: 'repeat: negative repeat', error: 'ArgumentError', run: () => core.repeat(f([2]), [-1]) },
  { name: 'tril: a vector', error: 'ShapeError', run: () => core.tril(f([3])) },
  {
    name: 'takeAlongAxis: rank differs',
    error: 'ShapeError',
    run: () => core.takeAlongAxis(f([2, 3]), i32([0]), 1),
  },
  {
    name: 'takeAlongAxis: index past the end',
    error: 'ArgumentError',
    needsCheapRead: true,
    run: () => core.takeAlongAxis(f([2, 3]), i32([3], [1, 1]), 1),
  },
  {
    name: 'takeAlongAxis: float index',
    error: 'DTypeError',
    run: () => core.takeAlongAxis(f([2, 3]), f([1, 1]), 1),
  },
  {
    name: 'scatter: source dtype differs',
    error: 'DTypeError',
    run: () => core.scatter(f([2, 3]), 1, i32([0], [1, 1]), i32([1], [1, 1])),
  },
  {
    name: 'scatterAdd: source too small',
    error: 'ShapeError',
    run: () => core.scatterAdd(f([2, 3]), 1, i32([0, 1], [1, 2]), f([1, 1])),
  },
  { name: 'maskedFill: float mask', error: 'DTypeError', run: () => core.maskedFill(f([2]), f([2]), 1) },
  {
    name: 'maskedFill: mask grows the input',
    error: 'ShapeError',
    run: () => core.maskedFill(f([3]), core.zeros([2, 3], { dtype: 'bool' }), 1),
  },
  { name: 'pad: odd pad list', error: 'ArgumentError', run: () => core.pad(f([2, 3]), [1, 2, 3]) },
  {
    name: 'pad: reflect as wide as the axis',
    error: 'ArgumentError',
    run: () => core.pad(f([2, 3]), [3, 0], 'reflect'),
  },
  {
    name: 'pad: unknown mode',
    error: 'ArgumentError',
    run: () => core.pad(f([2, 3]), [1, 1], 'wrap' as core.PadMode),
  },
  { name: 'matrixTranspose: a vector', error: 'ShapeError', run: () => core.matrixTranspose(f([3])) },
];
