import './setup.js';
import { tensor } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { bce, crossEntropy, nll } from '../src/index.js';

const i32 = (values: number[]) => tensor(Int32Array.from(values));
const logits = () =>
  tensor(
    [
      [1, 2, 0],
      [-1, 0, 1],
    ],
    { requiresGrad: true },
  );

describe('losses at PyTorch edge semantics', () => {
  it('crossEntropy and nll with every target ignored: NaN loss, zero gradients', () => {
    for (const loss of [
      (x: ReturnType<typeof logits>) => crossEntropy(x, i32([-100, -100])),
      (x: ReturnType<typeof logits>) => crossEntropy(x, i32([-100, -100]), { labelSmoothing: 0.1 }),
      (x: ReturnType<typeof logits>) => nll(x, i32([-100, -100])),
    ]) {
      const x = logits();
      const l = loss(x);
      expect(Number.isNaN(l.item())).toBe(true);
      l.backward();
      expect(Array.from(x.grad!.dataSync(), Math.abs)).toEqual([0, 0, 0, 0, 0, 0]);
    }
  });

  it('crossEntropy with some targets ignored still averages over the rest', () => {
    const x = logits();
    crossEntropy(x, i32([-100, 2])).backward();
    const g = Array.from(x.grad!.dataSync());
    expect(g.slice(0, 3).map(Math.abs)).toEqual([0, 0, 0]);
    expect(g[5]).toBeLessThan(0);
  });

  it('bce at probabilities 0 and 1 has the finite gradient (p − t) / max(p(1 − p), 1e−12)', () => {
    const p = tensor([0, 1, 0.25], { requiresGrad: true });
    bce(p, tensor([0, 1, 1]), { reduction: 'sum' }).backward();
    const g = Array.from(p.grad!.dataSync());
    expect(g[0]).toBe(0);
    expect(g[1]).toBe(0);
    expect(g[2]).toBeCloseTo(-4, 5);
  });
});
