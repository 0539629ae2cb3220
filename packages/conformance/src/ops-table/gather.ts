import * as core from '@backprop/core';
import { refGather, refIndexAdd, refOneHot } from '../reference/movement.js';
import type { OpCase } from '../types.js';
import { input, transposed } from './helpers.js';

const idx = (values: number[], shape: number[] = [values.length]) => input(shape, { dtype: 'int32', values });

export const gatherCases: OpCase[] = [
  {
    name: 'gather',
    family: 'gather',
    ops: ['gather'],
    grad: true,
    samples: [
      { name: 'rows', inputs: [input([4, 3]), idx([2, 0, 3])], args: 0 },
      { name: 'columns, repeated', inputs: [input([3, 4]), idx([1, 1, 3, 0, 1])], args: 1 },
      { name: 'axis -1 of 3-D', inputs: [input([2, 3, 4]), idx([3, 0])], args: -1 },
      { name: '2-D indices', inputs: [input([5, 2]), idx([0, 4, 2, 2, 1, 3], [2, 3])], args: 0 },
      { name: 'scalar index', inputs: [input([4, 3]), idx([2], [])], args: 0 },
      { name: 'no indices', inputs: [input([4, 3]), idx([])], args: 0 },
      { name: 'transposed input', inputs: [transposed([3, 4]), idx([3, 1])], args: 1 },
      { name: 'int32 values', inputs: [input([4, 2], { dtype: 'int32' }), idx([3, 3, 0])], args: 0 },
      { name: 'rank 4 axis 2', inputs: [input([2, 3, 4, 5]), idx([3, 0, 3])], args: 2 },
      { name: 'rank 5 axis 0', inputs: [input([2, 3, 2, 4, 3]), idx([1, 0, 1])], args: 0 },
      { name: 'rank 6 axis -1', inputs: [input([2, 3, 2, 2, 3, 2]), idx([1, 0, 1, 1])], args: -1 },
      {
        name: 'embedding 1000x64',
        inputs: [input([1000, 64]), idx(Array.from({ length: 300 }, (_, i) => (i * 37) % 1000))],
        args: 0,
      },
    ],
    run: ([x, i], axis: number) => core.gather(x, i, axis),
    reference: ([x, i], axis: number) => refGather(x, i, axis),
  },
  {
    name: 'indexSelect',
    family: 'gather',
    ops: ['indexSelect'],
    grad: true,
    samples: [
      { name: 'axis 0', inputs: [input([4, 3]), idx([3, 1, 1])], args: 0 },
      { name: 'axis 1', inputs: [input([2, 5]), idx([4, 0])], args: 1 },
    ],
    run: ([x, i], axis: number) => core.indexSelect(x, axis, i),
    reference: ([x, i], axis: number) => refGather(x, i, axis),
  },
  {
    name: 'indexAdd',
    family: 'gather',
    ops: ['indexAdd'],
    grad: true,
    samples: [
      { name: 'rows', inputs: [input([4, 3]), idx([2, 0]), input([2, 3])], args: 0 },
      {
        name: 'repeated indices accumulate',
        inputs: [input([3, 2]), idx([1, 1, 1, 0]), input([4, 2])],
        args: 0,
      },
      { name: 'axis 1', inputs: [input([2, 4]), idx([3, 0, 3]), input([2, 3])], args: 1 },
      { name: 'transposed source', inputs: [input([3, 4]), idx([0, 2]), transposed([3, 2])], args: 1 },
      { name: 'empty source', inputs: [input([3, 2]), idx([]), input([0, 2])], args: 0 },
      {
        name: 'int32',
        inputs: [input([3], { dtype: 'int32' }), idx([0, 0, 2]), input([3], { dtype: 'int32' })],
        args: 0,
      },
      {
        name: '1000x64 scatter',
        inputs: [
          input([1000, 64]),
          idx(Array.from({ length: 300 }, (_, i) => (i * 37) % 1000)),
          input([300, 64]),
        ],
        args: 0,
      },
    ],
    run: ([x, i, s], axis: number) => core.indexAdd(x, axis, i, s),
    reference: ([x, i, s], axis: number) => refIndexAdd(x, axis, i, s),
  },
  {
    name: 'oneHot',
    family: 'gather',
    ops: ['oneHot'],
    samples: [
      { name: 'vector', inputs: [idx([0, 2, 1, 2])], args: { classes: 3 } },
      { name: '2-D indices', inputs: [idx([0, 4, 2, 2, 1, 3], [2, 3])], args: { classes: 5 } },
      { name: 'scalar index', inputs: [idx([1], [])], args: { classes: 2 } },
      { name: 'int32 output', inputs: [idx([1, 0])], args: { classes: 2, dtype: 'int32' } },
      { name: 'empty', inputs: [idx([])], args: { classes: 4 } },
      {
        name: '1000 labels, 10 classes',
        inputs: [idx(Array.from({ length: 1000 }, (_, i) => (i * 7) % 10))],
        args: { classes: 10 },
      },
    ],
    run: ([i], a: { classes: number; dtype?: 'float32' | 'int32' }) => core.oneHot(i, a.classes, a.dtype),
    reference: ([i], a: { classes: number; dtype?: 'float32' | 'int32' }) => refOneHot(i, a.classes, a.dtype),
  },
];
