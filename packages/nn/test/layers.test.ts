import { Generator, gradcheck, manualSeed, memory, type Tensor, tensor, tidy } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import './setup.js';
import {
  BatchNorm1d,
  Dropout,
  Embedding,
  F,
  Flatten,
  Identity,
  LayerNorm,
  Linear,
  Maxout,
  mlp,
  Sequential,
  Sigmoid,
} from '../src/index.js';

const values = (t: Tensor) => Array.from(t.dataSync());

describe('Linear', () => {
  it('computes x·Wᵀ + b for 1-D, 2-D and 3-D input', () => {
    tidy(() => {
      const lin = new Linear(3, 2);
      lin.weight.assign(
        tensor([
          [1, 2, 3],
          [-1, 0, 1],
        ]),
      );
      lin.bias!.assign(tensor([0.5, -0.5]));
      expect(lin.call(tensor([1, 1, 1])).arraySync()).toEqual([6.5, -0.5]);
      expect(
        lin
          .call(
            tensor([
              [1, 0, 0],
              [0, 1, 2],
            ]),
          )
          .arraySync(),
      ).toEqual([
        [1.5, -1.5],
        [8.5, 1.5],
      ]);
      const y3 = lin.call(tensor([[[1, 0, 0]], [[0, 1, 2]]]));
      expect(y3.shape).toEqual([2, 1, 2]);
      expect(y3.arraySync()).toEqual([[[1.5, -1.5]], [[8.5, 1.5]]]);
      expect(() => lin.call(tensor([[1, 2]]))).toThrow(/input \[1, 2\] does not fit weight \[2, 3\]/);
      lin.dispose();
    });
  });

  it('gradients for weight, bias and input agree with finite differences (2-D and 3-D input)', () => {
    const w = tensor(
      [
        [0.3, -0.2, 0.5],
        [0.1, 0.4, -0.6],
      ],
      { requiresGrad: true },
    );
    const b = tensor([0.1, -0.3], { requiresGrad: true });
    const x2 = tensor(
      [
        [1, -2, 0.5],
        [0.3, 0.7, -1],
      ],
      { requiresGrad: true },
    );
    const x3 = tensor([[[1, -2, 0.5]], [[0.3, 0.7, -1]]], { requiresGrad: true });
    expect(gradcheck((x, ww, bb) => F.linear(x, ww, bb), [x2, w, b]).passed).toBe(true);
    expect(gradcheck((x, ww, bb) => F.linear(x, ww, bb), [x3, w, b]).passed).toBe(true);
    for (const t of [w, b, x2, x3]) t.dispose();
  });

  it('PyTorch default init: weights and bias within ±1/√fan_in, spread over the range, deterministic per seed', () => {
    manualSeed(42);
    const a = new Linear(100, 50);
    manualSeed(42);
    const b = new Linear(100, 50);
    const c = new Linear(100, 50);
    const wa = values(a.weight);
    const bound = 1 / Math.sqrt(100);
    expect(wa.every((v) => Math.abs(v) <= bound)).toBe(true);
    expect(Math.max(...wa)).toBeGreaterThan(0.95 * bound);
    expect(Math.min(...wa)).toBeLessThan(-0.95 * bound);
    const mean = wa.reduce((s, v) => s + v, 0) / wa.length;
    const variance = wa.reduce((s, v) => s + (v - mean) ** 2, 0) / wa.length;
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(Math.abs(variance / (bound ** 2 / 3) - 1)).toBeLessThan(0.05); // U(−b, b) has variance b²/3
    expect(values(a.bias!).every((v) => Math.abs(v) <= bound)).toBe(true);
    expect(values(b.weight)).toEqual(wa);
    expect(values(b.bias!)).toEqual(values(a.bias!));
    expect(values(c.weight)).not.toEqual(wa);
    for (const m of [a, b, c]) m.dispose();
  });

  it('bias: false has no bias parameter', () => {
    const lin = new Linear(4, 3, { bias: false });
    expect(lin.namedParameters().map(([n]) => n)).toEqual(['weight']);
    expect(lin.toString()).toBe('Linear(inFeatures=4, outFeatures=3, bias=false)');
    lin.dispose();
  });
});

describe('Sequential and mlp', () => {
  it('mlp builds Linear → activation … → Linear with the requested pieces', () => {
    const net = mlp({
      sizes: [4, 8, 6, 3],
      activation: 'tanh',
      dropout: 0.1,
      norm: 'layer',
      outputActivation: 'sigmoid',
    });
    expect(net.children().map((m) => m.typeName)).toEqual([
      'Linear',
      'LayerNorm',
      'Tanh',
      'Dropout',
      'Linear',
      'LayerNorm',
      'Tanh',
      'Dropout',
      'Linear',
      'Sigmoid',
    ]);
    const custom = mlp({ sizes: [2, 2, 2], activation: () => new Sigmoid() });
    expect(custom.at(1)).toBeInstanceOf(Sigmoid);
    expect(custom.at(-1).typeName).toBe('Linear');
    expect(() => mlp({ sizes: [3] })).toThrow(/at least an input and an output/);
    // An unknown activation is refused even where no hidden layer would use it.
    expect(() => mlp({ sizes: [3, 2], activation: 'nope' as 'relu' })).toThrow(/mlp: activation must be/);
    expect(() => mlp({ sizes: [3, 2, 1], activation: 'nope' as 'relu' })).toThrow(
      /activation must be a function or one of relu, .* got "nope"/,
    );
    net.dispose();
    custom.dispose();
  });

  it('Sequential chains modules: the output equals composing them by hand', () => {
    tidy(() => {
      manualSeed(0);
      const net = mlp({ sizes: [3, 5, 2], activation: 'relu' });
      const x = tensor([
        [0.5, -1, 2],
        [1, 1, 1],
      ]);
      const l0 = net.at(0) as Linear;
      const l2 = net.at(2) as Linear;
      const byHand = x
        .matmul(l0.weight.transpose())
        .add(l0.bias!)
        .relu()
        .matmul(l2.weight.transpose())
        .add(l2.bias!);
      values(net.call(x)).forEach((v, i) => {
        expect(v).toBeCloseTo(values(byHand)[i], 5);
      });
      net.append(new Identity());
      expect(net.length).toBe(4);
      net.dispose();
    });
  });
});

describe('Dropout', () => {
  it('is seeded by the global generator, scales survivors by 1/(1−p), and is the identity in eval', () => {
    tidy(() => {
      const x = tensor(Array.from({ length: 1000 }, () => 1));
      const drop = new Dropout(0.3);
      manualSeed(5);
      const a = values(drop.call(x));
      manualSeed(5);
      const b = values(drop.call(x));
      expect(a).toEqual(b);
      const kept = a.filter((v) => v !== 0);
      expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
      expect(kept.length).toBeGreaterThan(650);
      expect(kept.length).toBeLessThan(750);
      drop.eval();
      expect(drop.call(x)).toBe(x);
      expect(F.dropout(x, 1).sum().item()).toBe(0);
      // A private generator gives the same masks for the same seed regardless of the global one.
      const g1 = new Dropout(0.5, { generator: new Generator(9) }).call(x);
      manualSeed(123);
      const g2 = new Dropout(0.5, { generator: new Generator(9) }).call(x);
      expect(values(g1)).toEqual(values(g2));
      expect(() => new Dropout(1.5)).toThrow(/p must be in \[0, 1\]/);
    });
  });

  it('the gradient is the mask scaled by 1/(1−p)', () => {
    tidy(() => {
      const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], { requiresGrad: true });
      manualSeed(11);
      const y = F.dropout(x, 0.5);
      y.sum().backward();
      const mask = values(y).map((v, i) => v / (i + 1));
      expect(values(x.grad!)).toEqual(mask);
      expect(mask.every((m) => m === 0 || m === 2)).toBe(true);
      x.grad!.dispose();
    });
  });
});

describe('LayerNorm', () => {
  it('normalises each row to mean 0, variance 1 (biased), then scales and shifts', () => {
    tidy(() => {
      const ln = new LayerNorm(4);
      const y = ln.call(
        tensor([
          [1, 2, 3, 4],
          [2, 2, 2, 6],
        ]),
      );
      const rows = y.arraySync() as number[][];
      const s = Math.sqrt(1.25 + 1e-5);
      [-1.5, -0.5, 0.5, 1.5].forEach((d, j) => {
        expect(rows[0][j]).toBeCloseTo(d / s, 5);
      });
      expect(rows[1][3]).toBeCloseTo(3 / Math.sqrt(3 + 1e-5), 5);
      ln.weight!.assign(tensor([1, 2, 1, 1]));
      ln.bias!.assign(tensor([0, 0, 0, 10]));
      const z = ln.call(tensor([[1, 2, 3, 4]])).arraySync() as number[][];
      expect(z[0][1]).toBeCloseTo((2 * -0.5) / s, 5);
      expect(z[0][3]).toBeCloseTo(10 + 1.5 / s, 5);
      const w = tensor([1.5, 0.5, -1], { requiresGrad: true });
      const b = tensor([0.1, 0.2, 0.3], { requiresGrad: true });
      const x = tensor(
        [
          [0.3, -1.2, 2],
          [1, 0.1, 0.4],
        ],
        { requiresGrad: true },
      );
      const result = gradcheck((xx, ww, bb) => F.layerNorm(xx, [3], ww, bb), [x, w, b]);
      expect(result.mismatches).toEqual([]);
      expect(() => ln.call(tensor([[1, 2, 3]]))).toThrow(/does not end with normalized shape \[4\]/);
      ln.dispose();
    });
  });

  it('normalises over several trailing dimensions', () => {
    tidy(() => {
      const ln = new LayerNorm([2, 2], { elementwiseAffine: false });
      expect(ln.parameters()).toHaveLength(0);
      const y = ln.call(
        tensor([
          [
            [1, 2],
            [3, 4],
          ],
        ]),
      );
      const s = Math.sqrt(1.25 + 1e-5);
      expect(values(y).map((v) => v * s)).toEqual([-1.5, -0.5, 0.5, 1.5].map((v) => expect.closeTo(v, 5)));
    });
  });
});

describe('BatchNorm1d', () => {
  it('train: batch statistics and running-stat updates match the hand computation; eval uses running stats', () => {
    tidy(() => {
      const bn = new BatchNorm1d(2, { momentum: 0.1 });
      const x = tensor([
        [1, 10],
        [3, 20],
        [5, 60],
      ]);
      // Column 0: mean 3, biased var 8/3, unbiased 4. Column 1: mean 30, biased var 1400/3, unbiased 700.
      const y = bn.call(x).arraySync() as number[][];
      expect(y[0][0]).toBeCloseTo(-2 / Math.sqrt(8 / 3 + 1e-5), 5);
      expect(y[2][1]).toBeCloseTo(30 / Math.sqrt(1400 / 3 + 1e-5), 4);
      expect(values(bn.runningMean!)).toEqual([expect.closeTo(0.3, 6), expect.closeTo(3, 5)]);
      expect(values(bn.runningVar!)).toEqual([expect.closeTo(0.9 + 0.4, 6), expect.closeTo(0.9 + 70, 4)]);
      expect(bn.numBatchesTracked!.item()).toBe(1);
      bn.call(x);
      // Second step: 0.9·0.3 + 0.1·3 = 0.57; 0.9·1.3 + 0.1·4 = 1.57.
      expect(values(bn.runningMean!)[0]).toBeCloseTo(0.57, 6);
      expect(values(bn.runningVar!)[0]).toBeCloseTo(1.57, 6);
      expect(bn.numBatchesTracked!.item()).toBe(2);
      bn.eval();
      const z = bn.call(tensor([[1, 10]])).arraySync() as number[][];
      expect(z[0][0]).toBeCloseTo((1 - 0.57) / Math.sqrt(1.57 + 1e-5), 5);
      // Eval does not update the statistics.
      expect(bn.numBatchesTracked!.item()).toBe(2);
      expect(values(bn.runningMean!)[0]).toBeCloseTo(0.57, 6);
      bn.dispose();
    });
  });

  it('handles [N, C, L] input, momentum null (cumulative average) and gradients', () => {
    tidy(() => {
      const bn = new BatchNorm1d(2, { momentum: null });
      const x1 = tensor([
        [
          [1, 3],
          [0, 0],
        ],
        [
          [5, 7],
          [2, 2],
        ],
      ]);
      bn.call(x1);
      // Channel 0 over N and L: values 1, 3, 5, 7: mean 4, unbiased var 20/3.
      expect(values(bn.runningMean!)).toEqual([expect.closeTo(4, 6), expect.closeTo(1, 6)]);
      expect(values(bn.runningVar!)[0]).toBeCloseTo(20 / 3, 5);
      const x2 = tensor([
        [
          [0, 0],
          [0, 0],
        ],
        [
          [0, 0],
          [0, 0],
        ],
      ]);
      bn.call(x2);
      expect(values(bn.runningMean!)[0]).toBeCloseTo(2, 6); // average of 4 and 0
      const w = tensor([1.5, -0.5], { requiresGrad: true });
      const x = tensor(
        [
          [
            [0.3, -1.2],
            [2, 0.5],
          ],
          [
            [1, 0.1],
            [0.4, -0.8],
          ],
          [
            [0.9, 1.1],
            [-0.3, 0.6],
          ],
        ],
        { requiresGrad: true },
      );
      const fresh = new BatchNorm1d(2);
      fresh.weight!.assign(w);
      const result = gradcheck((xx) => fresh.call(xx), [x]);
      expect(result.mismatches).toEqual([]);
      expect(() => fresh.call(tensor([[1, 2]]))).toThrow(/more than 1 value per channel/);
      expect(() => fresh.call(tensor([[1, 2, 3]]))).toThrow(
        /expected input \[N, 2\] or \[N, 2, L\], got \[1, 3\]/,
      );
      bn.resetRunningStats();
      expect(values(bn.runningVar!)).toEqual([1, 1]);
      bn.dispose();
      fresh.dispose();
    });
  });

  it('trackRunningStats: false always uses batch statistics and has no buffers', () => {
    tidy(() => {
      const bn = new BatchNorm1d(1, { trackRunningStats: false, affine: false });
      expect(bn.buffers()).toHaveLength(0);
      expect(bn.parameters()).toHaveLength(0);
      bn.eval();
      expect(values(bn.call(tensor([[1], [3]]))).map((v) => Math.round(v * 1000) / 1000)).toEqual([-1, 1]);
    });
  });
});

describe('Embedding', () => {
  it('looks up rows for int32 indices of any shape; gradients accumulate per row; padding gets none', () => {
    tidy(() => {
      manualSeed(0);
      const emb = new Embedding(5, 3, { paddingIdx: 0 });
      expect(values(emb.weight).slice(0, 3)).toEqual([0, 0, 0]);
      const rows = emb.weight.arraySync() as number[][];
      const idx = tensor(
        [
          [1, 4],
          [1, 0],
        ],
        { dtype: 'int32' },
      );
      const y = emb.call(idx);
      expect(y.shape).toEqual([2, 2, 3]);
      expect((y.arraySync() as number[][][])[0][1]).toEqual(rows[4]);
      y.sum().backward();
      expect(emb.weight.grad!.arraySync()).toEqual([
        [0, 0, 0],
        [2, 2, 2],
        [0, 0, 0],
        [0, 0, 0],
        [1, 1, 1],
      ]);
      expect(() => emb.call(tensor([1]))).toThrow(/indices must be int32/);
      expect(() => emb.call(tensor([5], { dtype: 'int32' }))).toThrow(/index 5 is out of range/);
      emb.dispose();
    });
  });
});

describe('Flatten, Identity', () => {
  it('flatten keeps the batch dimension by default', () => {
    tidy(() => {
      expect(
        new Flatten().call(
          tensor([
            [
              [1, 2],
              [3, 4],
            ],
          ]),
        ).shape,
      ).toEqual([1, 4]);
      expect(
        new Flatten(0).call(
          tensor([
            [
              [1, 2],
              [3, 4],
            ],
          ]),
        ).shape,
      ).toEqual([4]);
      const x = tensor([1]);
      expect(new Identity().call(x)).toBe(x);
      expect(new Sequential(new Flatten(), new Identity()).toString()).toContain(
        '(0): Flatten(startDim=1, endDim=-1)',
      );
    });
  });
});

describe('Maxout', () => {
  it('takes the max of k linear pieces per output', () => {
    tidy(() => {
      const m = new Maxout(2, 2, 3);
      expect(m.linear.weight.shape).toEqual([6, 2]);
      // Output 0 uses rows 0..2, output 1 rows 3..5.
      m.linear.weight.assign(
        tensor([
          [1, 0],
          [0, 1],
          [-1, -1],
          [2, 0],
          [0, 0],
          [0, -2],
        ]),
      );
      m.linear.bias!.assign(tensor([0, 0, 0, 0, 0.5, 0]));
      const y = m.call(
        tensor([
          [1, 2],
          [-3, -1],
        ]),
      );
      // x = (1, 2): pieces (1, 2, −3) → 2; (2, 0.5, −4) → 2. x = (−3, −1): (−3, −1, 4) → 4; (−6, 0.5, 2) → 2.
      expect(y.arraySync()).toEqual([
        [2, 2],
        [4, 2],
      ]);
      expect(new Maxout(4, 3, 2).call(tensor([[[1, 2, 3, 4]]])).shape).toEqual([1, 1, 3]);
      const x = tensor(
        [
          [0.3, -0.7],
          [1.1, 0.4],
        ],
        { requiresGrad: true },
      );
      const result = gradcheck((xx) => m.call(xx), [x]);
      expect(result.mismatches).toEqual([]);
      m.zeroGrad(); // gradcheck's backward also fills the .grad of the parameters it closes over
      m.call(x).sum().backward();
      // Only the winning piece of each output gets gradient. x = (0.3, −0.7): pieces (0.3, −0.7, 0.4) → row 2,
      // (0.6, 0.5, 1.4) → row 5. x = (1.1, 0.4): (1.1, 0.4, −1.5) → row 0, (2.2, 0.5, −0.8) → row 3.
      const g = m.linear.weight.grad!.arraySync() as number[][];
      const f = Math.fround;
      expect(g).toEqual([
        [f(1.1), f(0.4)],
        [0, 0],
        [f(0.3), f(-0.7)],
        [f(1.1), f(0.4)],
        [0, 0],
        [f(0.3), f(-0.7)],
      ]);
      expect(values(m.linear.bias!.grad!)).toEqual([1, 0, 1, 1, 0, 1]);
      m.zeroGrad();
      m.dispose();
    });
  });
});

describe('memory', () => {
  it('layers leave nothing behind inside tidy', () => {
    const net = mlp({ sizes: [4, 6, 3], norm: 'batch', dropout: 0.2 });
    const before = memory().numTensors;
    tidy(() => {
      net.call(
        tensor([
          [1, 2, 3, 4],
          [0, 1, 0, 1],
        ]),
      );
    });
    expect(memory().numTensors).toBe(before);
    net.dispose();
  });
});
