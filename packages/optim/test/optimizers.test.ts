import './setup.js';
import { ArgumentError, memory, type Tensor, tensor, tidy } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  NAdam,
  type Optimizer,
  RAdam,
  RMSprop,
  Rprop,
  SGD,
} from '../src/index.js';
import { adagradRef, adamRef, type Opts, type RefState, rmspropRef, sgdRef } from './reference.js';

const P0 = [0.5, -1.5, 2.0, 0.25, -0.75, 1.25];
const A = [1.0, 0.5, 2.0, 0.1, 3.0, 1.5];
const B = [0.3, -0.2, 0.1, 0.4, -0.5, 0.05];

/** loss = Σ a·p²/2 + b·p, so grad = a·p + b. */
function lossOf(p: Tensor): Tensor {
  return p
    .square()
    .mul(tensor(A, { shape: [2, 3] }))
    .mul(0.5)
    .add(p.mul(tensor(B, { shape: [2, 3] })))
    .sum();
}

type Ref = (p: number[], g: number[], o: Opts, s: RefState) => number[];

function runBoth(make: (params: Tensor[]) => Optimizer, ref: Ref, o: Opts, steps = 6) {
  const p = tensor(P0, { shape: [2, 3], requiresGrad: true });
  const opt = make([p]);
  let q = [...P0];
  const s: RefState = {};
  for (let t = 0; t < steps; t++) {
    opt.zeroGrad();
    tidy(() => lossOf(p).backward());
    opt.step();
    q = ref(
      q,
      q.map((v, i) => A[i] * v + B[i]),
      o,
      s,
    );
    const got = Array.from(p.dataSync());
    got.forEach((v, i) => {
      if (!(Math.abs(v - q[i]) <= 1e-6 + 1e-5 * Math.abs(q[i]))) {
        throw new Error(`step ${t + 1}, element ${i}: got ${v}, float64 reference ${q[i]}`);
      }
    });
  }
  opt.zeroGrad();
  opt.dispose();
  p.dispose();
}

const cases: [string, (params: Tensor[], o: Opts) => Optimizer, Ref, Opts[]][] = [
  [
    'SGD',
    (ps, o) => new SGD(ps, o),
    sgdRef,
    [
      { lr: 0.1 },
      { lr: 0.1, momentum: 0.9 },
      { lr: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01 },
      { lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.1 },
      { lr: 0.1, maximize: true },
    ],
  ],
  [
    'Adam',
    (ps, o) => new Adam(ps, o),
    (p, g, o, s) => adamRef(p, g, o, s, false),
    [
      {},
      { lr: 0.1 },
      { lr: 0.05, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.1 },
      { lr: 0.1, amsgrad: true },
      { lr: 0.1, maximize: true },
    ],
  ],
  [
    'AdamW',
    (ps, o) => new AdamW(ps, o),
    (p, g, o, s) => adamRef(p, g, o, s, true),
    [{}, { lr: 0.1 }, { lr: 0.05, weightDecay: 0.5, amsgrad: true }],
  ],
  [
    'RMSprop',
    (ps, o) => new RMSprop(ps, o),
    rmspropRef,
    [
      {},
      { lr: 0.01, alpha: 0.9 },
      { lr: 0.01, momentum: 0.9 },
      { lr: 0.01, centered: true },
      { lr: 0.005, centered: true, momentum: 0.5, weightDecay: 0.1 },
    ],
  ],
  [
    'Adagrad',
    (ps, o) => new Adagrad(ps, o),
    adagradRef,
    [{}, { lr: 0.1 }, { lr: 0.1, lrDecay: 0.05, weightDecay: 0.1, initialAccumulatorValue: 0.5 }],
  ],
];

describe('optimizers against float64 references of PyTorch update rules', () => {
  for (const [name, make, ref, optionSets] of cases) {
    for (const o of optionSets) {
      it(`${name} ${JSON.stringify(o)}`, () => runBoth((ps) => make(ps, o), ref, o));
    }
  }
});

describe('optimizer mechanics', () => {
  it('PyTorch defaults', () => {
    const p = tensor([1], { requiresGrad: true });
    expect(new SGD([p]).paramGroups[0]).toMatchObject({
      lr: 1e-3,
      momentum: 0,
      dampening: 0,
      weightDecay: 0,
      nesterov: false,
    });
    expect(new Adam([p]).paramGroups[0]).toMatchObject({
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: false,
    });
    expect(new AdamW([p]).paramGroups[0]).toMatchObject({ lr: 1e-3, weightDecay: 1e-2 });
    expect(new RMSprop([p]).paramGroups[0]).toMatchObject({
      lr: 1e-2,
      alpha: 0.99,
      eps: 1e-8,
      momentum: 0,
      centered: false,
    });
    expect(new NAdam([p]).paramGroups[0]).toMatchObject({
      lr: 2e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      momentumDecay: 4e-3,
      decoupledWeightDecay: false,
    });
    expect(new RAdam([p]).paramGroups[0]).toMatchObject({
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      decoupledWeightDecay: false,
    });
    expect(new Adamax([p]).paramGroups[0]).toMatchObject({
      lr: 2e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
    });
    expect(new Adadelta([p]).paramGroups[0]).toMatchObject({ lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0 });
    expect(new Rprop([p]).paramGroups[0]).toMatchObject({
      lr: 1e-2,
      etas: [0.5, 1.2],
      stepSizes: [1e-6, 50],
    });
    expect(new Adagrad([p]).paramGroups[0]).toMatchObject({
      lr: 1e-2,
      lrDecay: 0,
      eps: 1e-10,
      initialAccumulatorValue: 0,
    });
    p.dispose();
  });

  it('param groups carry their own options; parameters without a gradient are skipped', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    const c = tensor([5], { requiresGrad: true });
    const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.5, momentum: 0.9 }, { params: [c] }], {
      lr: 0.1,
    });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.5, 0.1]);
    expect(opt.paramGroups[1].momentum).toBe(0.9);
    tidy(() => a.sum().add(b.square().sum()).backward());
    opt.step();
    expect(Array.from(a.dataSync())).toEqual([Math.fround(1 - 0.1), Math.fround(2 - 0.1)]);
    expect(Array.from(b.dataSync())).toEqual([3 - 0.5 * 6, 4 - 0.5 * 8]);
    expect(Array.from(c.dataSync())).toEqual([5]);
    expect(opt.state.has(c)).toBe(false);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
    opt.dispose();
    for (const t of [a, b, c]) t.dispose();
  });

  it('zeroGrad(false) keeps zero-filled gradients', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    tidy(() => a.sum().backward());
    const g = a.grad;
    new SGD([a]).zeroGrad(false);
    expect(a.grad).toBe(g);
    expect(Array.from(a.grad!.dataSync())).toEqual([0, 0]);
    a.dispose();
  });

  it('rejects bad options and parameters', () => {
    const p = tensor([1], { requiresGrad: true });
    expect(() => new SGD([p], { lr: -1 })).toThrow(ArgumentError);
    expect(() => new SGD([p], { nesterov: true })).toThrow(
      /SGD: nesterov requires momentum > 0 and dampening = 0, got momentum 0/,
    );
    expect(() => new Adam([p], { betas: [1, 0.9] })).toThrow(
      'Adam: betas[0] must be a number in [0, 1), got 1',
    );
    expect(() => new SGD([p, p])).toThrow(/more than one group/);
    expect(() => new SGD([])).toThrow(/empty parameter list/);
    expect(() => new Adam([tensor(Int32Array.from([1]))])).toThrow(/must be float32/);
    expect(() => new RMSprop([p], { alpha: -0.5 })).toThrow(ArgumentError);
    expect(() => new Adagrad([p], { lrDecay: -1 })).toThrow(ArgumentError);
    p.dispose();
  });

  it('holds a constant tensor count from step to step', () => {
    for (const make of [
      (ps: Tensor[]) => new SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.1 }),
      (ps: Tensor[]) => new Adam(ps, { amsgrad: true, weightDecay: 0.1 }),
      (ps: Tensor[]) => new AdamW(ps),
      (ps: Tensor[]) => new RMSprop(ps, { centered: true, momentum: 0.9 }),
      (ps: Tensor[]) => new Adagrad(ps, { weightDecay: 0.1 }),
      (ps: Tensor[]) => new NAdam(ps, { weightDecay: 0.1 }),
      (ps: Tensor[]) => new RAdam(ps, { betas: [0.9, 0.9], weightDecay: 0.1, decoupledWeightDecay: true }),
      (ps: Tensor[]) => new Adamax(ps, { weightDecay: 0.1 }),
      (ps: Tensor[]) => new Adadelta(ps, { weightDecay: 0.1 }),
      (ps: Tensor[]) => new Rprop(ps),
    ]) {
      const before = memory().numTensors;
      const p = tensor(P0, { shape: [2, 3], requiresGrad: true });
      const opt = make([p]);
      const counts: number[] = [];
      for (let t = 0; t < 5; t++) {
        opt.zeroGrad();
        tidy(() => lossOf(p).backward());
        opt.step();
        counts.push(memory().numTensors);
      }
      expect(new Set(counts).size).toBe(1);
      opt.zeroGrad();
      opt.dispose();
      p.dispose();
      expect(memory().numTensors).toBe(before);
    }
  });

  it('step(closure) runs the closure with gradients on and returns its value', () => {
    const p = tensor([2], { requiresGrad: true });
    const opt = new SGD([p], { lr: 0.25 });
    const loss = opt.step(() =>
      tidy(() => {
        opt.zeroGrad();
        const l = p.square().sum();
        l.backward();
        return l.item();
      }),
    );
    expect(loss).toBe(4);
    expect(p.item()).toBe(1);
    opt.zeroGrad();
    p.dispose();
  });
});
