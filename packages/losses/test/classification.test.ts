import './setup.js';
import { ArgumentError, DTypeError, gradcheck, memory, ShapeError, tensor, tidy } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { CrossEntropyLoss, crossEntropy, multiMargin, NLLLoss, nll } from '../src/index.js';
import { expectClose } from './helpers.js';
import { crossEntropyProbRef, crossEntropyRef, logSoftmaxRow, multiMarginRef } from './reference.js';

const i32 = (values: number[]) => tensor(Int32Array.from(values));

const logits = [
  [1.0, 2.0, 0.0, -1.5],
  [-1.0, 0.0, 1.0, 0.5],
  [-10.0, 0.0, 10.0, 3.0],
  [0.3, 0.2, -0.4, 2.2],
  [2.5, -0.7, 0.1, 0.0],
];
const labels = [1, 2, 2, 0, 3];
const classWeight = [0.2, 1.5, 1.0, 3.0];

describe('crossEntropy with class indices', () => {
  it('a hand-computed example: logits [1, 2, 0], class 1', () => {
    tidy(() => {
      // −log softmax([1, 2, 0])[1] = log(e¹ + e² + e⁰) − 2
      const expected = Math.log(Math.E + Math.E ** 2 + 1) - 2;
      expectClose(crossEntropy(tensor([[1, 2, 0]]), i32([1])), expected);
      // unbatched [C] input with a scalar target gives the same
      const unbatched = crossEntropy(tensor([1, 2, 0]), tensor(1, { dtype: 'int32' }), { reduction: 'none' });
      expect(unbatched.shape).toEqual([]);
      expectClose(unbatched, expected);
    });
  });

  it('plain, sum and none against float64 (the fused path)', () => {
    tidy(() => {
      const x = tensor(logits);
      const t = i32(labels);
      for (const reduction of ['mean', 'sum', 'none'] as const) {
        expectClose(crossEntropy(x, t, { reduction }), crossEntropyRef(logits, labels, { reduction }));
      }
      expectClose(new CrossEntropyLoss().forward(x, t), crossEntropyRef(logits, labels));
    });
  });

  it('class weights give the weighted mean Σ w[t]·loss / Σ w[t]', () => {
    tidy(() => {
      const x = tensor(logits);
      const t = i32(labels);
      const w = tensor(classWeight);
      for (const reduction of ['mean', 'sum', 'none'] as const) {
        expectClose(
          crossEntropy(x, t, { weight: w, reduction }),
          crossEntropyRef(logits, labels, { weight: classWeight, reduction }),
        );
      }
    });
  });

  it('ignoreIndex drops samples from the sum and from the denominator', () => {
    tidy(() => {
      const ignored = [1, -100, 2, 0, -100];
      const x = tensor(logits);
      for (const reduction of ['mean', 'sum', 'none'] as const) {
        expectClose(
          crossEntropy(x, i32(ignored), { reduction }),
          crossEntropyRef(logits, ignored, { reduction }),
        );
      }
      const custom = [1, 3, 3, 0, 2];
      expectClose(
        crossEntropy(x, i32(custom), { ignoreIndex: 3, weight: tensor(classWeight) }),
        crossEntropyRef(logits, custom, { ignoreIndex: 3, weight: classWeight }),
      );
    });
  });

  it('label smoothing, with and without weights and ignored samples', () => {
    tidy(() => {
      const x = tensor(logits);
      const ignored = [1, -100, 2, 0, 3];
      for (const reduction of ['mean', 'sum', 'none'] as const) {
        for (const weight of [undefined, classWeight]) {
          const opts = { labelSmoothing: 0.1, reduction, weight };
          expectClose(
            crossEntropy(x, i32(ignored), { ...opts, weight: weight ? tensor(weight) : null }),
            crossEntropyRef(logits, ignored, opts),
          );
        }
      }
    });
  });

  it('[N, C, d] inputs with [N, d] targets', () => {
    tidy(() => {
      // input [2, 3, 2]: sample n, class c, position d
      const data = [
        [
          [0.1, 1.0],
          [0.5, -1.0],
          [2.0, 0.0],
        ],
        [
          [-0.3, 0.7],
          [1.1, 0.2],
          [0.0, -2.0],
        ],
      ];
      const target = [
        [2, 0],
        [1, 1],
      ];
      const rows: number[][] = [];
      const flatT: number[] = [];
      for (let n = 0; n < 2; n++) {
        for (let d = 0; d < 2; d++) {
          rows.push([0, 1, 2].map((c) => data[n][c][d]));
          flatT.push(target[n][d]);
        }
      }
      const x = tensor(data);
      const t = tensor(Int32Array.from(target.flat()), { shape: [2, 2] });
      const none = crossEntropy(x, t, { reduction: 'none' });
      expect(none.shape).toEqual([2, 2]);
      expectClose(none, crossEntropyRef(rows, flatT, { reduction: 'none' }));
      expectClose(
        crossEntropy(x, t, { weight: tensor([1, 2, 3]) }),
        crossEntropyRef(rows, flatT, { weight: [1, 2, 3] }),
      );
      const probs = rows.map((_, i) => [0, 1, 2].map((c) => (c === flatT[i] ? 0.7 : 0.15)));
      const probTensor = tensor(
        [0, 1].map((n) => [0, 1, 2].map((c) => [0, 1].map((d) => probs[n * 2 + d][c]))),
      );
      expectClose(
        crossEntropy(x, probTensor, { reduction: 'none' }),
        crossEntropyProbRef(rows, probs, { reduction: 'none' }),
      );
    });
  });

  it('is finite and exact for logits of ±1e4', () => {
    tidy(() => {
      const big = [
        [1e4, -1e4, 0],
        [-1e4, 1e4, 5e3],
        [0, 0, 1e4],
      ];
      const t = [1, 1, 0];
      const x = tensor(big, { requiresGrad: true });
      const loss = crossEntropy(x, i32(t), { reduction: 'none' });
      expectClose(loss, [2e4, 0, 1e4], 1e-2, 1e-6);
      loss.sum().backward();
      // softmax − onehot, exactly 0/±1 here
      expectClose(x.grad!, [1, -1, 0, 0, 0, 0, -1, 0, 1], 1e-6);
      // the general path (weights, smoothing) is finite too
      const smoothed = crossEntropy(x, i32(t), { labelSmoothing: 0.2, weight: tensor([1, 2, 3]) });
      expect(Number.isFinite(smoothed.item())).toBe(true);
      expectClose(smoothed, crossEntropyRef(big, t, { labelSmoothing: 0.2, weight: [1, 2, 3] }), 1e-2, 1e-5);
      const soft = crossEntropy(
        x,
        tensor([
          [0, 1, 0],
          [0.5, 0.5, 0],
          [1, 0, 0],
        ]),
      );
      expectClose(
        soft,
        crossEntropyProbRef(big, [
          [0, 1, 0],
          [0.5, 0.5, 0],
          [1, 0, 0],
        ]),
        1e-2,
        1e-5,
      );
    });
  });

  it('gradients match finite differences on every path', () => {
    tidy(() => {
      const x = tensor(logits.slice(0, 3).map((r) => r.map((v) => v / 4)));
      const t = i32([1, 2, 0]);
      const probs = tensor([
        [0.1, 0.6, 0.2, 0.1],
        [0, 0, 1, 0],
        [0.25, 0.25, 0.25, 0.25],
      ]);
      const w = tensor(classWeight);
      const cases = [
        (a: typeof x) => crossEntropy(a, t),
        (a: typeof x) => crossEntropy(a, t, { weight: w, reduction: 'none' }),
        (a: typeof x) => crossEntropy(a, i32([1, -100, 0]), { labelSmoothing: 0.3, weight: w }),
        (a: typeof x) => crossEntropy(a, probs, { weight: w, labelSmoothing: 0.1 }),
        (a: typeof x) => nll(a.logSoftmax(1), t, { weight: w }),
        (a: typeof x) => multiMargin(a, t, { p: 2, margin: 0.9, weight: w }),
      ];
      for (const fn of cases) expect(gradcheck(fn, [x]).mismatches).toEqual([]);
      // soft-label targets get a gradient too
      expect(gradcheck((p) => crossEntropy(x, p), [probs]).mismatches).toEqual([]);
    });
  });

  it('one-hot probability targets equal index targets', () => {
    tidy(() => {
      const x = tensor(logits);
      const onehot = labels.map((l) => [0, 1, 2, 3].map((c) => (c === l ? 1 : 0)));
      expectClose(crossEntropy(x, tensor(onehot)), crossEntropyRef(logits, labels));
      expectClose(
        crossEntropy(x, tensor(onehot), { labelSmoothing: 0.1, reduction: 'sum' }),
        crossEntropyRef(logits, labels, { labelSmoothing: 0.1, reduction: 'sum' }),
      );
    });
  });

  it('names bad shapes, dtypes and out-of-range classes', () => {
    tidy(() => {
      const x = tensor(logits);
      expect(() => crossEntropy(x, i32([0, 1]))).toThrow(ShapeError);
      expect(() => crossEntropy(x, i32([0, 1, 2, 3, 4]))).toThrow(ArgumentError);
      expect(() => crossEntropy(x, i32([0, 1, 2, 3, 4]))).toThrow(
        /target class 4 at position 4 is out of range \(expected 0\.\.3/,
      );
      expect(() => crossEntropy(x, i32([0, -1, 2, 3, 1]))).toThrow(/target class -1/);
      expect(() => crossEntropy(x, tensor([0, 1, 2, 3, 1]))).toThrow(
        /probability\) target must have the input's shape/,
      );
      expect(() => crossEntropy(x, tensor([true, false, true, true, false]))).toThrow(DTypeError);
      expect(() => crossEntropy(x, i32(labels), { weight: tensor([1, 2]) })).toThrow(
        /weight \[2\] must have one entry per class/,
      );
      expect(() => crossEntropy(x, i32(labels), { labelSmoothing: 1.5 })).toThrow(ArgumentError);
      expect(() => nll(x, i32([0, 9, 0, 0, 0]))).toThrow(/nll: target class 9/);
      expect(() => multiMargin(x, i32([0, 9, 0, 0, 0]))).toThrow(ArgumentError);
    });
  });

  it('leaks nothing inside tidy', () => {
    const before = memory().numTensors;
    tidy(() => {
      const x = tensor(logits, { requiresGrad: true });
      crossEntropy(x, tensor(Int32Array.from([1, -100, 2, 0, 3])), { labelSmoothing: 0.1 }).backward();
      x.grad!.dispose();
    });
    expect(memory().numTensors).toBe(before);
  });
});

describe('nll', () => {
  it('picks −w[t]·logp[t], weighted mean, ignoreIndex; matches crossEntropy on logSoftmax', () => {
    tidy(() => {
      const logp = logits.map(logSoftmaxRow);
      const x = tensor(logp);
      for (const reduction of ['mean', 'sum', 'none'] as const) {
        expectClose(nll(x, i32(labels), { reduction }), crossEntropyRef(logits, labels, { reduction }), 1e-5);
        expectClose(
          new NLLLoss({ weight: tensor(classWeight), reduction, ignoreIndex: 0 }).forward(x, i32(labels)),
          crossEntropyRef(logits, labels, { weight: classWeight, reduction, ignoreIndex: 0 }),
        );
      }
      // log 0 = −∞ in a column that is not picked stays harmless
      expectClose(nll(tensor([[0, Number.NEGATIVE_INFINITY]]), i32([0])), 0);
    });
  });
});

describe('multiMargin', () => {
  it('PyTorch documented example: x = [0.1, 0.2, 0.4, 0.8], y = 3 gives 0.325', () => {
    tidy(() => {
      // ((1 − 0.8 + 0.1) + (1 − 0.8 + 0.2) + (1 − 0.8 + 0.4)) / 4
      expectClose(multiMargin(tensor([[0.1, 0.2, 0.4, 0.8]]), i32([3])), 0.325);
    });
  });

  it('p, margin and weight against float64', () => {
    tidy(() => {
      const x = tensor(logits);
      for (const p of [1, 2] as const) {
        for (const margin of [1, 0.5]) {
          for (const weight of [undefined, classWeight]) {
            const ref = multiMarginRef(logits, labels, p, margin, weight);
            expectClose(
              multiMargin(x, i32(labels), {
                p,
                margin,
                weight: weight ? tensor(weight) : null,
                reduction: 'none',
              }),
              ref,
            );
            expectClose(
              multiMargin(x, i32(labels), { p, margin, weight: weight ? tensor(weight) : null }),
              ref.reduce((a, b) => a + b, 0) / ref.length,
            );
          }
        }
      }
    });
  });
});
