import './setup.js';
import { gradcheck, memory, ShapeError, tensor, tidy } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { HuberLoss, huber, l1, MSELoss, mse, smoothL1 } from '../src/index.js';
import { expectClose } from './helpers.js';

const x = [0.5, -1.2, 3.0, 2.25, -0.4, 1.0];
const y = [0.0, 0.3, 1.0, 2.0, 2.6, 1.0];
const diff = x.map((v, i) => v - y[i]);
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);

describe('regression losses', () => {
  it('mse against float64', () => {
    tidy(() => {
      const a = tensor(x, { shape: [2, 3] });
      const b = tensor(y, { shape: [2, 3] });
      const sq = diff.map((d) => d * d);
      expectClose(mse(a, b), mean(sq));
      expectClose(mse(a, b, { reduction: 'sum' }), sum(sq));
      const none = mse(a, b, { reduction: 'none' });
      expect(none.shape).toEqual([2, 3]);
      expectClose(none, sq);
      expectClose(new MSELoss({ reduction: 'sum' }).forward(a, b), sum(sq));
    });
  });

  it('l1 against float64, zero gradient where equal', () => {
    tidy(() => {
      const a = tensor(x, { shape: [6], requiresGrad: true });
      const b = tensor(y, { shape: [6] });
      const loss = l1(a, b);
      expectClose(loss, mean(diff.map(Math.abs)));
      loss.backward();
      expectClose(
        a.grad!,
        diff.map((d) => Math.sign(d) / 6),
      );
    });
  });

  it('huber and smoothL1 (delta / beta) against float64', () => {
    const huberRef = (d: number, delta: number) =>
      Math.abs(d) < delta ? 0.5 * d * d : delta * (Math.abs(d) - 0.5 * delta);
    const smoothRef = (d: number, beta: number) =>
      Math.abs(d) < beta ? (0.5 * d * d) / beta : Math.abs(d) - 0.5 * beta;
    tidy(() => {
      const a = tensor(x);
      const b = tensor(y);
      for (const delta of [1, 0.5, 2.5]) {
        expectClose(huber(a, b, { delta }), mean(diff.map((d) => huberRef(d, delta))));
        expectClose(
          smoothL1(a, b, { beta: delta, reduction: 'sum' }),
          sum(diff.map((d) => smoothRef(d, delta))),
        );
        // huber(delta) = delta * smoothL1(beta = delta)
        expectClose(
          huber(a, b, { delta, reduction: 'none' }),
          diff.map((d) => delta * smoothRef(d, delta)),
        );
      }
      expectClose(smoothL1(a, b, { beta: 0 }), mean(diff.map(Math.abs)));
      expectClose(new HuberLoss({ delta: 0.5 }).forward(a, b), mean(diff.map((d) => huberRef(d, 0.5))));
    });
  });

  it('gradients match finite differences', () => {
    tidy(() => {
      const a = tensor([0.5, -1.2, 3.0, 2.2, -0.4, 1.3], { shape: [2, 3] });
      const b = tensor(y, { shape: [2, 3] });
      for (const fn of [
        (p: typeof a, q: typeof a) => mse(p, q),
        (p: typeof a, q: typeof a) => l1(p, q, { reduction: 'sum' }),
        (p: typeof a, q: typeof a) => huber(p, q, { delta: 0.7, reduction: 'none' }),
        (p: typeof a, q: typeof a) => smoothL1(p, q, { beta: 0.8 }),
      ]) {
        const result = gradcheck(fn, [a, b]);
        expect(result.mismatches).toEqual([]);
      }
    });
  });

  it('names mismatched shapes and bad options', () => {
    tidy(() => {
      const a = tensor([1, 2, 3]);
      const b = tensor([1, 2]);
      expect(() => mse(a, b)).toThrow(ShapeError);
      expect(() => mse(a, b)).toThrow(/mse: input \[3\] and target \[2\]/);
      expect(() => huber(a, a, { delta: 0 })).toThrow(/huber: delta must be a finite number > 0, got 0/);
      // biome-ignore lint/suspicious/noExplicitAny: a bad value on purpose
      expect(() => l1(a, a, { reduction: 'avg' as any })).toThrow(/reduction must be/);
    });
  });

  it('leaks nothing inside tidy', () => {
    const before = memory().numTensors;
    tidy(() => {
      const a = tensor(x, { requiresGrad: true });
      huber(a, tensor(y)).backward();
      a.grad!.dispose();
    });
    expect(memory().numTensors).toBe(before);
  });
});
