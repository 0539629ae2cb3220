import * as core from '@backprop/core';
import { refMatmul } from '../reference/linalg.js';
import type { OpCase } from '../types.js';
import { input, transposed } from './helpers.js';
import { LONG_AXIS } from './long-axis.js';

/** Products of K float32 terms: the rounding error grows with K (about √K ulps of the terms' magnitude). */
const deep = (k: number) => ({ atol: Math.max(1, Math.sqrt(k)), rtol: Math.max(1, Math.sqrt(k) / 4) });

/** A product over 250,000 terms of about 0.3 (sums of about ±170): careful float32 sums are off by far less. */
const LONG_K_TOLERANCE = { atol: 1000, rtol: 10 };

export const matmulCases: OpCase[] = [
  {
    name: 'matmul',
    family: 'matmul',
    ops: ['matmul'],
    grad: true,
    samples: [
      { name: '1-D · 1-D', inputs: [input([5]), input([5])] },
      { name: '1-D · 2-D', inputs: [input([3]), input([3, 4])] },
      { name: '2-D · 1-D', inputs: [input([2, 3]), input([3])] },
      { name: '2-D · 2-D', inputs: [input([2, 3]), input([3, 4])] },
      { name: '1x1', inputs: [input([1, 1]), input([1, 1])] },
      { name: 'transposed left', inputs: [transposed([3, 4]), input([4, 2])] },
      { name: 'transposed right', inputs: [input([2, 4]), transposed([4, 3])] },
      { name: 'both transposed', inputs: [transposed([3, 4]), transposed([4, 5])] },
      { name: 'batched', inputs: [input([2, 3, 4]), input([2, 4, 2])] },
      { name: 'batch broadcast', inputs: [input([2, 1, 3, 4]), input([3, 4, 2])] },
      { name: 'matrix times batch', inputs: [input([3, 4]), input([2, 4, 2])] },
      { name: '1-D times batch', inputs: [input([4]), input([2, 4, 3])] },
      { name: 'batch times 1-D', inputs: [input([2, 3, 4]), input([4])] },
      { name: 'permuted batch', inputs: [input([2, 3, 4], { permute: [1, 0, 2] }), input([4, 2])] },
      { name: 'empty inner dimension', inputs: [input([3, 0]), input([0, 2])] },
      { name: 'empty rows', inputs: [input([0, 3]), input([3, 2])] },
      {
        name: 'int32 operands',
        inputs: [input([2, 3], { dtype: 'int32' }), input([3, 2], { dtype: 'int32' })],
      },
      { name: '67x129x65', inputs: [input([67, 129]), input([129, 65])], tolerance: deep(129) },
      { name: '256x256', inputs: [input([256, 256]), input([256, 256])], tolerance: deep(256) },
      {
        name: '67x129x65 transposed',
        inputs: [transposed([67, 129]), transposed([129, 65])],
        tolerance: deep(129),
      },
      { name: 'batched 3x33x70x31', inputs: [input([3, 33, 70]), input([70, 31])], tolerance: deep(70) },
      { name: 'matrix-vector 300x257', inputs: [input([300, 257]), input([257])], tolerance: deep(257) },
      {
        name: 'extended 512x512',
        inputs: [input([512, 512]), input([512, 512])],
        tolerance: deep(512),
        extended: true,
      },
      {
        name: `long K: [2, ${LONG_AXIS}] · ([3, ${LONG_AXIS}])ᵀ`,
        inputs: [input([2, LONG_AXIS], { dist: 'uniform' }), transposed([LONG_AXIS, 3], { dist: 'uniform' })],
        tolerance: LONG_K_TOLERANCE,
        grad: false,
        gradcheck: false,
      },
    ],
    run: ([a, b]) => core.matmul(a, b),
    reference: ([a, b]) => refMatmul(a, b),
  },
  {
    name: 'dot',
    family: 'matmul',
    ops: ['dot'],
    grad: true,
    samples: [
      { name: 'vectors', inputs: [input([6]), input([6])] },
      { name: 'empty', inputs: [input([0]), input([0])] },
      { name: '4096 terms', inputs: [input([4096]), input([4096])], tolerance: deep(4096) },
    ],
    run: ([a, b]) => core.dot(a, b),
    reference: ([a, b]) => refMatmul(a, b),
  },
  {
    name: 'batchMatmul',
    family: 'matmul',
    ops: ['batchMatmul'],
    grad: true,
    samples: [
      { name: 'plain', inputs: [input([2, 3, 4]), input([2, 4, 2])], args: [false, false] },
      { name: 'transposeA', inputs: [input([2, 4, 3]), input([2, 4, 2])], args: [true, false] },
      { name: 'transposeB', inputs: [input([2, 3, 4]), input([2, 2, 4])], args: [false, true] },
      { name: 'both', inputs: [input([2, 4, 3]), input([2, 2, 4])], args: [true, true] },
      {
        name: 'both, 2x67x129x65',
        inputs: [input([2, 129, 67]), input([2, 65, 129])],
        args: [true, true],
        tolerance: deep(129),
      },
    ],
    run: ([a, b], [ta, tb]: boolean[]) => core.batchMatmul(a, b, ta, tb),
    reference: ([a, b], [ta, tb]: boolean[]) => refMatmul(ta ? permute3(a) : a, tb ? permute3(b) : b),
  },
];

function permute3(x: import('../reference/ndarray.js').RefTensor) {
  const [n, r, c] = x.shape;
  const data = new Float64Array(x.data.length);
  for (let p = 0; p < n; p++)
    for (let i = 0; i < r; i++)
      for (let j = 0; j < c; j++) data[p * r * c + j * r + i] = x.data[p * r * c + i * c + j];
  return { shape: [n, c, r], data, dtype: x.dtype };
}
