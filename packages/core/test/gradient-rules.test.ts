import { describe, expect, it } from 'vitest';
import './setup-backend.js';
import { minimalBackend } from '../../conformance/test/minimal-backend.js';
import { ENGINE } from '../src/backend-entry.js';
import {
  celu,
  elu,
  gradcheck,
  hardSigmoid,
  hardSwish,
  hardtanh,
  leakyRelu,
  logsumexp,
  matmul,
  maximum,
  pow,
  prod,
  randn,
  readIfCheap,
  registerBackend,
  relu,
  relu6,
  selu,
  std,
  type Tensor,
  tensor,
  zeros,
} from '../src/index.js';

const values = (t: Tensor) => Array.from(t.dataSync());
const gradOf = (f: (x: Tensor) => Tensor, at: number[]): number[] => {
  const x = tensor(at, { requiresGrad: true });
  f(x).sum().backward();
  return values(x.grad!);
};
/** PyTorch 2.13's gradients at these points (torch.nn.functional, float32). */
const POINTS = [-3, 3, 0, 6, -1, 1];

describe('gradients at the kinks, as PyTorch', () => {
  it('hardtanh, relu6, hardSigmoid and hardSwish pass 0 at their boundary points', () => {
    expect(gradOf((x) => hardtanh(x), POINTS)).toEqual([0, 0, 1, 0, 0, 0]);
    expect(gradOf(relu6, POINTS)).toEqual([0, 1, 0, 0, 0, 1]);
    expect(gradOf(hardSigmoid, POINTS)).toEqual(
      [0, 0, 1 / 6, 0, 1 / 6, 1 / 6].map((v) => expect.closeTo(v, 6)),
    );
    expect(gradOf(hardSwish, POINTS)).toEqual([0, 1, 0.5, 1, 1 / 6, 5 / 6].map((v) => expect.closeTo(v, 6)));
  });

  it('leakyRelu, elu, selu and celu take the negative side at 0', () => {
    expect(gradOf((x) => leakyRelu(x), POINTS)).toEqual(
      [0.01, 1, 0.01, 1, 0.01, 1].map((v) => expect.closeTo(v, 6)),
    );
    const eluAt = [Math.exp(-3), 1, 1, 1, Math.exp(-1), 1];
    expect(gradOf((x) => elu(x), POINTS)).toEqual(eluAt.map((v) => expect.closeTo(v, 6)));
    expect(gradOf((x) => celu(x), POINTS)).toEqual(eluAt.map((v) => expect.closeTo(v, 6)));
    const selu0 = 1.0507009873554805 * 1.6732632423543772;
    expect(gradOf(selu, [0, -1])).toEqual([selu0, selu0 * Math.exp(-1)].map((v) => expect.closeTo(v, 5)));
  });

  it('relu has gradient 0 at 0', () => {
    expect(gradOf(relu, [-1, 0, 2])).toEqual([0, 0, 1]);
  });
});

describe('gradients without 0·∞', () => {
  it('std of a constant row has gradient 0, not NaN', () => {
    expect(gradOf((x) => std(x), [2, 2, 2])).toEqual([0, 0, 0]);
    const x = tensor(
      [
        [1, 1],
        [1, 3],
      ],
      { requiresGrad: true },
    );
    std(x, 1).sum().backward();
    expect(values(x.grad!)).toEqual([0, 0, -Math.SQRT1_2, Math.SQRT1_2].map((v) => expect.closeTo(v, 6)));
  });

  it('pow(x, 0) at x = 0 has gradient 0', () => {
    expect(gradOf((x) => pow(x, 0), [0, 2])).toEqual([0, 0]);
    expect(gradOf((x) => pow(x, 2), [0, 3])).toEqual([0, 6]);
  });

  it('prod with zeros has the product of the other elements as gradient', () => {
    expect(gradOf((x) => prod(x), [2, 0, 3])).toEqual([0, 6, 0]);
    expect(gradOf((x) => prod(x), [2, 0, 0])).toEqual([0, 0, 0]);
    expect(gradOf((x) => prod(x), [2, 4, 0.5])).toEqual([2, 1, 8]);
    const x = tensor(
      [
        [2, 0, 3],
        [1, 2, 3],
      ],
      { requiresGrad: true },
    );
    prod(x, 1).sum().backward();
    expect(values(x.grad!)).toEqual([0, 6, 0, 6, 3, 2]);
  });

  it('maximum sends the whole gradient of a tie to its first operand (documented; PyTorch halves it)', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([1, 3], { requiresGrad: true });
    maximum(a, b).sum().backward();
    expect(values(a.grad!)).toEqual([1, 0]);
    expect(values(b.grad!)).toEqual([0, 1]);
  });
});

describe('logsumexp at infinities and over nothing', () => {
  it('gives the infinity of a row whose maximum is infinite, and -inf over an empty axis', () => {
    const inf = Number.POSITIVE_INFINITY;
    const rows = tensor([
      [-inf, -inf],
      [1, inf],
      [-inf, 0],
    ]);
    expect(values(logsumexp(rows, 1))).toEqual([-inf, inf, 0]);
    expect(values(logsumexp(zeros([2, 0]), 1))).toEqual([-inf, -inf]);
    expect(logsumexp(zeros([2, 0]), 1, { keepDims: true }).shape).toEqual([2, 1]);
  });

  it('has gradient softmax(x)', () => {
    const g = gradOf((x) => logsumexp(x), [0, Math.log(3)]);
    expect(g).toEqual([0.25, 0.75].map((v) => expect.closeTo(v, 6)));
  });
});

describe('matmul reads operands in the kernel shape', () => {
  it('a 2-D product creates only its output tensor', () => {
    const a = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const b = tensor([[5], [6]]);
    const before = ENGINE.newTensorId();
    const out = matmul(a, b);
    expect(out.id - before).toBe(1);
    expect(ENGINE.newTensorId() - out.id).toBe(1);
    expect(values(out)).toEqual([17, 39]);
  });

  it('folded batches, vectors and broadcast batches have the right gradients', () => {
    const cases: [number[], number[]][] = [
      [
        [2, 3, 4],
        [4, 5],
      ],
      [[4], [2, 4, 3]],
      [[2, 3], [3]],
      [
        [1, 2, 3],
        [4, 3, 2],
      ],
      [[3], [3]],
    ];
    for (const [sa, sb] of cases) {
      const result = gradcheck((a, b) => matmul(a, b), [randn(sa), randn(sb)]);
      expect(result.passed, `${JSON.stringify(sa)} x ${JSON.stringify(sb)}`).toBe(true);
    }
  });
});

describe('readIfCheap', () => {
  it('reads only where the backend says a synchronous read is cheap', () => {
    registerBackend(
      'no-cheap-reads',
      () => ({ ...minimalBackend(), name: 'no-cheap-reads', syncReadIsCheap: false }),
      0,
    );
    const here = tensor([1, 2]);
    expect(Array.from(readIfCheap(here)!)).toEqual([1, 2]);
    const there = here.to('no-cheap-reads');
    expect(readIfCheap(there)).toBeNull();
    ENGINE.removeBackend('no-cheap-reads', true);
  });
});
