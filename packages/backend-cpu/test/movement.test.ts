import { sizeOf, stridesOf } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { at, backend, input, iota, output, unravel } from './helpers.js';

describe('transpose', () => {
  it('moves axis perm[i] to position i', () => {
    const shape = [2, 3, 4];
    const values = iota(shape);
    for (const perm of [
      [0, 1, 2],
      [2, 0, 1],
      [1, 0, 2],
      [0, 2, 1],
      [2, 1, 0],
    ]) {
      const outShape = perm.map((p) => shape[p]);
      const actual = output(backend.transpose(input(values, shape), perm), outShape);
      const expected = Array.from({ length: 24 }, (_, i) => {
        const index = unravel(i, outShape);
        const source = new Array<number>(3);
        perm.forEach((p, d) => {
          source[p] = index[d];
        });
        return at(values, shape, source);
      });
      expect(Array.from(actual), JSON.stringify(perm)).toEqual(expected);
    }
  });

  it('transposes a matrix, int32 and bool too, and empty shapes', () => {
    expect(
      Array.from(
        output(backend.transpose(input([1, 2, 3, 4, 5, 6], [2, 3], 'int32'), [1, 0]), [3, 2], 'int32'),
      ),
    ).toEqual([1, 4, 2, 5, 3, 6]);
    expect(
      Array.from(output(backend.transpose(input([1, 0, 0], [3, 1], 'bool'), [1, 0]), [1, 3], 'bool')),
    ).toEqual([1, 0, 0]);
    expect(output(backend.transpose(input([], [0, 2]), [1, 0]), [2, 0]).length).toBe(0);
    expect(Array.from(output(backend.transpose(input([5], []), []), []))).toEqual([5]);
  });
});

describe('broadcastTo', () => {
  it('repeats size-1 and missing leading dimensions', () => {
    expect(Array.from(output(backend.broadcastTo(input([1, 2, 3], [3]), [2, 3]), [2, 3]))).toEqual([
      1, 2, 3, 1, 2, 3,
    ]);
    expect(Array.from(output(backend.broadcastTo(input([1, 2], [2, 1]), [2, 3]), [2, 3]))).toEqual([
      1, 1, 1, 2, 2, 2,
    ]);
    expect(Array.from(output(backend.broadcastTo(input([7], []), [2, 2]), [2, 2]))).toEqual([7, 7, 7, 7]);
    const shape = [3, 1, 2];
    const values = iota(shape);
    const target = [2, 3, 4, 2];
    const expected = Array.from({ length: sizeOf(target) }, (_, i) => at(values, shape, unravel(i, target)));
    expect(Array.from(output(backend.broadcastTo(input(values, shape), target), target))).toEqual(expected);
    expect(output(backend.broadcastTo(input([1], [1]), [0, 1]), [0, 1]).length).toBe(0);
  });
});

describe('slice', () => {
  const shape = [3, 4, 5];
  const values = iota(shape);

  function reference(begin: number[], step: number[], outShape: number[]): number[] {
    const strides = stridesOf(shape);
    return Array.from({ length: sizeOf(outShape) }, (_, i) =>
      unravel(i, outShape).reduce(
        (offset, index, d) => offset + (begin[d] + index * step[d]) * strides[d],
        0,
      ),
    );
  }

  const cases: [number[], number[], number[]][] = [
    [
      [0, 0, 0],
      [1, 1, 1],
      [3, 4, 5],
    ],
    [
      [1, 1, 0],
      [1, 2, 1],
      [2, 2, 5],
    ],
    [
      [2, 3, 4],
      [-1, -1, -1],
      [3, 4, 5],
    ],
    [
      [2, 0, 4],
      [-2, 3, -2],
      [2, 2, 3],
    ],
    [
      [0, 3, 1],
      [1, -3, 3],
      [3, 2, 2],
    ],
    [
      [1, 0, 0],
      [1, 1, 1],
      [0, 4, 5],
    ],
  ];
  for (const [begin, step, outShape] of cases) {
    it(`begin ${begin} step ${step} → ${outShape}`, () => {
      expect(
        Array.from(output(backend.slice(input(values, shape), begin, step, outShape), outShape)),
      ).toEqual(reference(begin, step, outShape));
    });
  }

  it('reverses a vector and slices a scalar', () => {
    expect(
      Array.from(output(backend.slice(input([1, 2, 3, 4], [4], 'int32'), [3], [-1], [4]), [4], 'int32')),
    ).toEqual([4, 3, 2, 1]);
    expect(Array.from(output(backend.slice(input([9], []), [], [], []), []))).toEqual([9]);
  });
});

describe('concat', () => {
  it('joins along the first, a middle and the last axis', () => {
    const a = input([1, 2, 3, 4], [2, 1, 2]);
    const b = input([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [2, 3, 2]);
    expect(Array.from(output(backend.concat([a, b], 1), [2, 4, 2]))).toEqual([
      1, 2, 5, 6, 7, 8, 9, 10, 3, 4, 11, 12, 13, 14, 15, 16,
    ]);
    const c = input([1, 2, 3, 4], [2, 2]);
    const d = input([5, 6], [2, 1]);
    expect(Array.from(output(backend.concat([c, d, c], 1), [2, 5]))).toEqual([1, 2, 5, 1, 2, 3, 4, 6, 3, 4]);
    expect(Array.from(output(backend.concat([c, input([5, 6], [1, 2])], 0), [3, 2]))).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
  });

  it('skips empty pieces and keeps the dtype', () => {
    const out = output(
      backend.concat([input([], [0], 'int32'), input([1, 2], [2], 'int32'), input([3], [1], 'int32')], 0),
      [3],
      'int32',
    );
    expect(out).toBeInstanceOf(Int32Array);
    expect(Array.from(out)).toEqual([1, 2, 3]);
  });
});

describe('gather and indexAdd', () => {
  it('gathers along each axis, repeating indices', () => {
    const x = input(iota([2, 3, 2]), [2, 3, 2]);
    const indices = input([2, 0, 2], [3], 'int32');
    expect(Array.from(output(backend.gather(x, indices, 1), [2, 3, 2]))).toEqual([
      4, 5, 0, 1, 4, 5, 10, 11, 6, 7, 10, 11,
    ]);
    expect(Array.from(output(backend.gather(x, input([1], [1], 'int32'), 0), [1, 3, 2]))).toEqual([
      6, 7, 8, 9, 10, 11,
    ]);
    expect(Array.from(output(backend.gather(x, input([1, 1, 0], [3], 'int32'), 2), [2, 3, 3]))).toEqual([
      1, 1, 0, 3, 3, 2, 5, 5, 4, 7, 7, 6, 9, 9, 8, 11, 11, 10,
    ]);
    expect(output(backend.gather(x, input([], [0], 'int32'), 1), [2, 0, 2]).length).toBe(0);
  });

  it('adds source slices into a copy, accumulating repeated indices', () => {
    const x = input([1, 1, 1, 1, 1, 1], [3, 2]);
    const source = input([10, 20, 30, 40, 50, 60], [3, 2]);
    const out = output(backend.indexAdd(x, 0, input([2, 0, 2], [3], 'int32'), source), [3, 2]);
    expect(Array.from(out)).toEqual([31, 41, 1, 1, 61, 81]);
    expect(Array.from(backend.readSync(x))).toEqual([1, 1, 1, 1, 1, 1]);
    const columns = output(
      backend.indexAdd(x, 1, input([1, 1], [2], 'int32'), input([1, 2, 3, 4, 5, 6], [3, 2])),
      [3, 2],
    );
    expect(Array.from(columns)).toEqual([1, 4, 1, 8, 1, 12]);
  });

  it('keeps bools 0/1 however often an index repeats', () => {
    const indices = input(new Array(300).fill(0), [300], 'int32');
    const out = output(
      backend.indexAdd(input([0], [1], 'bool'), 0, indices, input(new Array(300).fill(1), [300], 'bool')),
      [1],
      'bool',
    );
    expect(Array.from(out)).toEqual([1]);
  });
});
