import * as core from '@backprop/core';
import { refTranspose } from '../reference/movement.js';
import { broadcastToRef, permuteRef, type RefTensor, reshapeRef } from '../reference/ndarray.js';
import type { OpCase } from '../types.js';
import { input, transposed } from './helpers.js';
import { highRankPermuteSamples, RANK_SHAPES } from './high-rank.js';

/** Reference reshape with one inferred (-1) dimension. */
function inferShape(x: RefTensor, shape: readonly number[]): number[] {
  const known = shape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  return shape.map((d) => (d === -1 ? x.data.length / known : d));
}

export const movementCases: OpCase[] = [
  {
    name: 'reshape',
    family: 'movement',
    ops: ['reshape', 'view'],
    grad: true,
    samples: [
      { name: 'matrix to vector', inputs: [input([3, 4])], args: [12] },
      { name: 'inferred dimension', inputs: [input([2, 3, 4])], args: [4, -1] },
      { name: 'scalar to [1, 1]', inputs: [input([])], args: [1, 1] },
      { name: '[1] to scalar', inputs: [input([1])], args: [] },
      { name: 'empty', inputs: [input([0, 3])], args: [3, 0, 1] },
      { name: 'transposed input', inputs: [transposed([4, 3])], args: [2, 6] },
      { name: 'int32', inputs: [input([2, 3], { dtype: 'int32' })], args: [3, 2] },
    ],
    run: ([x], shape: number[]) => core.reshape(x, shape),
    reference: ([x], shape: number[]) => reshapeRef(x, inferShape(x, shape)),
  },
  {
    name: 'flatten',
    family: 'movement',
    ops: ['flatten'],
    grad: true,
    samples: [
      { name: 'all', inputs: [input([2, 3, 4])], args: [0, -1] },
      { name: 'from 1', inputs: [input([2, 3, 4])], args: [1, -1] },
      { name: 'middle', inputs: [input([2, 3, 4, 2])], args: [1, 2] },
      { name: 'scalar', inputs: [input([])], args: [0, -1] },
      { name: 'permuted', inputs: [input([2, 3, 4], { permute: [2, 1, 0] })], args: [0, 1] },
    ],
    run: ([x], [s, e]: number[]) => core.flatten(x, s, e),
    reference: ([x], [s, e]: number[]) => {
      if (x.shape.length === 0) return reshapeRef(x, [1]);
      const r = x.shape.length;
      const start = s < 0 ? s + r : s;
      const end = e < 0 ? e + r : e;
      const merged = x.shape.slice(start, end + 1).reduce((p, d) => p * d, 1);
      return reshapeRef(x, [...x.shape.slice(0, start), merged, ...x.shape.slice(end + 1)]);
    },
  },
  {
    name: 'squeeze',
    family: 'movement',
    ops: ['squeeze'],
    grad: true,
    samples: [
      { name: 'all size-1', inputs: [input([1, 3, 1, 2])], args: {} },
      { name: 'axis 2', inputs: [input([1, 3, 1, 2])], args: { axis: 2 } },
      { name: 'axis -4', inputs: [input([1, 3, 1, 2])], args: { axis: -4 } },
      { name: 'non-1 axis is kept', inputs: [input([2, 3])], args: { axis: 0 } },
      { name: 'to scalar', inputs: [input([1, 1])], args: {} },
    ],
    run: ([x], a: { axis?: number }) => core.squeeze(x, a.axis),
    reference: ([x], a: { axis?: number }) => {
      if (a.axis === undefined)
        return reshapeRef(
          x,
          x.shape.filter((d) => d !== 1),
        );
      const ax = a.axis < 0 ? a.axis + x.shape.length : a.axis;
      return x.shape[ax] === 1
        ? reshapeRef(
            x,
            x.shape.filter((_, i) => i !== ax),
          )
        : x;
    },
  },
  {
    name: 'unsqueeze',
    family: 'movement',
    ops: ['unsqueeze'],
    grad: true,
    samples: [
      { name: 'front', inputs: [input([2, 3])], args: 0 },
      { name: 'middle', inputs: [input([2, 3])], args: 1 },
      { name: 'end (rank)', inputs: [input([2, 3])], args: 2 },
      { name: 'end (-1)', inputs: [input([2, 3])], args: -1 },
      { name: 'scalar', inputs: [input([])], args: 0 },
    ],
    run: ([x], axis: number) => core.unsqueeze(x, axis),
    reference: ([x], axis: number) => {
      const a = axis < 0 ? axis + x.shape.length + 1 : axis;
      const shape = [...x.shape];
      shape.splice(a, 0, 1);
      return reshapeRef(x, shape);
    },
  },
  {
    name: 'transpose',
    family: 'movement',
    ops: ['transpose'],
    grad: true,
    samples: [
      { name: 'matrix', inputs: [input([3, 4])], args: [] },
      { name: 'vector is unchanged', inputs: [input([5])], args: [] },
      { name: '3-D dims 0, 2', inputs: [input([2, 3, 4])], args: [0, 2] },
      { name: 'transposed back', inputs: [transposed([4, 3])], args: [] },
      { name: 'empty', inputs: [input([0, 3])], args: [] },
      { name: 'int32', inputs: [input([2, 3], { dtype: 'int32' })], args: [] },
      { name: 'bool', inputs: [input([2, 3], { dtype: 'bool' })], args: [] },
      { name: '256x257', inputs: [input([256, 257])], args: [] },
      { name: '67x129 transposed input', inputs: [transposed([67, 129])], args: [] },
      { name: 'rank 4 dims 1, 3', inputs: [input(RANK_SHAPES[4])], args: [1, 3] },
      { name: 'rank 5 dims 0, 3', inputs: [input(RANK_SHAPES[5])], args: [0, 3] },
      { name: 'rank 6 dims 5, 1', inputs: [input(RANK_SHAPES[6])], args: [5, 1] },
    ],
    run: ([x], [a, b]: number[]) => core.transpose(x, a, b),
    reference: ([x], [a, b]: number[]) => refTranspose(x, a, b),
  },
  {
    name: 'permute',
    family: 'movement',
    ops: ['permute'],
    grad: true,
    samples: [
      { name: '3-D', inputs: [input([2, 3, 4])], args: [2, 0, 1] },
      { name: '4-D', inputs: [input([2, 1, 3, 2])], args: [3, 1, 0, 2] },
      { name: 'negative axes', inputs: [input([2, 3, 4])], args: [-1, -3, -2] },
      { name: 'identity', inputs: [input([2, 3])], args: [0, 1] },
      { name: 'of a permuted input', inputs: [input([2, 3, 4], { permute: [1, 2, 0] })], args: [2, 0, 1] },
      { name: '64x32x33', inputs: [input([64, 32, 33])], args: [2, 0, 1] },
      ...highRankPermuteSamples(),
    ],
    run: ([x], perm: number[]) => core.permute(x, perm),
    reference: ([x], perm: number[]) =>
      permuteRef(
        x,
        perm.map((p) => (p < 0 ? p + x.shape.length : p)),
      ),
  },
  {
    name: 'broadcastTo',
    family: 'movement',
    ops: ['broadcastTo'],
    grad: true,
    samples: [
      { name: 'row to matrix', inputs: [input([4])], args: [3, 4] },
      { name: 'column', inputs: [input([3, 1])], args: [2, 3, 4] },
      { name: 'scalar', inputs: [input([])], args: [2, 3] },
      { name: 'same shape', inputs: [input([2, 3])], args: [2, 3] },
      { name: 'to empty', inputs: [input([1, 3])], args: [0, 3] },
      { name: 'transposed input', inputs: [input([3, 1], { permute: [1, 0] })], args: [2, 3, 4] },
      { name: 'int32', inputs: [input([3], { dtype: 'int32' })], args: [2, 3] },
      { name: '256 to 256x256', inputs: [input([256, 1])], args: [256, 256] },
      { name: 'rank 4, size-1 and missing axes', inputs: [input([3, 1, 5])], args: [...RANK_SHAPES[4]] },
      { name: 'rank 5, size-1 axes', inputs: [input([2, 1, 2, 1, 3])], args: [...RANK_SHAPES[5]] },
      {
        name: 'rank 6, alternate size-1 axes',
        inputs: [input([1, 3, 1, 2, 1, 2])],
        args: [...RANK_SHAPES[6]],
      },
    ],
    run: ([x], shape: number[]) => core.broadcastTo(x, shape),
    reference: ([x], shape: number[]) => broadcastToRef(x, shape),
  },
  {
    name: 'expand',
    family: 'movement',
    ops: ['expand'],
    grad: true,
    samples: [
      { name: '-1 keeps a dimension', inputs: [input([3, 1])], args: [-1, 4] },
      { name: 'new leading dimension', inputs: [input([2, 1])], args: [3, -1, 2] },
    ],
    run: ([x], shape: number[]) => core.expand(x, shape),
    reference: ([x], shape: number[]) => {
      const lead = shape.length - x.shape.length;
      return broadcastToRef(
        x,
        shape.map((d, i) => (d === -1 ? x.shape[i - lead] : d)),
      );
    },
  },
];
