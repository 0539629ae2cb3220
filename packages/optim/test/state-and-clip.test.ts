import './setup.js';
import { ArgumentError, memory, ShapeError, type Tensor, tensor, tidy } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  clipGradNorm,
  clipGradNormAsync,
  clipGradValue,
  NAdam,
  type Optimizer,
  type OptimizerStateDict,
  RAdam,
  RMSprop,
  Rprop,
  SGD,
} from '../src/index.js';

const W0 = [0.5, -1.5, 2.0, 0.25, -0.75, 1.25];
const B0 = [0.1, -0.2, 0.3];
const X = [
  [1, 2],
  [-1, 0.5],
  [0.3, -2],
];

function model() {
  return [tensor(W0, { shape: [2, 3], requiresGrad: true }), tensor(B0, { requiresGrad: true })];
}

/** One training step of a tiny model: loss = mean((x·W + b)²), through real autograd. */
function train(opt: Optimizer, [w, b]: Tensor[]) {
  opt.zeroGrad();
  tidy(() => tensor(X).matmul(w).add(b).tanh().square().mean().backward());
  opt.step();
}

const makers: [string, (ps: Tensor[]) => Optimizer][] = [
  [
    'SGD',
    (ps) =>
      new SGD([{ params: [ps[0]] }, { params: [ps[1]], lr: 0.05 }], {
        lr: 0.1,
        momentum: 0.9,
        nesterov: true,
      }),
  ],
  ['Adam', (ps) => new Adam(ps, { lr: 0.05, amsgrad: true, weightDecay: 0.01 })],
  ['AdamW', (ps) => new AdamW(ps, { lr: 0.05 })],
  ['RMSprop', (ps) => new RMSprop(ps, { centered: true, momentum: 0.5 })],
  ['Adagrad', (ps) => new Adagrad(ps, { lrDecay: 0.1 })],
  ['NAdam', (ps) => new NAdam(ps, { lr: 0.05, weightDecay: 0.01 })],
  ['RAdam', (ps) => new RAdam(ps, { lr: 0.05, betas: [0.9, 0.9] })],
  ['Adamax', (ps) => new Adamax(ps, { lr: 0.05 })],
  ['Adadelta', (ps) => new Adadelta(ps)],
  ['Rprop', (ps) => new Rprop(ps, { lr: 0.05 })],
];

describe('stateDict / loadStateDict', () => {
  for (const [name, make] of makers) {
    it(`${name}: resuming from a JSON round trip continues bit-identically`, () => {
      const ps = model();
      const opt = make(ps);
      for (let i = 0; i < 3; i++) train(opt, ps);
      const saved: OptimizerStateDict = JSON.parse(JSON.stringify(opt.stateDict()));
      expect(saved.format).toBe('backprop.optimizer/1');
      expect(saved.optimizer).toBe(name);
      const savedParams = ps.map((p) => Float32Array.from(p.dataSync()));

      const qs = savedParams.map((v, i) => tensor(v, { shape: ps[i].shape, requiresGrad: true }));
      const resumed = make(qs);
      resumed.loadStateDict(saved);
      for (let i = 0; i < 4; i++) {
        train(opt, ps);
        train(resumed, qs);
      }
      ps.forEach((p, i) => {
        expect(Array.from(qs[i].dataSync())).toEqual(Array.from(p.dataSync()));
      });
      for (const o of [opt, resumed]) {
        o.zeroGrad();
        o.dispose();
      }
      for (const t of [...ps, ...qs]) t.dispose();
    });
  }

  it('typed arrays, group options restored, validation, no leaks', () => {
    const before = memory().numTensors;
    const ps = model();
    const opt = new Adam(ps, { lr: 0.1 });
    train(opt, ps);
    const sd = opt.stateDict({ typedArrays: true });
    const entry = sd.state['0'].expAvg as { data: Float32Array; shape: number[] };
    expect(entry.data).toBeInstanceOf(Float32Array);
    expect(entry.shape).toEqual([2, 3]);
    expect(sd.state['0'].step).toBe(1);
    expect(sd.paramGroups[0]).toMatchObject({ lr: 0.1, betas: [0.9, 0.999], params: [0, 1] });

    const other = new Adam(model(), { lr: 0.5 });
    other.loadStateDict(sd);
    expect(other.paramGroups[0].lr).toBe(0.1);
    // loading twice frees the first load's buffers
    const count = memory().numTensors;
    other.loadStateDict(sd);
    expect(memory().numTensors).toBe(count);

    expect(() => new SGD(model()).loadStateDict(sd)).toThrow(/for Adam, not SGD/);
    expect(() => new Adam([tensor([1], { requiresGrad: true })]).loadStateDict(sd)).toThrow(ArgumentError);
    const wrongShape = [
      tensor([1, 2, 3, 4, 5, 6], { requiresGrad: true }),
      tensor([1, 2, 3], { requiresGrad: true }),
    ];
    expect(() => new Adam(wrongShape).loadStateDict(sd)).toThrow(ShapeError);

    for (const o of [opt, other]) {
      o.zeroGrad();
      o.dispose();
    }
    for (const p of [...ps, ...other.paramGroups[0].params, ...wrongShape]) p.dispose();
    expect(memory().numTensors).toBeGreaterThanOrEqual(before);
  });
});

describe('gradient clipping', () => {
  function withGrads(grads: number[][]): Tensor[] {
    return grads.map((g) => {
      const p = tensor(new Array(g.length).fill(0), { requiresGrad: true });
      p.grad = tensor(g);
      return p;
    });
  }
  const G = [
    [3, -4, 1],
    [2, 0, -2, 1],
  ];
  const flat = G.flat();

  it('clipGradNorm: L2, L1, Lp and max norms; returns the total before clipping', () => {
    for (const normType of [2, 1, 3, Number.POSITIVE_INFINITY]) {
      const total =
        normType === Number.POSITIVE_INFINITY
          ? Math.max(...flat.map(Math.abs))
          : flat.reduce((s, v) => s + Math.abs(v) ** normType, 0) ** (1 / normType);
      for (const maxNorm of [1, 1000]) {
        const ps = withGrads(G);
        const got = clipGradNorm(ps, maxNorm, normType);
        expect(got).toBeCloseTo(total, 5);
        const coef = Math.min(maxNorm / (total + 1e-6), 1);
        ps.forEach((p, i) => {
          Array.from(p.grad!.dataSync()).forEach((v, j) => {
            expect(v).toBeCloseTo(G[i][j] * coef, 6);
          });
        });
        for (const p of ps) p.dispose();
      }
    }
  });

  it('clipGradNorm: skips parameters without gradients, errorIfNonfinite, no leaks', () => {
    const before = memory().numTensors;
    const ps = withGrads(G);
    const none = tensor([1, 2], { requiresGrad: true });
    expect(clipGradNorm([...ps, none], 1)).toBeCloseTo(Math.sqrt(flat.reduce((s, v) => s + v * v, 0)), 5);
    expect(none.grad).toBeNull();
    expect(clipGradNorm([none], 1)).toBe(0);
    const bad = withGrads([[Number.POSITIVE_INFINITY, 1]]);
    expect(() => clipGradNorm(bad, 1, 2, { errorIfNonfinite: true })).toThrow(/total norm of order 2/);
    expect(() => clipGradNorm(ps, -1)).toThrow(ArgumentError);
    for (const p of [...ps, none, ...bad]) p.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('clipGradNormAsync clips as clipGradNorm does and resolves to the same total', async () => {
    const before = memory().numTensors;
    for (const normType of [2, 1, Number.POSITIVE_INFINITY]) {
      const sync = withGrads(G);
      const expected = clipGradNorm(sync, 1, normType);
      const ps = withGrads(G);
      expect(await clipGradNormAsync(ps, 1, normType)).toBe(expected);
      expect(ps.map((p) => Array.from(p.grad!.dataSync()))).toEqual(
        sync.map((p) => Array.from(p.grad!.dataSync())),
      );
      for (const p of [...sync, ...ps]) p.dispose();
    }
    const bad = withGrads([[Number.POSITIVE_INFINITY, 1]]);
    await expect(clipGradNormAsync(bad, 1, 2, { errorIfNonfinite: true })).rejects.toThrow(
      /clipGradNormAsync: the total norm of order 2/,
    );
    expect(Array.from(bad[0].grad!.dataSync())).toEqual([Number.POSITIVE_INFINITY, 1]);
    await expect(clipGradNormAsync(bad, -1)).rejects.toThrow(ArgumentError);
    for (const p of bad) p.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('clipGradValue clamps in place', () => {
    const ps = withGrads(G);
    const g0 = ps[0].grad;
    clipGradValue(ps, 1.5);
    expect(ps[0].grad).toBe(g0);
    expect(ps.map((p) => Array.from(p.grad!.dataSync()))).toEqual([
      [1.5, -1.5, 1],
      [1.5, 0, -1.5, 1],
    ]);
    for (const p of ps) p.dispose();
  });
});
