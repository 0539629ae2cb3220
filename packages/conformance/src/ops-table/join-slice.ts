import type { SliceRange } from '@backprop/core';
import * as core from '@backprop/core';
import { refConcat, refSlice, refStack } from '../reference/movement.js';
import type { RefTensor } from '../reference/ndarray.js';
import type { OpCase } from '../types.js';
import { input, transposed } from './helpers.js';
import { RANK_SHAPES } from './high-rank.js';

/** Reference split into chunks of a size or the listed sizes. */
function refSplit(x: RefTensor, sizes: number | readonly number[], axis: number): RefTensor[] {
  const a = axis < 0 ? axis + x.shape.length : axis;
  const n = x.shape[a];
  const parts: number[] = [];
  if (typeof sizes === 'number') for (let at = 0; at < n; at += sizes) parts.push(Math.min(sizes, n - at));
  else parts.push(...sizes);
  let start = 0;
  return parts.map((len) => {
    const ranges = x.shape.map(() => null as [number, number] | null);
    ranges[a] = [start, start + len];
    start += len;
    return refSlice(x, ranges);
  });
}

export const joinSliceCases: OpCase[] = [
  {
    name: 'concat',
    family: 'join/slice',
    ops: ['concat'],
    grad: true,
    samples: [
      { name: 'axis 0', inputs: [input([2, 3]), input([1, 3])], args: 0 },
      { name: 'axis 1, three inputs', inputs: [input([2, 3]), input([2, 1]), input([2, 2])], args: 1 },
      { name: 'axis -1 of 3-D', inputs: [input([2, 2, 3]), input([2, 2, 1])], args: -1 },
      { name: 'with an empty part', inputs: [input([0, 3]), input([2, 3])], args: 0 },
      { name: 'single input', inputs: [input([2, 3])], args: 1 },
      { name: 'transposed parts', inputs: [transposed([3, 2]), input([3, 4])], args: 1 },
      { name: 'vectors', inputs: [input([3]), input([4])], args: 0 },
      // A backend that joins in one kernel binds every part: WebGPU allows 8 storage buffers by default.
      {
        name: 'eight parts',
        inputs: Array.from({ length: 8 }, (_, i) => input([2, 1 + (i % 3)])),
        args: 1,
      },
      { name: 'nineteen scalars', inputs: Array.from({ length: 19 }, () => input([1])), args: 0 },
      {
        name: 'int32',
        inputs: [input([2, 2], { dtype: 'int32' }), input([1, 2], { dtype: 'int32' })],
        args: 0,
      },
      { name: 'bool', inputs: [input([2], { dtype: 'bool' }), input([3], { dtype: 'bool' })], args: 0 },
      { name: '256x128 twice', inputs: [input([256, 128]), input([256, 128])], args: 1 },
      { name: 'rank 4 axis 1', inputs: [input(RANK_SHAPES[4]), input([2, 1, 4, 5])], args: 1 },
      { name: 'rank 5 axis -1', inputs: [input(RANK_SHAPES[5]), input([2, 3, 2, 4, 2])], args: -1 },
      {
        name: 'rank 6 axis 3, three inputs',
        inputs: [input(RANK_SHAPES[6]), input([2, 3, 2, 1, 3, 2]), input([2, 3, 2, 3, 3, 2])],
        args: 3,
      },
    ],
    run: (xs, axis: number) => core.concat(xs, axis),
    reference: (xs, axis: number) => refConcat(xs, axis),
  },
  {
    name: 'stack',
    family: 'join/slice',
    ops: ['stack'],
    grad: true,
    samples: [
      { name: 'axis 0', inputs: [input([2, 3]), input([2, 3])], args: 0 },
      { name: 'axis 1', inputs: [input([2, 3]), input([2, 3]), input([2, 3])], args: 1 },
      { name: 'axis -1', inputs: [input([2, 3]), transposed([2, 3])], args: -1 },
      { name: 'scalars', inputs: [input([]), input([]), input([])], args: 0 },
      { name: 'int32', inputs: [input([3], { dtype: 'int32' }), input([3], { dtype: 'int32' })], args: 0 },
    ],
    run: (xs, axis: number) => core.stack(xs, axis),
    reference: (xs, axis: number) => refStack(xs, axis),
  },
  {
    name: 'split',
    family: 'join/slice',
    ops: ['split'],
    grad: true,
    samples: [
      { name: 'chunks of 2', inputs: [input([5, 3])], args: { sizes: 2, axis: 0 } },
      { name: 'sections on axis 1', inputs: [input([2, 6])], args: { sizes: [1, 3, 2], axis: 1 } },
      { name: 'with an empty section', inputs: [input([4, 2])], args: { sizes: [0, 4], axis: 0 } },
      { name: 'axis -1 of a transposed input', inputs: [transposed([3, 4])], args: { sizes: 2, axis: -1 } },
      { name: 'int32', inputs: [input([4], { dtype: 'int32' })], args: { sizes: 3, axis: 0 } },
    ],
    run: ([x], a: { sizes: number | number[]; axis: number }) => core.split(x, a.sizes, a.axis),
    reference: ([x], a: { sizes: number | number[]; axis: number }) => refSplit(x, a.sizes, a.axis),
  },
  {
    name: 'slice',
    family: 'join/slice',
    ops: ['slice'],
    grad: true,
    samples: [
      { name: 'range', inputs: [input([5, 4])], args: [[1, 4], null] },
      {
        name: 'steps',
        inputs: [input([7, 5])],
        args: [
          [0, 7, 2],
          [1, null, 3],
        ],
      },
      { name: 'negative indices', inputs: [input([6])], args: [[-4, -1]] },
      { name: 'reverse', inputs: [input([5, 3])], args: [[null, null, -1]] },
      {
        name: 'negative step with bounds',
        inputs: [input([8, 3])],
        args: [
          [6, 1, -2],
          [null, null, -1],
        ],
      },
      { name: 'missing trailing axes', inputs: [input([3, 4, 2])], args: [[1, 3]] },
      { name: 'empty result', inputs: [input([4, 3])], args: [[3, 1], null] },
      { name: 'out-of-range bounds clamp', inputs: [input([4])], args: [[-10, 10]] },
      {
        name: 'transposed input',
        inputs: [transposed([4, 5])],
        args: [
          [null, null, 2],
          [1, 3],
        ],
      },
      { name: 'int32', inputs: [input([6], { dtype: 'int32' })], args: [[null, null, -2]] },
      {
        name: '256x256 strided',
        inputs: [input([256, 256])],
        args: [
          [1, null, 3],
          [null, null, -5],
        ],
      },
      {
        name: 'rank 4 ranges and steps',
        inputs: [input(RANK_SHAPES[4])],
        args: [null, [1, 3], [null, null, 2], [4, 0, -2]],
      },
      {
        name: 'rank 5 reversed and strided',
        inputs: [input(RANK_SHAPES[5])],
        args: [[1, 2], null, [null, null, -1], [1, 4, 2], null],
      },
      {
        name: 'rank 6 mixed',
        inputs: [input(RANK_SHAPES[6])],
        args: [null, [0, 3, 2], [1, 2], null, [null, null, -1], [1, 2]],
      },
    ],
    run: ([x], ranges: SliceRange[]) => core.slice(x, ranges),
    reference: ([x], ranges: SliceRange[]) => refSlice(x, ranges),
  },
  {
    name: 'narrow',
    family: 'join/slice',
    ops: ['narrow'],
    grad: true,
    samples: [
      { name: 'axis 0', inputs: [input([5, 3])], args: [0, 1, 3] },
      { name: 'axis -1', inputs: [input([2, 6])], args: [-1, 2, 4] },
      { name: 'zero length', inputs: [input([4])], args: [0, 2, 0] },
      { name: 'transposed input', inputs: [transposed([3, 5])], args: [1, 0, 2] },
    ],
    run: ([x], [axis, start, length]: number[]) => core.narrow(x, axis, start, length),
    reference: ([x], [axis, start, length]: number[]) => {
      const a = axis < 0 ? axis + x.shape.length : axis;
      const ranges = x.shape.map(() => null as [number, number] | null);
      ranges[a] = [start, start + length];
      return refSlice(x, ranges);
    },
  },
];
