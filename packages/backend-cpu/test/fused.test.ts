import type { FusedActivation, GradActivation, Shape, TensorInfo } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { backend, expectClose, input, output, randomValues } from './helpers.js';

/** Softmax over `axis` composed from the required kernels, the way core falls back to it. */
function composedSoftmax(x: TensorInfo, axis: number): number[] {
  const kept = x.shape.map((d, i) => (i === axis ? 1 : d));
  const max = { dataId: backend.reduce('max', x, [axis]), shape: kept, dtype: 'float32' as const };
  const shifted = {
    dataId: backend.binary('sub', x, max, x.shape, 'float32'),
    shape: x.shape,
    dtype: 'float32' as const,
  };
  const e = { dataId: backend.unary('exp', shifted), shape: x.shape, dtype: 'float32' as const };
  const sum = { dataId: backend.reduce('sum', e, [axis]), shape: kept, dtype: 'float32' as const };
  return Array.from(output(backend.binary('div', e, sum, x.shape, 'float32'), x.shape));
}

describe('softmax', () => {
  it('reproduces the study notes’ example', () => {
    const x = input([1, 2, 0, -1, 0, 1, -10, 0, 10], [3, 3]);
    const expected = [
      0.244728471, 0.665240956, 0.0900305732, 0.0900305732, 0.244728471, 0.665240956, 2.06106005e-9,
      4.53978686e-5, 0.9999546,
    ];
    const actual = output(backend.softmax!(x, 1), [3, 3]);
    for (let i = 0; i < 9; i++)
      expect(Math.abs(actual[i] - expected[i]) / expected[i], `index ${i}`).toBeLessThan(1e-6);
  });

  it('agrees with the composition over every axis', () => {
    const shape: Shape = [4, 5, 3];
    const x = input(
      randomValues(60, 5).map((v) => v * 6),
      shape,
    );
    for (const axis of [0, 1, 2])
      expectClose(output(backend.softmax!(x, axis), shape), composedSoftmax(x, axis), 2e-7);
  });

  it('stays finite and exact for logits of ±1e4', () => {
    const x = input([1e4, -1e4, 1e4, -1e4, -1e4, -1e4], [2, 3]);
    expect(Array.from(output(backend.softmax!(x, 1), [2, 3]))).toEqual(
      [0.5, 0, 0.5, 1 / 3, 1 / 3, 1 / 3].map(Math.fround),
    );
    expect(Array.from(output(backend.logSoftmax!(x, 1), [2, 3]))).toEqual(
      [-Math.LN2, -2e4 - Math.LN2, -Math.LN2, -Math.log(3), -Math.log(3), -Math.log(3)].map(Math.fround),
    );
  });

  it('handles a scalar-like line and empty tensors', () => {
    expect(Array.from(output(backend.softmax!(input([42], [1]), 0), [1]))).toEqual([1]);
    expect(Array.from(output(backend.logSoftmax!(input([42], [1]), 0), [1]))).toEqual([0]);
    expect(output(backend.softmax!(input([], [0, 4]), 1), [0, 4]).length).toBe(0);
  });
});

describe('logSoftmax', () => {
  it('equals log of the composed softmax over every axis', () => {
    const shape: Shape = [3, 4, 2];
    const x = input(
      randomValues(24, 9).map((v) => v * 5),
      shape,
    );
    for (const axis of [0, 1, 2]) {
      expectClose(output(backend.logSoftmax!(x, axis), shape), composedSoftmax(x, axis).map(Math.log), 1e-6);
    }
  });
});

describe('linear', () => {
  const activations: [FusedActivation, Parameters<typeof backend.unary>[0] | null][] = [
    ['none', null],
    ['relu', 'relu'],
    ['sigmoid', 'sigmoid'],
    ['tanh', 'tanh'],
  ];

  for (const [m, k, n] of [
    [1, 1, 1],
    [5, 17, 3],
    [65, 130, 17],
  ]) {
    for (const [activation, unary] of activations) {
      for (const withBias of [true, false]) {
        it(`${m}x${k} · (${n}x${k})ᵀ ${withBias ? '+ bias ' : ''}then ${activation} equals matmul, add and the activation kernel`, () => {
          const x = input(randomValues(m * k, m + k), [m, k]);
          const w = input(randomValues(n * k, n * 3 + k), [n, k]);
          const bias = withBias ? input(randomValues(n, n + 99), [n]) : null;
          const fused = output(backend.linear!(x, w, bias, activation), [m, n]);
          let z: TensorInfo = {
            dataId: backend.matmul({ ...x, shape: [1, m, k] }, { ...w, shape: [1, n, k] }, false, true),
            shape: [m, n],
            dtype: 'float32',
          };
          if (bias)
            z = {
              dataId: backend.binary('add', z, bias, [m, n], 'float32'),
              shape: [m, n],
              dtype: 'float32',
            };
          if (unary) z = { dataId: backend.unary(unary, z), shape: [m, n], dtype: 'float32' };
          expect(Array.from(fused)).toEqual(Array.from(output(z.dataId, [m, n])));
        });
      }
    }
  }
});

describe('softmaxCrossEntropy', () => {
  it('is −log softmax at the label, per row', () => {
    const logits = [2, 1, 0.1, 0, 0, 0, -3, 5, 1e4];
    const x = input(logits, [3, 3]);
    const labels = input([0, 2, 1], [3], 'int32');
    const logSoftmax = output(backend.logSoftmax!(x, 1), [3, 3]);
    const expected = [-logSoftmax[0], -logSoftmax[5], -logSoftmax[7]];
    expectClose(output(backend.softmaxCrossEntropy!(x, labels), [3]), expected, 1e-7);
    expect(output(backend.softmaxCrossEntropy!(x, labels), [3])[2]).toBeCloseTo(1e4 - 5, 2);
    expect(output(backend.softmaxCrossEntropy!(x, labels), [3])[1]).toBeCloseTo(Math.log(3), 6);
  });

  it('returns an empty vector for an empty batch', () => {
    expect(output(backend.softmaxCrossEntropy!(input([], [0, 3]), input([], [0], 'int32')), [0]).length).toBe(
      0,
    );
  });
});

/** `a op b` broadcast to `shape` with the binary kernel, as a new input. */
function binaryOf(op: 'sub' | 'mul', a: TensorInfo, b: TensorInfo, shape: Shape): TensorInfo {
  return { dataId: backend.binary(op, a, b, shape, 'float32'), shape, dtype: 'float32' };
}

describe('activationGrad', () => {
  const shape: Shape = [3, 7];
  // Gradients with the values IEEE arithmetic treats specially: ±0, ±∞ and NaN.
  const g = input([...randomValues(17, 11), 0, -0, Number.POSITIVE_INFINITY, Number.NaN], shape);
  const one = input([1], []);
  const unary = (op: 'sign' | 'square', x: TensorInfo): TensorInfo => ({
    ...x,
    dataId: backend.unary(op, x),
  });
  const cases: [GradActivation, number[], (y: TensorInfo) => TensorInfo][] = [
    // relu outputs: positive, +0, and NaN, which relu lets through.
    ['relu', [...randomValues(18, 12).map((v) => Math.max(v, 0)), 0, Number.NaN, 2], (y) => unary('sign', y)],
    [
      'sigmoid',
      randomValues(21, 13).map((v) => 1 / (1 + Math.exp(-4 * v))),
      (y) => binaryOf('mul', y, binaryOf('sub', one, y, shape), shape),
    ],
    [
      'tanh',
      randomValues(21, 14).map((v) => Math.tanh(3 * v)),
      (y) => binaryOf('sub', one, unary('square', y), shape),
    ],
  ];
  for (const [activation, values, derivative] of cases) {
    it(`${activation}: one pass with the bits of the composed kernels`, () => {
      const y = input(values, shape);
      const fused = Array.from(output(backend.activationGrad!(g, y, activation), shape));
      const slope = derivative(y);
      expect(fused).toEqual(Array.from(output(binaryOf('mul', g, slope, shape).dataId, shape)));
      // Scaled by g, not the bare derivative.
      expect(fused).not.toEqual(Array.from(output(slope.dataId, shape)));
    });
  }
});

describe('softmaxCrossEntropyGrad', () => {
  it('is softmax less the label, scaled per row, with the bits of the composed kernels', () => {
    const [rows, classes] = [5, 7];
    const logits = input(
      randomValues(rows * classes, 21).map((v) => v * 6),
      [rows, classes],
    );
    const labels = [0, 6, 3, 3, 1];
    const g = input([0.2, -1, 0, 3, 1e-3], [rows]);
    const fused = Array.from(
      output(backend.softmaxCrossEntropyGrad!(logits, input(labels, [rows], 'int32'), g), [rows, classes]),
    );
    const probabilities = { ...logits, dataId: backend.softmax!(logits, 1) };
    const oneHot = input(
      Array.from({ length: rows * classes }, (_, i) =>
        i % classes === labels[Math.floor(i / classes)] ? 1 : 0,
      ),
      [rows, classes],
    );
    const composed = binaryOf(
      'mul',
      binaryOf('sub', probabilities, oneHot, [rows, classes]),
      { ...g, shape: [rows, 1] },
      [rows, classes],
    );
    expect(fused).toEqual(Array.from(output(composed.dataId, [rows, classes])));
    // Row 0 is softmax · 0.2, less 0.2 at its label; the row scaled by 0 is all zeros.
    const p = output(probabilities.dataId, [rows, classes]);
    expect(fused[0]).toBeCloseTo((p[0] - 1) * 0.2, 6);
    expect(fused[1]).toBeCloseTo(p[1] * 0.2, 6);
    // (−0 at its label, where p − 1 < 0 is scaled by 0.)
    expect(fused.slice(2 * classes, 3 * classes).map(Math.abs)).toEqual(new Array(classes).fill(0));
  });

  it('returns an empty gradient for an empty batch', () => {
    const empty = backend.softmaxCrossEntropyGrad!(
      input([], [0, 3]),
      input([], [0], 'int32'),
      input([], [0]),
    );
    expect(output(empty, [0, 3]).length).toBe(0);
  });
});
