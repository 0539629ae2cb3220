import { describe, expect, it } from 'vitest';
import './setup-backend.js';
import { minimalBackend } from '../../conformance/test/minimal-backend.js';
import {
  ArgumentError,
  BackendError,
  composite,
  grad,
  gradcheck,
  gradcheckAsync,
  memory,
  mul,
  noGrad,
  registerBackend,
  ShapeError,
  setBackend,
  type Tensor,
  tensor,
  tidy,
  valueAndGrad,
} from '../src/index.js';

const values = (t: { dataSync(): ArrayLike<number> }) => Array.from(t.dataSync());

describe('backward', () => {
  it('fills .grad of leaves by the chain rule', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const w = tensor([0.5, -1, 2], { requiresGrad: true });
    x.mul(w).exp().sum().backward();
    const e = [Math.exp(0.5), Math.exp(-2), Math.exp(6)];
    expect(values(x.grad!)).toEqual([0.5, -1, 2].map((w, i) => expect.closeTo(w * e[i], 3)));
    expect(values(w.grad!)).toEqual([1, 2, 3].map((x, i) => expect.closeTo(x * e[i], 3)));
  });

  it('accumulates when a tensor is used twice and across backward calls', () => {
    const x = tensor([3], { requiresGrad: true });
    x.mul(x).add(x).sum().backward();
    expect(values(x.grad!)).toEqual([7]);
    x.mul(2).sum().backward();
    expect(values(x.grad!)).toEqual([9]);
  });

  it('takes an explicit upstream gradient for non-scalar outputs', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.square();
    expect(() => y.backward()).toThrow(ShapeError);
    expect(() => y.backward()).toThrow(/implicitly only for one-element outputs, got shape \[2\]/);
    y.backward(tensor([1, 10]));
    expect(values(x.grad!)).toEqual([2, 40]);
  });

  it('frees the graph after backward unless retainGraph is set', () => {
    const x = tensor([2], { requiresGrad: true });
    const y = x.square().sum();
    y.backward(undefined, { retainGraph: true });
    y.backward(undefined, { retainGraph: false });
    expect(values(x.grad!)).toEqual([8]);
    expect(() => y.backward()).toThrow(/a second time/);
  });

  it('sums broadcast gradients back to the input shape', () => {
    const a = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true },
    );
    const b = tensor([10, 20, 30], { requiresGrad: true });
    a.mul(b).sum().backward();
    expect(values(b.grad!)).toEqual([5, 7, 9]);
    expect(values(a.grad!)).toEqual([10, 20, 30, 10, 20, 30]);
  });

  it('detach and noGrad cut the tape', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(x.detach().mul(2).requiresGrad).toBe(false);
    expect(noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    expect(() => x.detach().sum().backward()).toThrow(ArgumentError);
  });

  it('leaves no tensors behind in a tidy training step but keeps .grad', () => {
    const w = tensor(
      [
        [0.1, 0.2],
        [0.3, 0.4],
      ],
      { requiresGrad: true },
    );
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const step = () =>
      tidy(() => {
        w.grad?.dispose();
        w.grad = null;
        x.matmul(w).relu().logsumexp(1).mean().backward();
        w.assign(w.sub(w.grad!.mul(0.1)));
      });
    step();
    const baseline = memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(memory().numTensors).toBe(baseline);
    expect(w.grad!.isDisposed).toBe(false);
  });
});

describe('functional autograd', () => {
  it('grad and valueAndGrad return gradients without touching .grad', () => {
    const x = tensor([1, 2, 3]);
    const [g] = grad((t) => t.pow(3).sum())(x);
    expect(values(g)).toEqual([3, 12, 27]);
    const { value, grads } = valueAndGrad((a, b) => a.mul(b).sum())(x, tensor([4, 5, 6]));
    expect(value.item()).toBe(32);
    expect(values(grads[0])).toEqual([4, 5, 6]);
    expect(values(grads[1])).toEqual([1, 2, 3]);
    expect(x.grad).toBeNull();
  });

  it('gradcheck passes a correct gradient and catches a wrong one', () => {
    const x = tensor([
      [0.3, -0.7],
      [1.1, 0.2],
    ]);
    expect(gradcheck((t) => t.tanh().mul(t), [x]).passed).toBe(true);
    const wrongSquare = (t: Parameters<typeof mul>[0] & object) =>
      composite(
        'wrongSquare',
        [t],
        () => mul(t, t),
        (g) => [mul(g, t)],
      );
    const result = gradcheck((t) => wrongSquare(t), [x]);
    expect(result.passed).toBe(false);
    expect(result.mismatches).toHaveLength(4);
    expect(result.maxAbsError).toBeGreaterThan(0.1);
  });
});

describe('gradcheckAsync', () => {
  registerBackend(
    'async-reads',
    () => ({
      ...minimalBackend(),
      name: 'async-reads',
      syncReadIsCheap: false,
      readSync: () => {
        throw new BackendError('async-reads: use await t.data()');
      },
    }),
    0,
  );
  const wrongSquare = (t: Tensor) =>
    composite(
      'wrongSquare',
      [t],
      () => mul(t, t),
      (g) => [mul(g, t)],
    );
  const rows = [
    [0.3, -0.7, 2],
    [1.1, 0.2, -1.5],
  ];

  it("gives gradcheck's result where reads are asynchronous only, and frees what it made", async () => {
    const expected = gradcheck((t) => wrongSquare(t).sum(0), [tensor(rows)]);
    await setBackend('async-reads');
    try {
      const x = tensor(rows);
      const y = tensor([0.5, -2, 1]);
      expect(() => gradcheck((t) => t.tanh(), [x])).toThrow(BackendError);
      const before = memory().numTensors;
      const good = await gradcheckAsync((a, b) => a.tanh().mul(b), [x, y]);
      expect(good.passed).toBe(true);
      const bad = await gradcheckAsync((t) => wrongSquare(t).sum(0), [x]);
      expect(bad).toEqual(expected);
      expect(bad.mismatches.map((m) => m.index)).toEqual([0, 1, 2, 3, 4, 5]);
      // fn may return a tensor it did not make: gradcheckAsync must not free it.
      const identity = await gradcheckAsync((a, _b) => a, [x, y]);
      expect(identity.passed).toBe(true);
      expect(x.isDisposed).toBe(false);
      expect(memory().numTensors).toBe(before);
    } finally {
      await setBackend('minimal');
    }
  });
});

describe('backward restricted to inputs', () => {
  it('valueAndGrad leaves the .grad of captured leaves alone', () => {
    const w = tensor([2, 3], { requiresGrad: true });
    const [g] = grad((x) => x.mul(w).sum())(tensor([1, 1]));
    expect(values(g)).toEqual([2, 3]);
    expect(w.grad).toBeNull();
  });
});
