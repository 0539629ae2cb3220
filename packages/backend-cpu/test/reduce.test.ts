import type { ReduceOp, Shape } from '@backprop/core';
import { sizeOf } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { backend, expectClose, input, output, randomValues, unravel } from './helpers.js';

/** Reduction by definition: every input element folded into the output cell its kept indices name. */
function reduceReference(op: ReduceOp, values: number[], shape: Shape, axes: number[]): number[] {
  const outShape = shape.filter((_, i) => !axes.includes(i));
  const init = { sum: 0, prod: 1, max: Number.NEGATIVE_INFINITY, min: Number.POSITIVE_INFINITY }[op];
  const out = new Array<number>(sizeOf(outShape)).fill(init);
  values.forEach((v, flat) => {
    const index = unravel(flat, shape).filter((_, i) => !axes.includes(i));
    let o = 0;
    index.forEach((x, i) => {
      o = o * outShape[i] + x;
    });
    out[o] =
      op === 'sum'
        ? out[o] + v
        : op === 'prod'
          ? out[o] * v
          : op === 'max'
            ? Math.max(out[o], v)
            : Math.min(out[o], v);
  });
  return out;
}

describe('reduce', () => {
  const shape = [3, 4, 5];
  const values = randomValues(60, 11).map((v) => v + 1.25);
  const axesCases = [[0], [1], [2], [0, 1], [1, 2], [0, 2], [0, 1, 2]];

  it('matches the definition for every op over contiguous and split axes', () => {
    for (const op of ['sum', 'prod', 'max', 'min'] as const) {
      for (const axes of axesCases) {
        const outShape = shape.filter((_, i) => !axes.includes(i));
        const actual = output(backend.reduce(op, input(values, shape), axes), outShape);
        expectClose(actual, reduceReference(op, values.map(Math.fround), shape, axes).map(Math.fround), 1e-6);
      }
    }
  });

  it('reduces nothing to the identity: sum 0, prod 1, max −∞, min +∞', () => {
    const empty = input([], [0, 3]);
    expect(Array.from(output(backend.reduce('sum', empty, [0]), [3]))).toEqual([0, 0, 0]);
    expect(Array.from(output(backend.reduce('prod', empty, [0]), [3]))).toEqual([1, 1, 1]);
    expect(Array.from(output(backend.reduce('max', empty, [0]), [3]))).toEqual([
      -Infinity,
      -Infinity,
      -Infinity,
    ]);
    expect(Array.from(output(backend.reduce('min', empty, [0]), [3]))).toEqual([
      Infinity,
      Infinity,
      Infinity,
    ]);
    expect(output(backend.reduce('sum', empty, [1]), [0]).length).toBe(0);
  });

  it('accumulates sums in double precision', () => {
    const many = new Array<number>(1 << 20).fill(0.1);
    const sum = output(backend.reduce('sum', input(many, [many.length]), [0]), [])[0];
    expect(sum).toBeCloseTo(Math.fround(0.1) * many.length, 1);
  });

  it('sums float32 over a leading axis in double precision, each column in row order, bit for bit', () => {
    // 7 columns: one group of four and three left over; magnitudes far apart, so a float32 running sum would lose them.
    const shape = [37, 7];
    const values = randomValues(37 * 7, 5).map((v, i) => Math.fround(v * 10 ** ((i % 5) * 2 - 4)));
    const actual = output(backend.reduce('sum', input(values, shape), [0]), [7]);
    expect(Array.from(actual)).toEqual(reduceReference('sum', values, shape, [0]).map(Math.fround));
  });

  it('keeps int32 and reduces a scalar-producing full reduction', () => {
    const ints = input([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
    const out = output(backend.reduce('sum', ints, [0, 1]), [], 'int32');
    expect(out).toBeInstanceOf(Int32Array);
    expect(Array.from(out)).toEqual([21]);
    expect(Array.from(output(backend.reduce('prod', ints, [1]), [2], 'int32'))).toEqual([6, 120]);
    expect(Array.from(output(backend.reduce('max', ints, [0]), [3], 'int32'))).toEqual([4, 5, 6]);
  });

  it('propagates NaN through max and min', () => {
    const x = input([1, Number.NaN, 3], [3]);
    expect(output(backend.reduce('max', x, [0]), [])[0]).toBeNaN();
    expect(output(backend.reduce('min', x, [0]), [])[0]).toBeNaN();
  });
});

describe('argReduce', () => {
  it('returns the first extreme index along each axis as int32', () => {
    const x = input([1, 5, 5, 0, 9, 2, 9, -3], [2, 4]);
    const max1 = output(backend.argReduce('argmax', x, 1), [2], 'int32');
    expect(max1).toBeInstanceOf(Int32Array);
    expect(Array.from(max1)).toEqual([1, 0]);
    expect(Array.from(output(backend.argReduce('argmin', x, 1), [2], 'int32'))).toEqual([3, 3]);
    expect(Array.from(output(backend.argReduce('argmax', x, 0), [4], 'int32'))).toEqual([1, 0, 1, 0]);
    expect(Array.from(output(backend.argReduce('argmin', x, 0), [4], 'int32'))).toEqual([0, 1, 0, 1]);
  });

  it('finds NaN as the extreme, like NumPy', () => {
    const x = input([1, Number.NaN, 7, Number.NaN], [4]);
    expect(Array.from(output(backend.argReduce('argmax', x, 0), [], 'int32'))).toEqual([1]);
    expect(Array.from(output(backend.argReduce('argmin', x, 0), [], 'int32'))).toEqual([1]);
  });

  it('works over a middle axis of a 3-D tensor', () => {
    const shape = [2, 3, 2];
    const values = [0, 9, 8, 1, 2, 3, 7, 7, 7, 8, 1, 1];
    expect(Array.from(output(backend.argReduce('argmax', input(values, shape), 1), [2, 2], 'int32'))).toEqual(
      [1, 0, 0, 1],
    );
  });
});
