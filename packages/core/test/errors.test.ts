import { describe, expect, it } from 'vitest';
import './setup-backend.js';
import {
  ArgumentError,
  arange,
  concat,
  DTypeError,
  gather,
  matmul,
  ones,
  reshape,
  ShapeError,
  softmax,
  tensor,
  where,
  zeros,
} from '../src/index.js';

describe('errors name the op, the shapes and what was expected', () => {
  it('matmul meets PyTorch’s standard', () => {
    expect(() => matmul(zeros([64, 784]), zeros([128, 10]))).toThrow(
      new ShapeError('matmul: mat1 and mat2 shapes cannot be multiplied (64x784 and 128x10)'),
    );
    expect(() => matmul(zeros([2, 3, 4]), zeros([5, 6]))).toThrow(
      /matmul: \[2, 3, 4\] and \[5, 6\]: shapes cannot be multiplied \(3x4 and 5x6\)/,
    );
  });

  it('broadcasting names both shapes and the dimension', () => {
    expect(() => ones([2, 3]).add(ones([4]))).toThrow(
      /add: shapes \[2, 3\] and \[4\] cannot be broadcast together \(dimension 1: 3 vs 4\)/,
    );
  });

  it('axes out of range say the allowed range', () => {
    expect(() => ones([2, 3]).sum(2)).toThrow(ArgumentError);
    expect(() => softmax(ones([2, 3]), -3)).toThrow(
      /softmax: axis -3 is out of range for a tensor of rank 2 \(expected -2..1\)/,
    );
  });

  it('reshape says the element counts', () => {
    expect(() => reshape(ones([2, 3]), [4, 2])).toThrow(
      /reshape: cannot reshape \[2, 3\] \(6 elements\) into \[4, 2\] \(8 elements\)/,
    );
  });

  it('concat, gather, where and tensor() reject bad input early', () => {
    expect(() => concat([ones([2, 3]), ones([2, 4])], 0)).toThrow(
      /concat: shapes \[2, 3\], \[2, 4\] must match in every dimension except axis 0/,
    );
    expect(() => gather(ones([3, 2]), tensor([0, 3], { dtype: 'int32' }))).toThrow(
      /gather: index 3 is out of range for axis 0 of size 3 \(expected 0..2\)/,
    );
    expect(() => gather(ones([3, 2]), tensor([0, 1]))).toThrow(DTypeError);
    expect(() => where(ones([2]), ones([2]), zeros([2]))).toThrow(
      /where: condition must be bool, got float32/,
    );
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged nested array/);
    expect(() => arange(0, 5, 0)).toThrow(/arange: step must be a finite non-zero number, got 0/);
    expect(() => tensor([1, 2], { dtype: 'int32', requiresGrad: true })).toThrow(
      /only float32 tensors can require gradients/,
    );
  });
});

describe('numerical stability', () => {
  it('softmax reproduces the study notes’ example', () => {
    const probs = softmax(
      tensor([
        [1, 2, 0],
        [-1, 0, 1],
        [-10, 0, 10],
      ]),
    ).arraySync() as number[][];
    const expected = [
      [2.44728471e-1, 6.65240956e-1, 9.00305732e-2],
      [9.00305732e-2, 2.44728471e-1, 6.65240956e-1],
      [2.06106005e-9, 4.53978686e-5, 9.999546e-1],
    ];
    expect(probs.flat()).toEqual(expected.flat().map((p) => expect.closeTo(p, 6)));
    expect(probs[2][0] / expected[2][0]).toBeCloseTo(1, 4);
  });

  it('softmax and logSoftmax stay finite for logits of ±1e4', () => {
    const x = tensor([
      [1e4, -1e4, 0],
      [-1e4, -1e4, -1e4],
    ]);
    expect(Array.from(softmax(x).dataSync())).toEqual([1, 0, 0, 1 / 3, 1 / 3, 1 / 3].map(Math.fround));
    const logp = x.logSoftmax().dataSync();
    expect(Array.from(logp).every(Number.isFinite)).toBe(true);
    expect(logp[1]).toBe(-2e4);
  });
});
