/**
 * backprop against PyTorch: test/fixtures/pytorch.json holds PyTorch's parameters after each
 * optimizer step on a fixed quadratic and its learning rates over 50 scheduler steps (single
 * schedules, schedules stepped together, ChainedScheduler, SequentialLR), written by
 * scripts/generate-fixtures.py. These tests replay every case.
 */
import './setup.js';
import { readFileSync } from 'node:fs';
import { type Tensor, tensor, tidy } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import type { LRScheduler, LrLambda, Optimizer, OptimizerLike } from '../src/index.js';
import * as optim from '../src/index.js';

type Options = Record<string, unknown>;
interface OptimizerCase {
  optimizer: string;
  options: Options;
  params: number[][];
}
interface ScheduleCase {
  kind: 'single' | 'chain' | 'ChainedScheduler' | 'SequentialLR';
  schedulers: [string, Options][];
  milestones?: number[];
  steps: { lr: number[]; momentum?: number[] }[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/pytorch.json', import.meta.url), 'utf8')) as {
  torch: string;
  problem: { p0: number[]; a: number[]; b: number[]; shape: number[] };
  optimizers: OptimizerCase[];
  schedulers: ScheduleCase[];
};

/** float32 arithmetic in a different order than PyTorch's kernels: a few ulps per step. */
const PARAM_TOLERANCE = { abs: 1e-6, rel: 1e-5 };
/** Learning rates are float64 in both, from the same formulas. */
const LR_TOLERANCE = 1e-12;

const close = (got: number, want: number, abs: number, rel: number) =>
  Math.abs(got - want) <= abs + rel * Math.abs(want);

describe(`optimizers against PyTorch ${fixture.torch}`, () => {
  const { p0, a, b, shape } = fixture.problem;
  for (const c of fixture.optimizers) {
    it(`${c.optimizer} ${JSON.stringify(c.options)}`, () => {
      const p = tensor(p0, { shape, requiresGrad: true });
      const Ctor = (optim as unknown as Record<string, new (ps: Tensor[], o: Options) => Optimizer>)[
        c.optimizer
      ];
      const opt = new Ctor([p], c.options);
      const at = tensor(a, { shape });
      const bt = tensor(b, { shape });
      c.params.forEach((want, step) => {
        opt.zeroGrad();
        tidy(() => p.square().mul(at).mul(0.5).add(p.mul(bt)).sum().backward());
        opt.step();
        const got = Array.from(p.dataSync());
        got.forEach((v, i) => {
          if (!close(v, want[i], PARAM_TOLERANCE.abs, PARAM_TOLERANCE.rel))
            throw new Error(`step ${step + 1}, element ${i}: got ${v}, PyTorch ${want[i]}`);
        });
      });
      opt.zeroGrad();
      opt.dispose();
      for (const t of [p, at, bt]) t.dispose();
    });
  }
});

/** The functions the fixture's LambdaLR / MultiplicativeLR cases name (the generator has the same table). */
const LAMBDAS: Record<string, LrLambda> = {
  constant95: () => 0.95,
  inverse: (e) => 1 / (e + 1),
  halveEvery10: (e) => (e % 10 === 0 ? 0.5 : 1),
};

function build(opt: OptimizerLike, name: string, options: Options): LRScheduler {
  const { lambda, ...rest } = options;
  const ctor = (optim as unknown as Record<string, unknown>)[name] as new (...args: unknown[]) => LRScheduler;
  return lambda === undefined ? new ctor(opt, rest) : new ctor(opt, LAMBDAS[lambda as string]);
}

/** The fixture's optimizer: SGD with momentum, two groups (lr 0.1 and 0.05). */
function makeOptimizer() {
  const params = [tensor([0, 0], { requiresGrad: true }), tensor([0, 0], { requiresGrad: true })];
  return new optim.SGD([{ params: [params[0]] }, { params: [params[1]], lr: 0.05 }], {
    lr: 0.1,
    momentum: 0.9,
  });
}

/** Builds the case's schedules and returns the function that steps them once. */
function schedule(opt: OptimizerLike, c: ScheduleCase): () => void {
  const subs = c.schedulers.map(([name, options]) => build(opt, name, options));
  if (c.kind === 'single') return () => subs[0].step();
  if (c.kind === 'chain')
    return () => {
      for (const s of subs) s.step();
    };
  const s =
    c.kind === 'ChainedScheduler'
      ? new optim.ChainedScheduler(subs)
      : new optim.SequentialLR(opt, subs, c.milestones ?? []);
  return () => s.step();
}

const label = (c: ScheduleCase) =>
  `${c.kind === 'single' ? '' : `${c.kind} `}${c.schedulers.map(([n, o]) => `${n} ${JSON.stringify(o)}`).join(' + ')}${c.milestones ? ` at ${c.milestones}` : ''}`;

describe(`learning-rate schedules against PyTorch ${fixture.torch}`, () => {
  for (const c of fixture.schedulers) {
    it(label(c), () => {
      const opt = makeOptimizer();
      const step = schedule(opt, c);
      c.steps.forEach((want, t) => {
        if (t > 0) step();
        opt.paramGroups.forEach((g, i) => {
          if (!close(g.lr, want.lr[i], 0, LR_TOLERANCE))
            throw new Error(`step ${t}, group ${i}: lr ${g.lr}, PyTorch ${want.lr[i]}`);
          if (want.momentum && !close(g.momentum as number, want.momentum[i], 0, LR_TOLERANCE))
            throw new Error(`step ${t}, group ${i}: momentum ${g.momentum}, PyTorch ${want.momentum[i]}`);
        });
      });
      for (const g of opt.paramGroups) for (const p of g.params) p.dispose();
    });
  }

  it('ExponentialLR(0.95) stepped with StepLR(10, 0.5) composes: 0.1·0.95³⁹·0.5³ at step 39', () => {
    const opt = makeOptimizer();
    const exp = new optim.ExponentialLR(opt, { gamma: 0.95 });
    const step = new optim.StepLR(opt, { stepSize: 10, gamma: 0.5 });
    for (let t = 0; t < 39; t++) {
      exp.step();
      step.step();
    }
    expect(opt.paramGroups[0].lr).toBeCloseTo(0.1 * 0.95 ** 39 * 0.5 ** 3, 15);
    expect(opt.paramGroups[0].lr).toBeCloseTo(0.00169095, 8);
  });
});
