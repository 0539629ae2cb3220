import { describe, expect, it } from 'vitest';
import './setup-backend.js';
import {
  ArgumentError,
  allclose,
  allcloseAsync,
  cumprod,
  einsum,
  flip,
  hypot,
  median,
  memory,
  norm,
  ones,
  pad,
  ShapeError,
  scatter,
  sort,
  sum,
  type Tensor,
  tensor,
  tidy,
  topk,
  xlogy,
  zeros,
} from '../src/index.js';

const values = (t: Tensor) => Array.from(t.dataSync());
const gradOf = (x: Tensor, f: (x: Tensor) => Tensor) => {
  const leaf = x.requiresGrad_();
  f(leaf).backward();
  return values(leaf.grad as Tensor);
};

describe('the op library beyond the kernels', () => {
  it('binds the fluent methods and the .T / .mT getters', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(x.T.arraySync()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(ones([2, 3, 4]).T.shape).toEqual([4, 3, 2]);
    expect(ones([2, 3, 4]).mT.shape).toEqual([2, 4, 3]);
    expect(x.flip(1).cumsum(1).arraySync()).toEqual([
      [3, 5, 6],
      [6, 11, 15],
    ]);
    expect(x.roll(1).arraySync()).toEqual([
      [6, 1, 2],
      [3, 4, 5],
    ]);
    expect(x.isclose(x.add(1e-7)).all().item()).toBe(1);
  });

  it('allclose reads a boolean back; allcloseAsync works on every backend', async () => {
    const a = tensor([1, 2, Number.NaN]);
    expect(allclose(a, tensor([1, 2.000001, Number.NaN]))).toBe(false);
    expect(allclose(a, tensor([1, 2.000001, Number.NaN]), { equalNan: true })).toBe(true);
    expect(await allcloseAsync(tensor([1, 2]), tensor([1.1, 2]), { atol: 0.2 })).toBe(true);
    expect(a.allclose(a, { equalNan: true })).toBe(true);
  });

  it('cumprod gives exact gradients through zeros and negatives (no log)', () => {
    // d/dx Σ cumprod([2, 0, 3, −1]): [1 + 0 + 0 + 0, 2 + 6 − 6, 0, 0].
    expect(gradOf(tensor([2, 0, 3, -1]), (x) => sum(cumprod(x, 0)))).toEqual([1, 2, 0, 0]);
  });

  it('sort is stable and its gradient reaches the selected entries', () => {
    const { values: v, indices } = sort(tensor([1, 2, 1, 2, 0]), 0, { descending: true });
    expect(values(v)).toEqual([2, 2, 1, 1, 0]);
    expect(values(indices)).toEqual([1, 3, 0, 2, 4]);
    expect(gradOf(tensor([3, 1, 2]), (x) => sum(sort(x).values.mul(tensor([1, 10, 100]))))).toEqual([
      100, 1, 10,
    ]);
    expect(values(topk(tensor([1, 3, 3, 2]), 2).indices)).toEqual([1, 2]);
  });

  it('median takes the lower middle value and propagates NaN, as PyTorch', () => {
    expect(median(tensor([4, 1, 3, 2])).item()).toBe(2);
    expect(median(tensor([1, Number.NaN, 2])).item()).toBeNaN();
  });

  it('norm and hypot have zero gradients at zero (PyTorch gives 0 for norm)', () => {
    expect(gradOf(zeros([3]), (x) => norm(x))).toEqual([0, 0, 0]);
    expect(gradOf(zeros([2]), (x) => norm(x, 0.5))).toEqual([0, 0]);
    expect(gradOf(zeros([1]), (x) => hypot(x, 0))).toEqual([0]);
    expect(hypot(tensor([1e30, 3]), tensor([1e30, 4])).dataSync()[1]).toBe(5);
    expect(Math.abs(hypot(tensor([1e30]), tensor([1e30])).item() / 1.4142135e30 - 1)).toBeLessThan(1e-6);
  });

  it('xlogy is 0 where x is 0 and NaN where y is NaN, with PyTorch’s gradient for x', () => {
    const out = values(xlogy(tensor([0, 0, 0, 1]), tensor([0, Number.NaN, Number.POSITIVE_INFINITY, 0])));
    expect(out.slice(0, 3).map((v) => (Number.isNaN(v) ? 'NaN' : v))).toEqual([0, 'NaN', 0]);
    expect(out[3]).toBe(Number.NEGATIVE_INFINITY);
    const g = gradOf(tensor([0, 0]), (x) => sum(xlogy(x, tensor([0, 2]))));
    expect(g[0]).toBe(0);
    expect(g[1]).toBeCloseTo(Math.LN2, 6);
  });

  it('scatter overwrites targets and sends the source its gradient', () => {
    const src = tensor([[5, 7]]).requiresGrad_();
    const out = scatter(zeros([2, 3]), 1, tensor([[2, 0]], { dtype: 'int32' }), src);
    expect(out.arraySync()).toEqual([
      [7, 0, 5],
      [0, 0, 0],
    ]);
    sum(
      out.mul(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
    ).backward();
    expect(values(src.grad as Tensor)).toEqual([3, 1]);
  });

  it('composed ops free their intermediates when nothing needs a gradient', () => {
    const x = tensor([
      [3, 1, 2],
      [0, 5, 4],
    ]);
    const before = memory().numTensors;
    const sorted = sort(x, 1);
    const results = [
      sorted.values,
      sorted.indices,
      einsum('ij,kj->ik', x, x),
      pad(x, [1, 1], 'reflect'),
      cumprod(x, 1),
      norm(x, 3, 1),
    ];
    expect(memory().numTensors - before).toBe(results.length);
    tidy(() => {
      median(x, 1);
      flip(x, [0, 1]);
    });
    expect(memory().numTensors - before).toBe(results.length);
  });

  it('errors name the op, the values and what was expected', () => {
    expect(() => einsum('ij,jk->ik', zeros([2, 3]), zeros([4, 2]))).toThrow(
      new ShapeError("einsum: 'ij,jk->ik': subscript 'j' has sizes 3 and 4 in different operands"),
    );
    expect(() => einsum('ij->q', zeros([2, 2]))).toThrow(
      new ArgumentError("einsum: 'ij->q': output subscript 'q' appears in no input term"),
    );
    expect(() => pad(zeros([2, 3]), [3, 0], 'reflect')).toThrow(
      new ArgumentError('pad: reflect padding of 3 on axis 1 of size 3 is out of range (expected 0..2)'),
    );
    expect(() => topk(zeros([2, 3]), 4)).toThrow(
      new ArgumentError('topk: k must be an integer in 0..3 (the size of axis 1), got 4'),
    );
    expect(() => norm(zeros([3]), -2)).toThrow(ArgumentError);
  });
});
