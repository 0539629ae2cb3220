import type { BinaryOp, Shape } from '@backprop/core';
import { broadcastShapes, sizeOf } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { at, backend, expectClose, input, iota, output, randomValues, unravel } from './helpers.js';

function unary(
  op: Parameters<typeof backend.unary>[0],
  values: number[],
  dtype: 'float32' | 'int32' = 'float32',
): number[] {
  return Array.from(output(backend.unary(op, input(values, [values.length], dtype)), [values.length], dtype));
}

/** The broadcast result computed index by index, the way the definition reads. */
function broadcastReference(
  f: (x: number, y: number) => number,
  a: number[],
  aShape: Shape,
  b: number[],
  bShape: Shape,
): number[] {
  const shape = broadcastShapes('test', aShape, bShape);
  return Array.from({ length: sizeOf(shape) }, (_, i) => {
    const index = unravel(i, shape);
    return f(at(a, aShape, index), at(b, bShape, index));
  });
}

describe('unary kernels', () => {
  const xs = [-2.5, -1, -0.25, 0, 0.5, 1, 3];

  it('match Math for the transcendental ops', () => {
    const cases: [Parameters<typeof backend.unary>[0], (x: number) => number][] = [
      ['neg', (x) => -x],
      ['abs', Math.abs],
      ['sign', Math.sign],
      ['exp', Math.exp],
      ['sin', Math.sin],
      ['cos', Math.cos],
      ['tanh', Math.tanh],
      ['square', (x) => x * x],
      ['floor', Math.floor],
      ['ceil', Math.ceil],
      ['expm1', Math.expm1],
      ['atan', Math.atan],
      ['relu', (x) => Math.max(x, 0)],
    ];
    for (const [op, f] of cases)
      expectClose(
        unary(op, xs),
        xs.map((x) => Math.fround(f(x))),
        1e-7,
      );
    const positive = [0.25, 1, 2, 9];
    expectClose(unary('log', positive), positive.map(Math.log), 1e-7);
    expectClose(unary('sqrt', positive), [0.5, 1, Math.SQRT2, 3], 1e-7);
    expectClose(unary('reciprocal', positive), [4, 1, 0.5, 1 / 9], 1e-7);
    expectClose(unary('log1p', [1e-10, 1]), [1e-10, Math.LN2], 1e-7);
    expect(unary('log', [0, -1])).toEqual([Number.NEGATIVE_INFINITY, Number.NaN]);
  });

  it('relu and sign keep zeros, infinities, subnormals and NaN of either sign bit', () => {
    const negativeNaN = new Float32Array(new Int32Array([0xffc00000 | 0]).buffer)[0];
    const xs = [0, -0, Infinity, -Infinity, 1e-45, -1e-45, 3.5, -3.5, Number.NaN, negativeNaN];
    const same = (got: number[], want: number[]) => {
      for (const [i, w] of want.entries()) expect(Object.is(got[i], w), `${i}: ${got[i]} vs ${w}`).toBe(true);
    };
    same(unary('relu', xs), [0, 0, Infinity, 0, Math.fround(1e-45), 0, 3.5, 0, Number.NaN, Number.NaN]);
    same(unary('sign', xs), [0, -0, 1, -1, 1, -1, 1, -1, Number.NaN, Number.NaN]);
    // Of random sign, as activations after a normalisation are: the same as the comparisons.
    const random = Array.from({ length: 1000 }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 2);
    expect(unary('relu', random)).toEqual(random.map((x) => Math.fround(Math.max(x, 0))));
    expect(unary('sign', random)).toEqual(random.map(Math.sign));
  });

  it('rounds half to even', () => {
    expect(unary('round', [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6, 3.5000002])).toEqual([
      0, 2, 2, -0, -2, -2, 2, -3, 4,
    ]);
  });

  it('sigmoid is exact at 0 and finite for huge |x|', () => {
    const out = unary('sigmoid', [0, 2, -2, 1000, -1000, 80, -80]);
    expectClose(out.slice(0, 3), [0.5, 1 / (1 + Math.exp(-2)), 1 / (1 + Math.exp(2))], 1e-7);
    expect(out[3]).toBe(1);
    expect(out[4]).toBe(0);
    expect(out[5]).toBe(1);
    expect(out[6]).toBeCloseTo(Math.fround(Math.exp(-80)), 45);
    expect(out[6]).toBeGreaterThan(0);
  });

  it('erf matches tabulated values, odd, saturating', () => {
    const table = [
      [0, 0],
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [2.5, 0.999593047982555],
      [3, 0.9999779095030014],
      [6, 1],
    ];
    expectClose(
      unary(
        'erf',
        table.map(([x]) => x),
      ),
      table.map(([, y]) => y),
      1e-7,
    );
    expectClose(unary('erf', [-1, -3]), [-0.8427007929497149, -0.9999779095030014], 1e-7);
    expect(unary('erf', [Number.NaN])[0]).toBeNaN();
  });

  it('keeps int32 for the integer-safe ops, with int32 wrap-around', () => {
    expect(unary('neg', [3, -4], 'int32')).toEqual([-3, 4]);
    expect(unary('abs', [-7, 7], 'int32')).toEqual([7, 7]);
    expect(unary('sign', [-7, 0, 9], 'int32')).toEqual([-1, 0, 1]);
    expect(unary('relu', [-7, 9], 'int32')).toEqual([0, 9]);
    expect(unary('square', [3, 50000], 'int32')).toEqual([9, (50000 * 50000) | 0]);
    expect(
      backend.readSync({
        dataId: backend.unary('neg', input([1], [1], 'int32')),
        shape: [1],
        dtype: 'int32',
      }),
    ).toBeInstanceOf(Int32Array);
  });

  it('handles scalars and empty tensors', () => {
    expect(Array.from(output(backend.unary('exp', input([0], [])), []))).toEqual([1]);
    expect(output(backend.unary('exp', input([], [0, 4])), [0, 4]).length).toBe(0);
  });
});

describe('binary kernels', () => {
  const ops: [BinaryOp, (x: number, y: number) => number][] = [
    ['add', (x, y) => x + y],
    ['sub', (x, y) => x - y],
    ['mul', (x, y) => x * y],
    ['div', (x, y) => x / y],
    ['pow', (x, y) => Math.abs(x) ** y],
    ['maximum', Math.max],
    ['minimum', Math.min],
  ];
  const shapes: [Shape, Shape][] = [
    [
      [2, 3],
      [2, 3],
    ],
    [[2, 3], [3]],
    [[3], [2, 3]],
    [
      [2, 1],
      [1, 3],
    ],
    [
      [3, 1, 2],
      [4, 1],
    ],
    [[2, 3, 4], []],
    [[], [2, 3, 4]],
    [
      [2, 1, 4],
      [2, 3, 1],
    ],
    [[1], [5]],
    [
      [4, 1, 1, 2],
      [3, 1],
    ],
  ];

  it('broadcast like NumPy for every arithmetic op and layout', () => {
    for (const [aShape, bShape] of shapes) {
      const a = randomValues(sizeOf(aShape), 3).map((v) => v * 4);
      const b = randomValues(sizeOf(bShape), 7).map((v) => v * 2 + 3);
      const outShape = broadcastShapes('test', aShape, bShape);
      for (const [op, f] of ops) {
        const aIn = op === 'pow' ? a.map(Math.abs) : a;
        const actual = output(
          backend.binary(op, input(aIn, aShape), input(b, bShape), outShape, 'float32'),
          outShape,
        );
        const expected = broadcastReference(f, aIn.map(Math.fround), aShape, b.map(Math.fround), bShape).map(
          Math.fround,
        );
        expectClose(actual, expected, 1e-6);
      }
    }
  });

  it('subtract and divide keep operand order on the scalar fast paths', () => {
    const v = input([1, 2, 4], [3]);
    const s = input([8], []);
    expect(Array.from(output(backend.binary('sub', v, s, [3], 'float32'), [3]))).toEqual([-7, -6, -4]);
    expect(Array.from(output(backend.binary('sub', s, v, [3], 'float32'), [3]))).toEqual([7, 6, 4]);
    expect(Array.from(output(backend.binary('div', s, v, [3], 'float32'), [3]))).toEqual([8, 4, 2]);
    expect(Array.from(output(backend.binary('div', v, s, [3], 'float32'), [3]))).toEqual([0.125, 0.25, 0.5]);
  });

  it('comparisons output bool (Uint8Array) with broadcasting', () => {
    const a = input([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = input([2, 5, 3], [3]);
    const expected: Record<string, number[]> = {
      eq: [0, 0, 1, 0, 1, 0],
      ne: [1, 1, 0, 1, 0, 1],
      lt: [1, 1, 0, 0, 0, 0],
      le: [1, 1, 1, 0, 1, 0],
      gt: [0, 0, 0, 1, 0, 1],
      ge: [0, 0, 1, 1, 1, 1],
    };
    for (const [op, values] of Object.entries(expected)) {
      const out = output(backend.binary(op as BinaryOp, a, b, [2, 3], 'bool'), [2, 3], 'bool');
      expect(out).toBeInstanceOf(Uint8Array);
      expect(Array.from(out), op).toEqual(values);
    }
    const nan = input([Number.NaN], []);
    expect(Array.from(output(backend.binary('ne', nan, nan, [], 'bool'), [], 'bool'))).toEqual([1]);
    expect(Array.from(output(backend.binary('eq', nan, nan, [], 'bool'), [], 'bool'))).toEqual([0]);
  });

  it('int32 arithmetic wraps like int32 and bool arithmetic stays 0/1', () => {
    const big = input([2 ** 30, 3], [2], 'int32');
    const four = input([4], [], 'int32');
    expect(Array.from(output(backend.binary('mul', big, four, [2], 'int32'), [2], 'int32'))).toEqual([0, 12]);
    expect(
      Array.from(
        output(
          backend.binary(
            'mul',
            input([123456789], [1], 'int32'),
            input([987654321], [1], 'int32'),
            [1],
            'int32',
          ),
          [1],
          'int32',
        ),
      ),
    ).toEqual([Math.imul(123456789, 987654321)]);
    const flags = input([1, 1, 0, 0], [4], 'bool');
    const other = input([1, 0, 1, 0], [4], 'bool');
    expect(Array.from(output(backend.binary('add', flags, other, [4], 'bool'), [4], 'bool'))).toEqual([
      1, 1, 1, 0,
    ]);
  });

  it('maximum and minimum propagate NaN', () => {
    const a = input([Number.NaN, 1], [2]);
    const b = input([0, Number.NaN], [2]);
    const max = output(backend.binary('maximum', a, b, [2], 'float32'), [2]);
    expect(max[0]).toBeNaN();
    expect(max[1]).toBeNaN();
  });

  it('handles zero-size broadcasts and scalars', () => {
    expect(
      output(backend.binary('add', input([], [0, 3]), input([1, 2, 3], [3]), [0, 3], 'float32'), [0, 3])
        .length,
    ).toBe(0);
    expect(
      Array.from(output(backend.binary('mul', input([3], []), input([4], []), [], 'float32'), [])),
    ).toEqual([12]);
  });
});

describe('where', () => {
  it('picks with broadcasting of condition, a and b', () => {
    const condition = input([1, 0], [2, 1], 'bool');
    const a = input([10, 20, 30], [3]);
    const b = input([-1], []);
    expect(Array.from(output(backend.where(condition, a, b, [2, 3]), [2, 3]))).toEqual([
      10, 20, 30, -1, -1, -1,
    ]);
    const same = output(
      backend.where(
        input([0, 1, 1], [3], 'bool'),
        input([1, 2, 3], [3], 'int32'),
        input([7, 8, 9], [3], 'int32'),
        [3],
      ),
      [3],
      'int32',
    );
    expect(same).toBeInstanceOf(Int32Array);
    expect(Array.from(same)).toEqual([7, 2, 3]);
  });

  it('matches the index-by-index definition on a 3-D broadcast', () => {
    const cShape = [2, 1, 4];
    const aShape = [3, 1];
    const bShape = [2, 3, 4];
    const c = iota(cShape).map((i) => ((i * 7) % 3 === 0 ? 1 : 0));
    const a = iota(aShape).map((i) => i + 100);
    const b = iota(bShape).map((i) => -i);
    const out = output(
      backend.where(input(c, cShape, 'bool'), input(a, aShape), input(b, bShape), bShape),
      bShape,
    );
    const expected = Array.from({ length: 24 }, (_, i) => {
      const index = unravel(i, bShape);
      return at(c, cShape, index) ? at(a, aShape, index) : at(b, bShape, index);
    });
    expect(Array.from(out)).toEqual(expected);
  });
});
