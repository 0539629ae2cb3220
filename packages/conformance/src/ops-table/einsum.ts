/** Cases of einsum: the contractions of matmul, batched matmul, outer, dot, transpose, trace, diagonal, sums and '...'. */
import * as core from '@backprop/core';
import { refEinsum } from '../reference/einsum.js';
import type { ErrorCase, OpCase } from '../types.js';
import { input, transposed } from './helpers.js';

export const einsumCases: OpCase[] = [
  {
    name: 'einsum',
    family: 'einsum',
    ops: ['einsum'],
    grad: true,
    samples: [
      { name: 'matmul', inputs: [input([2, 3]), input([3, 4])], args: 'ij,jk->ik' },
      { name: 'matmul implicit', inputs: [input([2, 3]), transposed([3, 4])], args: 'ij,jk' },
      { name: 'batched matmul', inputs: [input([2, 2, 3]), input([2, 3, 2])], args: 'bij,bjk->bik' },
      { name: 'outer', inputs: [input([3]), input([4])], args: 'i,j->ij' },
      { name: 'dot', inputs: [input([5]), input([5])], args: 'i,i->' },
      { name: 'batched dot', inputs: [input([3, 4]), input([3, 4])], args: 'bi,bi->b' },
      { name: 'transpose', inputs: [input([2, 3])], args: 'ij->ji' },
      { name: 'implicit transpose', inputs: [input([2, 3])], args: 'ba' },
      { name: 'permute 3-D', inputs: [input([2, 3, 4])], args: 'abc->cab' },
      { name: 'trace', inputs: [input([4, 4])], args: 'ii' },
      { name: 'diagonal', inputs: [input([3, 3])], args: 'ii->i' },
      { name: 'batched diagonal', inputs: [input([2, 3, 3])], args: 'bii->bi' },
      { name: 'sum all', inputs: [input([2, 3])], args: 'ij->' },
      { name: 'sum rows', inputs: [input([2, 3])], args: 'ij->i' },
      { name: 'broadcast batch', inputs: [input([2, 3, 4]), input([4, 2])], args: '...ij,...jk->...ik' },
      { name: 'broadcast size 1', inputs: [input([2, 1, 2, 3]), input([3, 3, 2])], args: '...ij,...jk' },
      {
        name: 'bilinear, three operands',
        inputs: [input([2, 3]), input([3, 4]), input([2, 4])],
        args: 'bi,ij,bj->b',
      },
      { name: 'chain of three', inputs: [input([2, 3]), input([3, 2]), input([2, 2])], args: 'ij,jk,kl->il' },
      { name: 'spaces', inputs: [input([2, 3]), input([3])], args: ' ij , j -> i ' },
      {
        name: 'int32 operands',
        inputs: [input([2, 3], { dtype: 'int32' }), input([3], { dtype: 'int32' })],
        args: 'ij,j->i',
      },
      { name: 'empty contraction', inputs: [input([2, 0]), input([0, 3])], args: 'ij,jk->ik' },
      {
        name: '64x64x64',
        inputs: [input([64, 64]), input([64, 64])],
        args: 'ik,kj->ij',
        grad: false,
        tolerance: { atol: 10 },
      },
    ],
    run: (xs, equation: string) => core.einsum(equation, ...xs),
    reference: (xs, equation: string) => refEinsum(equation, xs),
  },
];

const f = (shape: number[]) => core.zeros(shape);

export const einsumErrorCases: readonly ErrorCase[] = [
  {
    name: 'einsum: invalid subscript',
    error: 'ArgumentError',
    run: () => core.einsum('i1,j->ij', f([2]), f([2])),
  },
  { name: 'einsum: operand count', error: 'ArgumentError', run: () => core.einsum('ij,jk->ik', f([2, 2])) },
  {
    name: 'einsum: subscripts for the rank',
    error: 'ShapeError',
    run: () => core.einsum('ijk->i', f([2, 2])),
  },
  {
    name: 'einsum: sizes disagree',
    error: 'ShapeError',
    run: () => core.einsum('ij,jk->ik', f([2, 3]), f([4, 2])),
  },
  {
    name: 'einsum: unknown output label',
    error: 'ArgumentError',
    run: () => core.einsum('ij->k', f([2, 2])),
  },
  {
    name: 'einsum: repeated output label',
    error: 'ArgumentError',
    run: () => core.einsum('ij->ii', f([2, 2])),
  },
  { name: 'einsum: two ellipses', error: 'ArgumentError', run: () => core.einsum('...i...->i', f([2, 2])) },
];
