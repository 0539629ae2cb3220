import './setup.js';
import { ArgumentError, tensor } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import {
  Adam,
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  MultiplicativeLR,
  MultiStepLR,
  OneCycleLR,
  PolynomialLR,
  ReduceLROnPlateau,
  type SchedulerStateDict,
  SequentialLR,
  SGD,
  StepLR,
} from '../src/index.js';

const param = () => tensor([1, 2], { requiresGrad: true });

/** The lr after construction (epoch 0) and after each of `n` steps. */
function lrs(s: { step(): void; getLastLr(): number[] }, n: number, group = 0): number[] {
  const out = [s.getLastLr()[group]];
  for (let i = 0; i < n; i++) {
    s.step();
    out.push(s.getLastLr()[group]);
  }
  return out;
}

const close = (a: number[], b: number[]) => {
  a.forEach((v, i) => {
    expect(v).toBeCloseTo(b[i], 12);
  });
};
const range = (n: number) => Array.from({ length: n + 1 }, (_, i) => i);

describe('learning-rate schedules against their closed forms', () => {
  it('StepLR', () => {
    const opt = new SGD([param()], { lr: 0.5 });
    close(
      lrs(new StepLR(opt, { stepSize: 3, gamma: 0.5 }), 10),
      range(10).map((e) => 0.5 * 0.5 ** Math.floor(e / 3)),
    );
    expect(opt.paramGroups[0].lr).toBeCloseTo(0.5 * 0.5 ** 3, 12);
    expect(() => new StepLR(opt, { stepSize: 0 })).toThrow(ArgumentError);
  });

  it('MultiStepLR', () => {
    const opt = new SGD([param()], { lr: 1 });
    close(
      lrs(new MultiStepLR(opt, { milestones: [2, 5], gamma: 0.1 }), 7),
      [1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01],
    );
  });

  it('ExponentialLR, per group', () => {
    const opt = new SGD([
      { params: [param()], lr: 0.1 },
      { params: [param()], lr: 1 },
    ]);
    const s = new ExponentialLR(opt, { gamma: 0.9 });
    close(
      lrs(s, 5, 0),
      range(5).map((e) => 0.1 * 0.9 ** e),
    );
    expect(s.getLastLr()[1]).toBeCloseTo(0.9 ** 5, 12);
  });

  it('CosineAnnealingLR', () => {
    const opt = new SGD([param()], { lr: 0.1 });
    const f = (e: number) => 0.001 + ((0.1 - 0.001) * (1 + Math.cos((Math.PI * e) / 8))) / 2;
    close(lrs(new CosineAnnealingLR(opt, { tMax: 8, etaMin: 0.001 }), 12), range(12).map(f));
  });

  it('LinearLR warm-up (PyTorch defaults 1/3 → 1 over 5)', () => {
    const opt = new SGD([param()], { lr: 0.3 });
    close(
      lrs(new LinearLR(opt), 7),
      range(7).map((e) => 0.3 * (1 / 3 + (2 / 3) * (Math.min(e, 5) / 5))),
    );
  });

  it('LambdaLR', () => {
    const opt = new SGD([param()], { lr: 2 });
    close(lrs(new LambdaLR(opt, (e) => 1 / (e + 1)), 3), [2, 1, 2 / 3, 0.5]);
  });

  it('SequentialLR: linear warm-up then cosine', () => {
    const opt = new SGD([param()], { lr: 1 });
    const warm = new LinearLR(opt, { startFactor: 0.1, totalIters: 4 });
    const cos = new CosineAnnealingLR(opt, { tMax: 6 });
    const seq = new SequentialLR(opt, [warm, cos], [4]);
    const expected = range(10).map((e) =>
      e < 4 ? 0.1 + 0.9 * (e / 4) : (1 + Math.cos((Math.PI * (e - 4)) / 6)) / 2,
    );
    close(lrs(seq, 10), expected);
    expect(() => new SequentialLR(opt, [warm, cos], [])).toThrow(ArgumentError);
  });

  it("OneCycleLR: PyTorch's two phases, momentum cycling, and the end of the cycle", () => {
    const opt = new SGD([param()], { lr: 0.1, momentum: 0.9 });
    const total = 10;
    const s = new OneCycleLR(opt, { maxLr: 1, totalSteps: total });
    const initial = 1 / 25;
    const min = initial / 1e4;
    const cos = (a: number, b: number, pct: number) => b + ((a - b) / 2) * (Math.cos(Math.PI * pct) + 1);
    const end1 = 0.3 * total - 1;
    const lrAt = (e: number) =>
      e <= end1 ? cos(initial, 1, e / end1) : cos(1, min, (e - end1) / (total - 1 - end1));
    const momAt = (e: number) =>
      e <= end1 ? cos(0.95, 0.85, e / end1) : cos(0.85, 0.95, (e - end1) / (total - 1 - end1));
    const seen = [opt.paramGroups[0].momentum as number];
    const got = [s.getLastLr()[0]];
    for (let i = 1; i < total; i++) {
      s.step();
      got.push(s.getLastLr()[0]);
      seen.push(opt.paramGroups[0].momentum as number);
    }
    close(got, range(total - 1).map(lrAt));
    close(seen, range(total - 1).map(momAt));
    expect(got[0]).toBeCloseTo(0.04, 12);
    expect(got[total - 1]).toBeCloseTo(min, 12);
    s.step(); // step total is allowed (as in PyTorch), one more is not
    expect(() => s.step()).toThrow(/tried to step 11 times/);
  });

  it('OneCycleLR cycles Adam’s beta1, three phases, linear annealing', () => {
    const opt = new Adam([param()], { betas: [0.9, 0.99] });
    const s = new OneCycleLR(opt, {
      maxLr: 0.01,
      epochs: 2,
      stepsPerEpoch: 5,
      threePhase: true,
      annealStrategy: 'linear',
    });
    expect(opt.paramGroups[0].betas).toEqual([0.95, 0.99]);
    const initial = 0.01 / 25;
    // phase ends: 2, 4, 9
    const expected = [initial, (initial + 0.01) / 2, 0.01, (0.01 + initial) / 2, initial];
    close(lrs(s, 4), expected);
    expect(opt.paramGroups[0].betas).toEqual([0.95, 0.99]);
    expect(() => new OneCycleLR(new SGD([param()]), { maxLr: 1 })).toThrow(/totalSteps/);
  });

  it('ReduceLROnPlateau: patience, threshold, cooldown, minLr', () => {
    const opt = new SGD([param()], { lr: 1 });
    const s = new ReduceLROnPlateau(opt, { patience: 2, factor: 0.5, cooldown: 1, minLr: 0.2 });
    const metrics = [10, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9];
    const seen = metrics.map((m) => {
      s.step(m);
      return opt.paramGroups[0].lr;
    });
    // bad epochs 1, 2, 3 (> patience) at the 5th metric → 0.5; cooldown 1 eats one; then 3 more bad → 0.25; then 0.2 (minLr)
    expect(seen).toEqual(
      [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25].map((v, i) => (i >= 12 ? 0.2 : v)),
    );
    for (let i = 0; i < 8; i++) s.step(9);
    expect(opt.paramGroups[0].lr).toBe(0.2);
    const max = new ReduceLROnPlateau(new SGD([param()], { lr: 1 }), {
      mode: 'max',
      patience: 0,
      threshold: 0.1,
      thresholdMode: 'abs',
    });
    max.step(1);
    max.step(1.05); // not better by 0.1 → reduce
    expect(max.getLastLr()).toEqual([0.1]);
  });

  it('stateDict round trips (through JSON) give the same continuation', () => {
    const make = () => {
      const opt = new SGD([param()], { lr: 0.1, momentum: 0.9 });
      return { opt, s: new OneCycleLR(opt, { maxLr: 1, totalSteps: 20 }) };
    };
    const a = make();
    for (let i = 0; i < 7; i++) a.s.step();
    const b = make();
    b.opt.loadStateDict(JSON.parse(JSON.stringify(a.opt.stateDict())));
    b.s.loadStateDict(JSON.parse(JSON.stringify(a.s.stateDict())));
    for (let i = 0; i < 5; i++) {
      a.s.step();
      b.s.step();
      expect(b.opt.paramGroups[0].lr).toBe(a.opt.paramGroups[0].lr);
      expect(b.opt.paramGroups[0].momentum).toBe(a.opt.paramGroups[0].momentum);
    }
    const p1 = new ReduceLROnPlateau(new SGD([param()], { lr: 1 }));
    p1.step(3);
    const sd = JSON.parse(JSON.stringify(p1.stateDict()));
    const p2 = new ReduceLROnPlateau(new SGD([param()], { lr: 1 }));
    p2.loadStateDict(sd);
    expect(p2.best).toBe(3);
    const fresh = new ReduceLROnPlateau(new SGD([param()], { lr: 1 }));
    const sd2 = JSON.parse(JSON.stringify(fresh.stateDict()));
    expect(sd2.best).toBe('Infinity');
    p2.loadStateDict(sd2);
    expect(p2.best).toBe(Number.POSITIVE_INFINITY);
    expect(() => p2.loadStateDict(a.s.stateDict())).toThrow(/for OneCycleLR/);
    // Chainable schedules continue from the optimizer's lr: restore the optimizer's state too.
    const seq = () => {
      const opt = new SGD([param()], { lr: 1 });
      const s = new SequentialLR(
        opt,
        [new LinearLR(opt, { totalIters: 3 }), new ExponentialLR(opt, { gamma: 0.5 })],
        [3],
      );
      return { opt, s };
    };
    const s1 = seq();
    for (let i = 0; i < 4; i++) s1.s.step();
    const s2 = seq();
    s2.opt.loadStateDict(JSON.parse(JSON.stringify(s1.opt.stateDict())));
    s2.s.loadStateDict(JSON.parse(JSON.stringify(s1.s.stateDict())));
    for (let i = 0; i < 6; i++) {
      s1.s.step();
      s2.s.step();
      expect(s2.s.getLastLr()).toEqual(s1.s.getLastLr());
    }
  });
});

describe('chainable schedules: resuming and closed forms', () => {
  type Make = (opt: SGD) => {
    step(): void;
    stateDict(): SchedulerStateDict;
    loadStateDict(sd: SchedulerStateDict): void;
  };
  const makers: [string, Make][] = [
    [
      'ChainedScheduler(ExponentialLR, StepLR)',
      (o) =>
        new ChainedScheduler([
          new ExponentialLR(o, { gamma: 0.95 }),
          new StepLR(o, { stepSize: 3, gamma: 0.5 }),
        ]),
    ],
    ['CosineAnnealingLR', (o) => new CosineAnnealingLR(o, { tMax: 7, etaMin: 0.01 })],
    ['PolynomialLR', (o) => new PolynomialLR(o, { totalIters: 9, power: 2 })],
    ['MultiplicativeLR', (o) => new MultiplicativeLR(o, (e) => 1 - e / 100)],
    ['ConstantLR', (o) => new ConstantLR(o, { factor: 0.5, totalIters: 6 })],
    [
      'CosineAnnealingWarmRestarts',
      (o) => new CosineAnnealingWarmRestarts(o, { t0: 2, tMult: 2, etaMin: 0.001 }),
    ],
    ['CyclicLR', (o) => new CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 3, mode: 'triangular2' })],
  ];
  for (const [name, make] of makers) {
    it(`${name}: optimizer + scheduler state dicts through JSON continue bit-identically`, () => {
      const a = new SGD([param()], { lr: 0.1, momentum: 0.9 });
      const sa = make(a);
      for (let i = 0; i < 5; i++) sa.step();
      const saved = JSON.parse(JSON.stringify({ opt: a.stateDict(), s: sa.stateDict() }));
      const b = new SGD([param()], { lr: 0.1, momentum: 0.9 });
      const sb = make(b);
      b.loadStateDict(saved.opt);
      sb.loadStateDict(saved.s);
      for (let i = 0; i < 12; i++) {
        sa.step();
        sb.step();
        expect(b.paramGroups[0].lr).toBe(a.paramGroups[0].lr);
        expect(b.paramGroups[0].momentum).toBe(a.paramGroups[0].momentum);
      }
    });
  }

  it('built with lastEpoch after the optimizer state is loaded, a schedule keeps the loaded lr and continues exactly', () => {
    for (const build of [
      (o: SGD, last: number) => new CosineAnnealingLR(o, { tMax: 20, lastEpoch: last }),
      (o: SGD, last: number) => new MultiStepLR(o, { milestones: [4, 6], lastEpoch: last }),
      (o: SGD, last: number) => new ExponentialLR(o, { gamma: 0.9, lastEpoch: last }),
    ]) {
      const a = new SGD([param()], { lr: 0.1 });
      const sa = build(a, -1);
      for (let i = 0; i < 6; i++) sa.step();
      const b = new SGD([param()], { lr: 0.1 });
      b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())));
      const sb = build(b, sa.lastEpoch - 1);
      expect(sb.lastEpoch).toBe(sa.lastEpoch);
      expect(b.paramGroups[0].lr).toBe(a.paramGroups[0].lr);
      for (let i = 0; i < 10; i++) {
        sa.step();
        sb.step();
        expect(b.paramGroups[0].lr).toBe(a.paramGroups[0].lr);
      }
    }
  });

  it('stepTo(epoch) sets the closed form; a lone chained schedule stays on it', () => {
    const opt = new SGD([param()], { lr: 0.2 });
    const cos = new CosineAnnealingLR(opt, { tMax: 10, etaMin: 0.02 });
    for (let e = 1; e <= 30; e++) {
      cos.step();
      expect(opt.paramGroups[0].lr).toBeCloseTo(cos.lrAt(e, 0.2), 14);
    }
    cos.stepTo(5);
    expect(opt.paramGroups[0].lr).toBe(cos.lrAt(5, 0.2));
    const poly = new PolynomialLR(new SGD([param()], { lr: 1 }), { totalIters: 4 });
    poly.stepTo(2);
    expect(poly.getLastLr()).toEqual([0.5]);
  });

  it('ExponentialLR and StepLR stepping one optimizer multiply (the last stepped no longer wins)', () => {
    const opt = new SGD([param()], { lr: 0.1 });
    const exp = new ExponentialLR(opt, { gamma: 0.95 });
    const step = new StepLR(opt, { stepSize: 10, gamma: 0.5 });
    for (let e = 1; e <= 39; e++) {
      exp.step();
      step.step();
      expect(opt.paramGroups[0].lr).toBeCloseTo(0.1 * 0.95 ** e * 0.5 ** Math.floor(e / 10), 14);
    }
  });

  it('ReduceLROnPlateau reduces the lr a chainable schedule then keeps scaling', () => {
    const opt = new SGD([param()], { lr: 1 });
    const exp = new ExponentialLR(opt, { gamma: 0.5 });
    const plateau = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.1 });
    plateau.step(1);
    plateau.step(1); // no improvement → lr 0.1
    exp.step();
    expect(opt.paramGroups[0].lr).toBeCloseTo(0.05, 15);
  });
});
