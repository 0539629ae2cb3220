import './setup.js';
import { ArgumentError, gradcheck, ShapeError, sigmoid, tensor, tidy } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { BCEWithLogitsLoss, bce, bceWithLogits, hinge, KLDivLoss, klDiv } from '../src/index.js';
import { expectClose } from './helpers.js';
import { bceRef, bceWithLogitsRef } from './reference.js';

const logits = [2.0, -1.0, 0.5, -3.0, 0.0, 4.0];
const targets = [1, 0, 1, 1, 0, 0.3];
const sig = (x: number) => 1 / (1 + Math.exp(-x));
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

describe('bce (probabilities)', () => {
  it('against float64, with weight and every reduction', () => {
    tidy(() => {
      const p = logits.map(sig);
      const input = tensor(p, { shape: [2, 3] });
      const target = tensor(targets, { shape: [2, 3] });
      const ref = p.map((v, i) => bceRef(v, targets[i]));
      expectClose(bce(input, target), mean(ref));
      expectClose(bce(input, target, { reduction: 'none' }), ref);
      const w = [0.5, 2, 1];
      expectClose(
        bce(input, target, { weight: tensor(w), reduction: 'sum' }),
        p.reduce((s, v, i) => s + bceRef(v, targets[i], w[i % 3]), 0),
      );
    });
  });

  it('clamps the logs at −100 like PyTorch: p = 0 or 1 gives a finite loss and gradient', () => {
    tidy(() => {
      const input = tensor([0, 1, 0, 1], { requiresGrad: true });
      const loss = bce(input, tensor([1, 0, 0, 1]), { reduction: 'none' });
      expectClose(loss, [100, 100, 0, 0]);
      loss.sum().backward();
      const g = Array.from(input.grad!.dataSync());
      expect(g.every(Number.isFinite)).toBe(true);
      // (p − t) / max(p(1 − p), 1e−12)
      expectClose(input.grad!, [-1e12, 1e12, 0, 0], 0, 1e-6);
    });
  });

  it('gradient (input and target) matches finite differences; checks its inputs', () => {
    tidy(() => {
      const input = tensor([0.2, 0.7, 0.5, 0.9]);
      const target = tensor([1, 0, 0.4, 1]);
      expect(
        gradcheck((a, b) => bce(a, b, { weight: tensor([1, 2, 3, 4]) }), [input, target]).mismatches,
      ).toEqual([]);
      expect(() => bce(tensor([0.5, 1.5]), tensor([1, 0]))).toThrow(ArgumentError);
      expect(() => bce(tensor([0.5, 0.5]), tensor([1, 0, 1]))).toThrow(ShapeError);
    });
  });
});

describe('bceWithLogits', () => {
  it('equals bce(sigmoid(x)) and the float64 reference, with weight and posWeight', () => {
    tidy(() => {
      const x = tensor(logits, { shape: [2, 3] });
      const y = tensor(targets, { shape: [2, 3] });
      expectClose(bceWithLogits(x, y), mean(logits.map((v, i) => bceWithLogitsRef(v, targets[i]))));
      expectClose(bceWithLogits(x, y), bce(sigmoid(x), y).item());
      const pw = [3, 0.5, 1];
      const w = [1, 2, 0.25];
      const ref = logits.map((v, i) => bceWithLogitsRef(v, targets[i], pw[i % 3], w[i % 3]));
      expectClose(bceWithLogits(x, y, { posWeight: tensor(pw), weight: tensor(w), reduction: 'none' }), ref);
      expectClose(
        new BCEWithLogitsLoss({ posWeight: tensor(pw), reduction: 'sum' }).forward(x, y),
        logits.reduce((s, v, i) => s + bceWithLogitsRef(v, targets[i], pw[i % 3]), 0),
      );
      // int32 0/1 labels are accepted
      expectClose(bceWithLogits(tensor([1, -1]), tensor(Int32Array.from([1, 0]))), bceWithLogitsRef(1, 1));
    });
  });

  it('is finite and exact for logits of ±1e4, gradient sigmoid(x) − t', () => {
    tidy(() => {
      const x = tensor([1e4, -1e4, 1e4, -1e4], { requiresGrad: true });
      const loss = bceWithLogits(x, tensor([1, 0, 0, 1]), { reduction: 'none' });
      expectClose(loss, [0, 0, 1e4, 1e4]);
      loss.sum().backward();
      expectClose(x.grad!, [0, 0, 1, -1]);
    });
  });

  it('gradients match finite differences (input and target)', () => {
    tidy(() => {
      const x = tensor(logits);
      const y = tensor([1, 0, 0.7, 1, 0.2, 0]);
      const opts = { posWeight: tensor([2, 2, 2, 0.5, 0.5, 0.5]), weight: tensor([1, 1, 2, 2, 3, 3]) };
      expect(gradcheck((a, b) => bceWithLogits(a, b, opts), [x, y]).mismatches).toEqual([]);
      expect(() => bceWithLogits(x, y, { posWeight: tensor([1, 2]) })).toThrow(
        /posWeight \[2\] does not broadcast/,
      );
    });
  });
});

describe('klDiv', () => {
  const p = [0.1, 0.2, 0.7, 0.0, 0.5, 0.5];
  const q = [0.3, 0.3, 0.4, 0.2, 0.2, 0.6];
  const logq = q.map(Math.log);
  const point = p.map((t, i) => (t === 0 ? 0 : t * (Math.log(t) - logq[i])));

  it('every reduction, batchmean, logTarget; 0·log 0 = 0', () => {
    tidy(() => {
      const input = tensor(logq, { shape: [2, 3] });
      const target = tensor(p, { shape: [2, 3] });
      expectClose(klDiv(input, target, { reduction: 'none' }), point);
      expectClose(klDiv(input, target), mean(point));
      expectClose(
        klDiv(input, target, { reduction: 'sum' }),
        point.reduce((a, b) => a + b, 0),
      );
      expectClose(
        new KLDivLoss({ reduction: 'batchmean' }).forward(input, target),
        point.reduce((a, b) => a + b, 0) / 2,
      );
      const logP = tensor([0.1, 0.2, 0.7, 0.3, 0.5, 0.2].map(Math.log), { shape: [2, 3] });
      const lp = [0.1, 0.2, 0.7, 0.3, 0.5, 0.2];
      expectClose(
        klDiv(input, logP, { logTarget: true, reduction: 'batchmean' }),
        lp.reduce((s, t, i) => s + t * (Math.log(t) - logq[i]), 0) / 2,
      );
    });
  });

  it('gradients are finite at t = 0 and match finite differences', () => {
    tidy(() => {
      const input = tensor(logq, { shape: [2, 3], requiresGrad: true });
      const target = tensor(p, { shape: [2, 3], requiresGrad: true });
      klDiv(input, target, { reduction: 'sum' }).backward();
      expectClose(
        input.grad!,
        p.map((t) => -t),
      );
      expect(Array.from(target.grad!.dataSync()).every(Number.isFinite)).toBe(true);
      const tPos = tensor([0.1, 0.2, 0.7, 0.3, 0.5, 0.2], { shape: [2, 3] });
      expect(
        gradcheck((a, b) => klDiv(a, b, { reduction: 'batchmean' }), [tensor(logq, { shape: [2, 3] }), tPos])
          .mismatches,
      ).toEqual([]);
      expect(
        gradcheck(
          (a, b) => klDiv(a, b, { logTarget: true }),
          [tensor(logq), tensor(logq.map((v) => v * 0.5))],
        ).mismatches,
      ).toEqual([]);
    });
  });
});

describe('hinge (binary SVM)', () => {
  it('max(0, margin − t·x) against float64; rejects 0/1 labels', () => {
    tidy(() => {
      const x = [0.5, -2, 1.5, -0.2];
      const t = [1, -1, -1, 1];
      const ref = x.map((v, i) => Math.max(0, 1 - t[i] * v));
      expectClose(hinge(tensor(x), tensor(t), { reduction: 'none' }), ref);
      expectClose(
        hinge(tensor(x), tensor(t), { margin: 2 }),
        mean(x.map((v, i) => Math.max(0, 2 - t[i] * v))),
      );
      expect(gradcheck((a) => hinge(a, tensor(t)), [tensor(x)]).mismatches).toEqual([]);
      expect(() => hinge(tensor(x), tensor([1, 0, 0, 1]))).toThrow(/must be -1 or \+1/);
    });
  });
});
