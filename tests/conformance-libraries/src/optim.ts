/**
 * Optimizers and gradient clipping of @backprop/optim on every backend: several steps on a
 * quadratic loss (gradients from the backend's autograd) against float64 simulations of PyTorch's
 * update rules written here; clipping against float64 norms.
 */

import { type CaseTable, input, type OpCase, reference, type Sample } from '@backprop/conformance';
import type { Tensor } from '@backprop/core';
import * as core from '@backprop/core';
import * as O from '@backprop/optim';

const { ref } = reference;
type RefTensor = reference.RefTensor;

/** Steps each optimizer sample takes. */
export const OPTIM_STEPS = 5;

type Options = Record<string, number | boolean | number[]>;
type State = Record<string, number | number[]>;
type Rule = (p: number[], g: number[], o: Options, s: State) => number[];

const zeros = (n: number) => new Array<number>(n).fill(0);
const num = (o: Options, key: string, fallback: number) => (o[key] as number | undefined) ?? fallback;
const flag = (o: Options, key: string) => (o[key] as boolean | undefined) ?? false;

/** PyTorch's SGD (torch.optim.SGD, single-tensor). */
const sgdRule: Rule = (p, grad, o, s) => {
  const lr = num(o, 'lr', 1e-3);
  const momentum = num(o, 'momentum', 0);
  const dampening = num(o, 'dampening', 0);
  const wd = num(o, 'weightDecay', 0);
  let g = grad.map((v) => (flag(o, 'maximize') ? -v : v));
  if (wd) g = g.map((v, i) => v + wd * p[i]);
  if (momentum) {
    s.buf =
      s.buf === undefined ? [...g] : (s.buf as number[]).map((b, i) => momentum * b + (1 - dampening) * g[i]);
    const buf = s.buf as number[];
    g = flag(o, 'nesterov') ? g.map((v, i) => v + momentum * buf[i]) : [...buf];
  }
  return p.map((v, i) => v - lr * g[i]);
};

/** PyTorch's Adam / AdamW. */
const adamRule =
  (decoupled: boolean): Rule =>
  (p, grad, o, s) => {
    const lr = num(o, 'lr', 1e-3);
    const [b1, b2] = (o.betas as number[] | undefined) ?? [0.9, 0.999];
    const eps = num(o, 'eps', 1e-8);
    const wd = num(o, 'weightDecay', decoupled ? 1e-2 : 0);
    let g = grad.map((v) => (flag(o, 'maximize') ? -v : v));
    let q = [...p];
    if (wd) {
      if (decoupled) q = q.map((v) => v * (1 - lr * wd));
      else g = g.map((v, i) => v + wd * p[i]);
    }
    const t = ((s.step as number | undefined) ?? 0) + 1;
    s.step = t;
    const m = ((s.m as number[] | undefined) ?? zeros(p.length)).map((v, i) => b1 * v + (1 - b1) * g[i]);
    const v = ((s.v as number[] | undefined) ?? zeros(p.length)).map(
      (x, i) => b2 * x + (1 - b2) * g[i] * g[i],
    );
    s.m = m;
    s.v = v;
    let second = v;
    if (flag(o, 'amsgrad')) {
      s.vmax = ((s.vmax as number[] | undefined) ?? zeros(p.length)).map((x, i) => Math.max(x, v[i]));
      second = s.vmax as number[];
    }
    const bc1 = 1 - b1 ** t;
    const bc2 = 1 - b2 ** t;
    return q.map((x, i) => x - (lr / bc1) * (m[i] / (Math.sqrt(second[i]) / Math.sqrt(bc2) + eps)));
  };

/** PyTorch's RMSprop. */
const rmspropRule: Rule = (p, grad, o, s) => {
  const lr = num(o, 'lr', 1e-2);
  const alpha = num(o, 'alpha', 0.99);
  const eps = num(o, 'eps', 1e-8);
  const wd = num(o, 'weightDecay', 0);
  const momentum = num(o, 'momentum', 0);
  let g = grad.map((v) => (flag(o, 'maximize') ? -v : v));
  if (wd) g = g.map((v, i) => v + wd * p[i]);
  const sq = ((s.sq as number[] | undefined) ?? zeros(p.length)).map(
    (v, i) => alpha * v + (1 - alpha) * g[i] * g[i],
  );
  s.sq = sq;
  let avg = sq.map((v) => Math.sqrt(v) + eps);
  if (flag(o, 'centered')) {
    const ga = ((s.ga as number[] | undefined) ?? zeros(p.length)).map(
      (v, i) => alpha * v + (1 - alpha) * g[i],
    );
    s.ga = ga;
    avg = sq.map((v, i) => Math.sqrt(v - ga[i] * ga[i]) + eps);
  }
  if (momentum > 0) {
    const buf = ((s.buf as number[] | undefined) ?? zeros(p.length)).map(
      (b, i) => momentum * b + g[i] / avg[i],
    );
    s.buf = buf;
    return p.map((v, i) => v - lr * buf[i]);
  }
  return p.map((v, i) => v - (lr * g[i]) / avg[i]);
};

/** PyTorch's Adagrad. */
const adagradRule: Rule = (p, grad, o, s) => {
  const lr = num(o, 'lr', 1e-2);
  const lrDecay = num(o, 'lrDecay', 0);
  const wd = num(o, 'weightDecay', 0);
  const eps = num(o, 'eps', 1e-10);
  let g = grad.map((v) => (flag(o, 'maximize') ? -v : v));
  const t = ((s.step as number | undefined) ?? 0) + 1;
  s.step = t;
  if (wd) g = g.map((v, i) => v + wd * p[i]);
  const clr = lr / (1 + (t - 1) * lrDecay);
  const sum = (
    (s.sum as number[] | undefined) ?? new Array<number>(p.length).fill(num(o, 'initialAccumulatorValue', 0))
  ).map((v, i) => v + g[i] * g[i]);
  s.sum = sum;
  return p.map((v, i) => v - (clr * g[i]) / (Math.sqrt(sum[i]) + eps));
};

/** L2 weight decay added to the gradient, or decoupled (the weights shrink first); returns [p, g]. */
function weightDecay(
  p: number[],
  g: number[],
  lr: number,
  wd: number,
  decoupled: boolean,
): [number[], number[]] {
  if (!wd) return [p, g];
  if (decoupled) return [p.map((v) => v * (1 - lr * wd)), g];
  return [p, g.map((v, i) => v + wd * p[i])];
}

/** Adam's moment updates, shared by the rules below: returns [m, v]. */
function moments(g: number[], s: State, b1: number, b2: number): [number[], number[]] {
  const m = ((s.m as number[] | undefined) ?? zeros(g.length)).map((v, i) => b1 * v + (1 - b1) * g[i]);
  const v = ((s.v as number[] | undefined) ?? zeros(g.length)).map((x, i) => b2 * x + (1 - b2) * g[i] * g[i]);
  s.m = m;
  s.v = v;
  return [m, v];
}

/** PyTorch's NAdam. */
const nadamRule: Rule = (p0, grad, o, s) => {
  const lr = num(o, 'lr', 2e-3);
  const [b1, b2] = (o.betas as number[] | undefined) ?? [0.9, 0.999];
  const eps = num(o, 'eps', 1e-8);
  const psi = num(o, 'momentumDecay', 4e-3);
  const g0 = grad.map((v) => (flag(o, 'maximize') ? -v : v));
  const [p, g] = weightDecay(p0, g0, lr, num(o, 'weightDecay', 0), flag(o, 'decoupledWeightDecay'));
  const t = ((s.step as number | undefined) ?? 0) + 1;
  s.step = t;
  const mu = b1 * (1 - 0.5 * 0.96 ** (t * psi));
  const muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi));
  const prod = ((s.prod as number | undefined) ?? 1) * mu;
  s.prod = prod;
  const [m, v] = moments(g, s, b1, b2);
  return p.map((x, i) => {
    const d = Math.sqrt(v[i] / (1 - b2 ** t)) + eps;
    return (
      x - ((lr * (1 - mu)) / (1 - prod)) * (g[i] / d) - ((lr * muNext) / (1 - prod * muNext)) * (m[i] / d)
    );
  });
};

/** PyTorch's RAdam. */
const radamRule: Rule = (p0, grad, o, s) => {
  const lr = num(o, 'lr', 1e-3);
  const [b1, b2] = (o.betas as number[] | undefined) ?? [0.9, 0.999];
  const eps = num(o, 'eps', 1e-8);
  const g0 = grad.map((v) => (flag(o, 'maximize') ? -v : v));
  const [p, g] = weightDecay(p0, g0, lr, num(o, 'weightDecay', 0), flag(o, 'decoupledWeightDecay'));
  const t = ((s.step as number | undefined) ?? 0) + 1;
  s.step = t;
  const [m, v] = moments(g, s, b1, b2);
  const bc2 = 1 - b2 ** t;
  const rhoInf = 2 / (1 - b2) - 1;
  const rho = rhoInf - (2 * t * b2 ** t) / bc2;
  const rect =
    rho > 5 ? Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho)) : 0;
  return p.map((x, i) => {
    const mHat = m[i] / (1 - b1 ** t);
    return rho > 5 ? x - lr * mHat * rect * (Math.sqrt(bc2) / (Math.sqrt(v[i]) + eps)) : x - lr * mHat;
  });
};

/** PyTorch's Adamax. */
const adamaxRule: Rule = (p, grad, o, s) => {
  const lr = num(o, 'lr', 2e-3);
  const [b1, b2] = (o.betas as number[] | undefined) ?? [0.9, 0.999];
  const eps = num(o, 'eps', 1e-8);
  const wd = num(o, 'weightDecay', 0);
  const g = grad.map((v, i) => (flag(o, 'maximize') ? -v : v) + wd * p[i]);
  const t = ((s.step as number | undefined) ?? 0) + 1;
  s.step = t;
  const m = ((s.m as number[] | undefined) ?? zeros(p.length)).map((v, i) => b1 * v + (1 - b1) * g[i]);
  const u = ((s.u as number[] | undefined) ?? zeros(p.length)).map((x, i) =>
    Math.max(b2 * x, Math.abs(g[i]) + eps),
  );
  s.m = m;
  s.u = u;
  return p.map((x, i) => x - (lr / (1 - b1 ** t)) * (m[i] / u[i]));
};

/** PyTorch's Adadelta. */
const adadeltaRule: Rule = (p, grad, o, s) => {
  const lr = num(o, 'lr', 1);
  const rho = num(o, 'rho', 0.9);
  const eps = num(o, 'eps', 1e-6);
  const wd = num(o, 'weightDecay', 0);
  const g = grad.map((v, i) => (flag(o, 'maximize') ? -v : v) + wd * p[i]);
  const sq = ((s.sq as number[] | undefined) ?? zeros(p.length)).map(
    (v, i) => rho * v + (1 - rho) * g[i] * g[i],
  );
  const acc = (s.acc as number[] | undefined) ?? zeros(p.length);
  const delta = g.map((v, i) => (Math.sqrt(acc[i] + eps) / Math.sqrt(sq[i] + eps)) * v);
  s.sq = sq;
  s.acc = acc.map((a, i) => rho * a + (1 - rho) * delta[i] * delta[i]);
  return p.map((x, i) => x - lr * delta[i]);
};

/** PyTorch's Rprop. */
const rpropRule: Rule = (p, grad, o, s) => {
  const lr = num(o, 'lr', 1e-2);
  const [etaMinus, etaPlus] = (o.etas as number[] | undefined) ?? [0.5, 1.2];
  const [min, max] = (o.stepSizes as number[] | undefined) ?? [1e-6, 50];
  const g = grad.map((v) => (flag(o, 'maximize') ? -v : v));
  const prev = (s.prev as number[] | undefined) ?? zeros(p.length);
  const size = (s.size as number[] | undefined) ?? new Array<number>(p.length).fill(lr);
  const agree = g.map((v, i) => Math.sign(v * prev[i]));
  s.size = size.map((z, i) =>
    Math.min(Math.max(z * (agree[i] > 0 ? etaPlus : agree[i] < 0 ? etaMinus : 1), min), max),
  );
  s.prev = g.map((v, i) => (agree[i] < 0 ? 0 : v));
  return p.map((x, i) => x - Math.sign((s.prev as number[])[i]) * (s.size as number[])[i]);
};

/** The quadratic loss Σ a·p²/2 + b·p (gradient a·p + b) every optimizer sample minimises. */
function lossOf(p: Tensor, a: Tensor, b: Tensor): Tensor {
  return core.sum(core.add(core.mul(core.mul(core.square(p), a), 0.5), core.mul(p, b)));
}

/** Runs `steps` optimizer steps from `p0`, gradients from autograd; returns the final parameter (state freed). */
function runOptimizer(make: (params: Tensor[]) => O.Optimizer, [p0, a, b]: Tensor[], steps: number): Tensor {
  const p = core.noGrad(() => core.clone(p0));
  p.requiresGrad = true;
  const opt = make([p]);
  try {
    for (let t = 0; t < steps; t++) {
      opt.zeroGrad();
      core.tidy(() => core.enableGrad(() => core.backward(lossOf(p, a, b))));
      opt.step();
    }
  } finally {
    opt.zeroGrad();
    opt.dispose();
  }
  p.requiresGrad = false;
  return p;
}

function simulate(rule: Rule, [p0, a, b]: RefTensor[], o: Options, steps: number): RefTensor {
  let p = Array.from(p0.data);
  const s: State = {};
  for (let t = 0; t < steps; t++)
    p = rule(
      p,
      p.map((v, i) => a.data[i] * v + b.data[i]),
      o,
      s,
    );
  return ref(p0.shape, p);
}

function optimizerSamples(optionSets: Options[]): Sample<Options>[] {
  return [
    ...optionSets.map((o) => ({
      name: JSON.stringify(o),
      inputs: [input([3, 4]), input([3, 4], { dist: 'positive' }), input([3, 4])],
      args: o,
    })),
    {
      name: `transposed parameter, ${JSON.stringify(optionSets[optionSets.length - 1])}`,
      inputs: [input([4, 3], { permute: [1, 0] }), input([4, 3], { dist: 'positive' }), input([4, 3])],
      args: optionSets[optionSets.length - 1],
    },
    {
      name: '40x33 parameter',
      inputs: [input([40, 33]), input([40, 33], { dist: 'positive' }), input([40, 33])],
      args: optionSets[optionSets.length - 1],
    },
  ];
}

function optimizerCase(
  name: string,
  make: (params: Tensor[], o: Options) => O.Optimizer,
  rule: Rule,
  optionSets: Options[],
): OpCase<Options> {
  return {
    name,
    family: 'optim',
    ops: [name],
    grad: false,
    samples: optimizerSamples(optionSets),
    run: (inputs, o) => runOptimizer((ps) => make(ps, o), inputs, OPTIM_STEPS),
    reference: (inputs, o) => simulate(rule, inputs, o, OPTIM_STEPS),
  };
}

interface ClipArgs {
  maxNorm: number;
  normType: number;
}

const clipGradNormCase: OpCase<ClipArgs> = {
  name: 'clipGradNorm',
  family: 'optim',
  ops: ['clipGradNorm'],
  grad: false,
  samples: [
    { name: 'L2, clipped', args: { maxNorm: 1, normType: 2 } },
    { name: 'L2, not clipped', args: { maxNorm: 100, normType: 2 } },
    { name: 'L1', args: { maxNorm: 2, normType: 1 } },
    { name: 'L3', args: { maxNorm: 0.5, normType: 3 } },
    { name: 'max norm', args: { maxNorm: 0.5, normType: Number.POSITIVE_INFINITY } },
  ].map((s) => ({ ...s, inputs: [input([3, 4]), input([5])] })),
  // Outputs: the total norm (as a scalar) and the clipped gradients.
  run: (grads, a) => {
    const params = grads.map((g) => {
      const p = core.zerosLike(g);
      p.grad = core.noGrad(() => core.clone(g));
      return p;
    });
    const total = O.clipGradNorm(params, a.maxNorm, a.normType);
    const outs = [core.tensor(total), ...params.map((p) => p.grad as Tensor)];
    for (const p of params) {
      p.grad = null;
      p.dispose();
    }
    return outs;
  },
  reference: (grads, a) => {
    const all = grads.flatMap((g) => Array.from(g.data));
    const total =
      a.normType === Number.POSITIVE_INFINITY
        ? Math.max(...all.map(Math.abs))
        : all.reduce((s, v) => s + Math.abs(v) ** a.normType, 0) ** (1 / a.normType);
    const coef = Math.min(a.maxNorm / (total + 1e-6), 1);
    return [
      ref([], [total]),
      ...grads.map((g) =>
        ref(
          g.shape,
          Array.from(g.data).map((v) => v * coef),
        ),
      ),
    ];
  },
};

const clipGradValueCase: OpCase<number> = {
  name: 'clipGradValue',
  family: 'optim',
  ops: ['clipGradValue'],
  grad: false,
  samples: [0.5, 1.5].map((v) => ({
    name: `clip ${v}`,
    inputs: [input([3, 4], { dist: 'nonzero' })],
    args: v,
  })),
  run: ([g], v) => {
    const p = core.zerosLike(g);
    p.grad = core.noGrad(() => core.clone(g));
    O.clipGradValue([p], v);
    const out = p.grad;
    p.grad = null;
    p.dispose();
    return out;
  },
  reference: ([g], v) =>
    ref(
      g.shape,
      Array.from(g.data).map((x) => Math.min(Math.max(x, -v), v)),
    ),
};

/** Every optimizer of @backprop/optim (several steps vs float64 PyTorch rules) and gradient clipping. */
export const optimCases: OpCase[] = [
  optimizerCase('SGD', (ps, o) => new O.SGD(ps, o), sgdRule, [
    { lr: 0.1 },
    { lr: 0.1, momentum: 0.9 },
    { lr: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01 },
    { lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.1 },
  ]),
  optimizerCase('Adam', (ps, o) => new O.Adam(ps, o), adamRule(false), [
    {},
    { lr: 0.05, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.1 },
    { lr: 0.1, amsgrad: true },
  ]),
  optimizerCase('AdamW', (ps, o) => new O.AdamW(ps, o), adamRule(true), [
    { lr: 0.1 },
    { lr: 0.05, weightDecay: 0.5, amsgrad: true },
  ]),
  optimizerCase('RMSprop', (ps, o) => new O.RMSprop(ps, o), rmspropRule, [
    {},
    { lr: 0.01, momentum: 0.9 },
    { lr: 0.005, centered: true, momentum: 0.5, weightDecay: 0.1 },
  ]),
  optimizerCase('Adagrad', (ps, o) => new O.Adagrad(ps, o), adagradRule, [
    { lr: 0.1 },
    { lr: 0.1, lrDecay: 0.05, weightDecay: 0.1, initialAccumulatorValue: 0.5 },
  ]),
  optimizerCase('NAdam', (ps, o) => new O.NAdam(ps, o), nadamRule, [
    { lr: 0.1 },
    { lr: 0.05, betas: [0.8, 0.99], weightDecay: 0.1, momentumDecay: 0.01 },
    { lr: 0.05, weightDecay: 0.1, decoupledWeightDecay: true },
  ]),
  optimizerCase('RAdam', (ps, o) => new O.RAdam(ps, o), radamRule, [
    { lr: 0.1 },
    // beta2 = 0.8: rho_inf = 9, so the rectified branch starts at step 3.
    { lr: 0.05, betas: [0.9, 0.8], weightDecay: 0.1 },
    { lr: 0.05, betas: [0.9, 0.8], weightDecay: 0.1, decoupledWeightDecay: true },
  ]),
  optimizerCase('Adamax', (ps, o) => new O.Adamax(ps, o), adamaxRule, [
    { lr: 0.1 },
    { lr: 0.05, betas: [0.8, 0.95], eps: 1e-4, weightDecay: 0.1 },
  ]),
  optimizerCase('Adadelta', (ps, o) => new O.Adadelta(ps, o), adadeltaRule, [
    {},
    { lr: 2, rho: 0.95, eps: 1e-4, weightDecay: 0.1 },
  ]),
  optimizerCase('Rprop', (ps, o) => new O.Rprop(ps, o), rpropRule, [
    { lr: 0.05 },
    { lr: 0.1, etas: [0.3, 1.5], stepSizes: [0.01, 0.8] },
  ]),
  clipGradNormCase,
  clipGradValueCase,
] as OpCase[];

/** The optimizer cases as a table for `describeBackendConformance`. */
export const OPTIM_TABLE: CaseTable = { name: 'optim', cases: optimCases };
