/**
 * Bad hyper-parameters, parameters and state dicts are refused at once with backprop's typed
 * errors, and each message names the owner, the option, the value and what was expected.
 */
import './setup.js';
import {
  ArgumentError,
  type BackpropError,
  DTypeError,
  ShapeError,
  type Tensor,
  tensor,
  tidy,
} from '@backprop/core';
import { describe, expect, it } from 'vitest';
import * as optim from '../src/index.js';

const param = () => tensor([1, 2, 3], { requiresGrad: true });
type Ctor = new (ps: unknown, o?: unknown) => optim.Optimizer;
const ctor = (name: string) => (optim as unknown as Record<string, Ctor>)[name];

/** [optimizer, options, message]: each must throw ArgumentError with exactly that message. */
const badOptions: [string, Record<string, unknown>, string][] = [
  ['Adam', { lr: Number.POSITIVE_INFINITY }, 'Adam: lr must be a finite number ≥ 0, got Infinity'],
  ['Adam', { lr: Number.NaN }, 'Adam: lr must be a finite number ≥ 0, got NaN'],
  ['SGD', { lr: -0.1 }, 'SGD: lr must be a finite number ≥ 0, got -0.1'],
  ['SGD', { lr: '0.1' }, 'SGD: lr must be a finite number ≥ 0, got "0.1"'],
  ['SGD', { momentum: -0.9 }, 'SGD: momentum must be a finite number ≥ 0, got -0.9'],
  ['SGD', { dampening: 1.5 }, 'SGD: dampening must be a number in [0, 1], got 1.5'],
  ['SGD', { weightDecay: -1 }, 'SGD: weightDecay must be a finite number ≥ 0, got -1'],
  [
    'SGD',
    { nesterov: true },
    'SGD: nesterov requires momentum > 0 and dampening = 0, got momentum 0 and dampening 0',
  ],
  [
    'SGD',
    { nesterov: true, momentum: 0.9, dampening: 0.1 },
    'SGD: nesterov requires momentum > 0 and dampening = 0, got momentum 0.9 and dampening 0.1',
  ],
  ['SGD', { nesterov: 1 }, 'SGD: nesterov must be a boolean, got 1'],
  ['SGD', { maximize: 'yes' }, 'SGD: maximize must be a boolean, got "yes"'],
  ['Adam', { betas: [1, 0.999] }, 'Adam: betas[0] must be a number in [0, 1), got 1'],
  ['AdamW', { betas: [0.9, -0.1] }, 'AdamW: betas[1] must be a number in [0, 1), got -0.1'],
  ['Adam', { betas: [0.9] }, 'Adam: betas must be an array of 2 numbers, got [0.9]'],
  ['Adam', { betas: 0.9 }, 'Adam: betas must be an array of 2 numbers, got 0.9'],
  ['Adam', { eps: 0 }, 'Adam: eps must be a finite number > 0, got 0'],
  ['Adam', { eps: Number.POSITIVE_INFINITY }, 'Adam: eps must be a finite number > 0, got Infinity'],
  ['Adam', { amsgrad: 'true' }, 'Adam: amsgrad must be a boolean, got "true"'],
  [
    'Adam',
    { weight_decay: 0.1 },
    "Adam: unknown option 'weight_decay' (expected one of 'lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize')",
  ],
  ['RMSprop', { alpha: 1.5 }, 'RMSprop: alpha must be a number in [0, 1], got 1.5'],
  ['RMSprop', { eps: -1e-8 }, 'RMSprop: eps must be a finite number > 0, got -1e-8'],
  ['RMSprop', { centered: null }, 'RMSprop: centered must be a boolean, got null'],
  ['Adagrad', { lrDecay: -1 }, 'Adagrad: lrDecay must be a finite number ≥ 0, got -1'],
  [
    'Adagrad',
    { initialAccumulatorValue: -0.1 },
    'Adagrad: initialAccumulatorValue must be a finite number ≥ 0, got -0.1',
  ],
  ['NAdam', { momentumDecay: -1 }, 'NAdam: momentumDecay must be a finite number ≥ 0, got -1'],
  ['NAdam', { decoupledWeightDecay: 0 }, 'NAdam: decoupledWeightDecay must be a boolean, got 0'],
  ['NAdam', { betas: [0.9, 1] }, 'NAdam: betas[1] must be a number in [0, 1), got 1'],
  ['RAdam', { eps: 0 }, 'RAdam: eps must be a finite number > 0, got 0'],
  ['RAdam', { lr: Number.NEGATIVE_INFINITY }, 'RAdam: lr must be a finite number ≥ 0, got -Infinity'],
  ['Adamax', { betas: [Number.NaN, 0.9] }, 'Adamax: betas[0] must be a number in [0, 1), got NaN'],
  ['Adamax', { weightDecay: Number.NaN }, 'Adamax: weightDecay must be a finite number ≥ 0, got NaN'],
  ['Adadelta', { rho: 1.1 }, 'Adadelta: rho must be a number in [0, 1], got 1.1'],
  ['Adadelta', { lr: -1 }, 'Adadelta: lr must be a finite number ≥ 0, got -1'],
  ['Rprop', { etas: [1.2, 0.5] }, 'Rprop: etas must satisfy 0 < etas[0] < 1 < etas[1], got [1.2, 0.5]'],
  ['Rprop', { etas: [0, 1.2] }, 'Rprop: etas[0] must be a finite number > 0, got 0'],
  [
    'Rprop',
    { stepSizes: [1, 0.1] },
    'Rprop: stepSizes must satisfy stepSizes[0] ≤ stepSizes[1], got [1, 0.1]',
  ],
  ['Rprop', { stepSizes: [-1, 50] }, 'Rprop: stepSizes[0] must be a finite number ≥ 0, got -1'],
];

describe('optimizer options', () => {
  for (const [name, options, message] of badOptions) {
    it(`${name} ${JSON.stringify(options)}`, () => {
      const p = param();
      expect(() => new (ctor(name))([p], options)).toThrow(ArgumentError);
      expect(() => new (ctor(name))([p], options)).toThrow(message);
      p.dispose();
    });
  }

  it('a group option is checked like a default; undefined means the default', () => {
    const p = param();
    const q = param();
    expect(() => new optim.Adam([{ params: [p] }, { params: [q], lr: -1 }])).toThrow(
      'Adam: lr must be a finite number ≥ 0, got -1',
    );
    expect(new optim.SGD([p], { lr: undefined, momentum: 0.5 }).paramGroups[0].lr).toBe(1e-3);
    expect(() => new optim.SGD([{ params: [p], weight_decay: 0.1 } as never])).toThrow(
      "SGD: a parameter group: unknown option 'weight_decay' (expected one of 'lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize', 'initialLr')",
    );
    expect(new optim.SGD([{ params: [p], initialLr: 0.5 } as never]).paramGroups[0].initialLr).toBe(0.5);
    for (const t of [p, q]) t.dispose();
  });
});

describe('optimizer parameters', () => {
  const cases: [string, () => unknown, typeof BackpropError, string | RegExp][] = [
    ['an empty list', () => [], ArgumentError, 'SGD: got an empty parameter list'],
    [
      'a tensor, not a list',
      () => param(),
      ArgumentError,
      /SGD: params must be an array of tensors or of parameter groups/,
    ],
    [
      'null',
      () => null,
      ArgumentError,
      'SGD: params must be an array of tensors or of parameter groups, got null',
    ],
    [
      'a number in the list',
      () => [param(), 3],
      ArgumentError,
      'SGD: params[1] must be a Tensor (a parameter), got 3',
    ],
    [
      'a plain array in the list',
      () => [[1, 2]],
      ArgumentError,
      'SGD: params[0] must be a Tensor (a parameter), got [1, 2] (array)',
    ],
    [
      'an int32 tensor',
      () => [tensor(Int32Array.from([1]))],
      DTypeError,
      'SGD: parameters must be float32, got int32 at params[0]',
    ],
    [
      'a non-leaf',
      () => tidy(() => [param().mul(2)]),
      ArgumentError,
      /SGD: can only optimize leaf tensors .* at params\[0\]/,
    ],
    ['a group without params', () => [{ lr: 0.1 }], ArgumentError, /SGD: params\[0\] must be a Tensor/],
    [
      'a group with an empty list',
      () => [{ params: [] }],
      ArgumentError,
      'SGD: a parameter group has no parameters',
    ],
    [
      'a group with params not a list',
      () => [{ params: 5 }],
      ArgumentError,
      "SGD: a parameter group's params must be an array of tensors, got 5",
    ],
    [
      'a disposed tensor',
      () => {
        const p = param();
        p.dispose();
        return [p];
      },
      ArgumentError,
      /SGD: params\[0\] \(tensor \d+\) was disposed/,
    ],
  ];
  for (const [what, make, type, message] of cases) {
    it(what, () => {
      const params = make();
      expect(() => new optim.SGD(params as Tensor[])).toThrow(type);
      expect(() => new optim.SGD(params as Tensor[])).toThrow(message);
    });
  }

  it('a duplicated parameter and options that are not an object', () => {
    const p = param();
    expect(() => new optim.SGD([p, p])).toThrow('SGD: a parameter appears in more than one group (or twice)');
    expect(() => new optim.Adam([p], 0.1 as never)).toThrow('Adam: options must be an object, got 0.1');
    p.dispose();
  });

  it('step(closure) and clipping check their arguments', () => {
    const p = param();
    expect(() => new optim.SGD([p]).step(5 as never)).toThrow('SGD.step: closure must be a function, got 5');
    expect(() => optim.clipGradNorm(3 as never, 1)).toThrow(
      'clipGradNorm: params must be an array of tensors, got 3',
    );
    expect(() => optim.clipGradValue([p, 'w'] as never, 1)).toThrow(
      'clipGradValue: params[1] must be a Tensor, got "w"',
    );
    p.dispose();
  });

  it('parameters may come from any iterable', () => {
    const ps = [param(), param()];
    const opt = new optim.SGD(new Set(ps) as unknown as Tensor[], { lr: 0.1 });
    expect(opt.paramGroups[0].params).toEqual(ps);
    for (const p of ps) p.dispose();
  });
});

describe('optimizer loadStateDict with malformed state', () => {
  /** A real Adam state dict after one step on two parameters ([3] and [2, 2]). */
  function saved() {
    const ps = [param(), tensor([1, 2, 3, 4], { shape: [2, 2], requiresGrad: true })];
    const opt = new optim.Adam(ps, { lr: 0.1 });
    tidy(() => ps[0].sum().add(ps[1].square().sum()).backward());
    opt.step();
    const sd = JSON.parse(JSON.stringify(opt.stateDict()));
    opt.zeroGrad();
    opt.dispose();
    for (const p of ps) p.dispose();
    return sd;
  }
  const fresh = () => new optim.Adam([param(), tensor([1, 2, 3, 4], { shape: [2, 2], requiresGrad: true })]);

  // biome-ignore lint/suspicious/noExplicitAny: corrupting a state dict reaches into any of its fields
  const cases: [string, (sd: Record<string, any>) => unknown, typeof BackpropError, string | RegExp][] = [
    [
      'null',
      () => null,
      ArgumentError,
      "Adam.loadStateDict: expected a 'backprop.optimizer/1' state dict, got null",
    ],
    ['a string', () => 'x', ArgumentError, /expected a 'backprop.optimizer\/1' state dict, got "x"/],
    [
      'another format',
      (sd) => ({ ...sd, format: 'v0' }),
      ArgumentError,
      /expected a 'backprop.optimizer\/1' state dict/,
    ],
    [
      'another optimizer',
      (sd) => ({ ...sd, optimizer: 'SGD' }),
      ArgumentError,
      'Adam.loadStateDict: the state dict is for SGD, not Adam',
    ],
    [
      'paramGroups a string',
      (sd) => ({ ...sd, paramGroups: 'x' }),
      ArgumentError,
      'Adam.loadStateDict: paramGroups must be an array, got "x"',
    ],
    [
      'two groups',
      (sd) => ({ ...sd, paramGroups: [sd.paramGroups[0], sd.paramGroups[0]] }),
      ArgumentError,
      /2 parameter groups in the state dict, 1 here/,
    ],
    [
      'a group without params',
      (sd) => ({ ...sd, paramGroups: [{ lr: 0.1 }] }),
      ArgumentError,
      /paramGroups\[0\] must be an object with a params array/,
    ],
    [
      'a group of another size',
      (sd) => ({ ...sd, paramGroups: [{ ...sd.paramGroups[0], params: [0] }] }),
      ArgumentError,
      /group 0 has 1 parameters in the state dict, 2 here/,
    ],
    [
      'a parameter number out of range',
      (sd) => ({ ...sd, paramGroups: [{ ...sd.paramGroups[0], params: [0, 7] }] }),
      ArgumentError,
      /params must hold parameter numbers 0 to 1, got 7/,
    ],
    [
      'a parameter listed twice',
      (sd) => ({ ...sd, paramGroups: [{ ...sd.paramGroups[0], params: [1, 1] }] }),
      ArgumentError,
      /parameter 1 is listed twice/,
    ],
    [
      'a bad lr',
      (sd) => ({ ...sd, paramGroups: [{ ...sd.paramGroups[0], lr: 'fast' }] }),
      ArgumentError,
      'Adam.loadStateDict: paramGroups[0]: Adam: lr must be a finite number ≥ 0, got "fast"',
    ],
    [
      'bad betas',
      (sd) => ({ ...sd, paramGroups: [{ ...sd.paramGroups[0], betas: [0.9] }] }),
      ArgumentError,
      /paramGroups\[0\]: Adam: betas must be an array of 2 numbers/,
    ],
    [
      'state an array',
      (sd) => ({ ...sd, state: [] }),
      ArgumentError,
      'Adam.loadStateDict: state must be an object, got []',
    ],
    [
      'state for an unknown parameter',
      (sd) => ({ ...sd, state: { ...sd.state, 5: sd.state[0] } }),
      ArgumentError,
      /state for parameter '5', which no group lists/,
    ],
    [
      'an entry not an object',
      (sd) => ({ ...sd, state: { 0: 3 } }),
      ArgumentError,
      'Adam.loadStateDict: state of parameter 0 must be an object, got 3',
    ],
    [
      'an unknown entry',
      (sd) => ({ ...sd, state: { 0: { ...sd.state[0], momentumBuffer: sd.state[0].expAvg } } }),
      ArgumentError,
      /unknown entry 'momentumBuffer' \(Adam keeps 'step', 'expAvg', 'expAvgSq', 'maxExpAvgSq'\)/,
    ],
    [
      'a negative step',
      (sd) => ({ ...sd, state: { 0: { ...sd.state[0], step: -1 } } }),
      ArgumentError,
      "Adam.loadStateDict: state of parameter 0: 'step' must be an integer ≥ 0, got -1",
    ],
    [
      'a string step',
      (sd) => ({ ...sd, state: { 0: { ...sd.state[0], step: '1' } } }),
      ArgumentError,
      /'step' must be an integer ≥ 0, got "1"/,
    ],
    [
      'a buffer that is a number',
      (sd) => ({ ...sd, state: { 0: { ...sd.state[0], expAvg: 1 } } }),
      ArgumentError,
      /'expAvg' must be a serialized tensor or a number, got 1/,
    ],
    [
      'a buffer of another dtype',
      (sd) => ({
        ...sd,
        state: { 0: { ...sd.state[0], expAvg: { ...sd.state[0].expAvg, dtype: 'float64' } } },
      }),
      ArgumentError,
      /'expAvg': dtype must be 'float32', got "float64"/,
    ],
    [
      'a buffer with a bad shape',
      (sd) => ({ ...sd, state: { 0: { ...sd.state[0], expAvg: { ...sd.state[0].expAvg, shape: [-3] } } } }),
      ArgumentError,
      /'expAvg': shape must be an array of integers ≥ 0, got \[-3\]/,
    ],
    [
      'a buffer with strings as data',
      (sd) => ({
        ...sd,
        state: { 0: { ...sd.state[0], expAvg: { ...sd.state[0].expAvg, data: ['a', 'b', 'c'] } } },
      }),
      ArgumentError,
      /'expAvg': data must be an array of numbers or a Float32Array/,
    ],
    [
      'a buffer with too few values',
      (sd) => ({ ...sd, state: { 0: { ...sd.state[0], expAvg: { ...sd.state[0].expAvg, data: [1, 2] } } } }),
      ShapeError,
      /'expAvg': 2 values for shape \[3\] \(3 expected\)/,
    ],
    [
      'a buffer of another shape than the parameter',
      (sd) => ({ ...sd, state: { 0: { ...sd.state[1] } } }),
      ShapeError,
      /state of parameter 0: 'expAvg' is \[2, ?2\], the parameter \[3\]/,
    ],
  ];
  for (const [what, corrupt, type, message] of cases) {
    it(what, () => {
      const opt = fresh();
      const bad = corrupt(saved());
      expect(() => opt.loadStateDict(bad as optim.OptimizerStateDict)).toThrow(type);
      expect(() => opt.loadStateDict(bad as optim.OptimizerStateDict)).toThrow(message);
      // Nothing changed: the optimizer still has no state and its default lr.
      expect(opt.state.size).toBe(0);
      expect(opt.paramGroups[0].lr).toBe(1e-3);
      for (const p of opt.paramGroups[0].params) p.dispose();
    });
  }
});

describe('scheduler options', () => {
  const opt = () => new optim.SGD([param()], { lr: 0.1, momentum: 0.9 });
  const adamless = () => new optim.Adagrad([param()]);
  const cases: [string, () => unknown, string | RegExp][] = [
    [
      'StepLR stepSize 0',
      () => new optim.StepLR(opt(), { stepSize: 0 }),
      'StepLR: stepSize must be an integer ≥ 1, got 0',
    ],
    [
      'StepLR stepSize 2.5',
      () => new optim.StepLR(opt(), { stepSize: 2.5 }),
      'StepLR: stepSize must be an integer ≥ 1, got 2.5',
    ],
    [
      'StepLR gamma NaN',
      () => new optim.StepLR(opt(), { stepSize: 2, gamma: Number.NaN }),
      'StepLR: gamma must be a finite number ≥ 0, got NaN',
    ],
    [
      'StepLR without options',
      () => new optim.StepLR(opt(), undefined as never),
      'StepLR: options must be an object, got undefined',
    ],
    [
      'OneCycleLR without options',
      () => new optim.OneCycleLR(opt(), undefined as never),
      'OneCycleLR: options must be an object, got undefined',
    ],
    [
      'CyclicLR with options null',
      () => new optim.CyclicLR(opt(), null as never),
      'CyclicLR: options must be an object, got null',
    ],
    [
      'StepLR unknown option',
      () => new optim.StepLR(opt(), { stepSize: 2, step_size: 3 } as never),
      /StepLR: unknown option 'step_size'/,
    ],
    [
      'StepLR lastEpoch -2',
      () => new optim.StepLR(opt(), { stepSize: 2, lastEpoch: -2 }),
      'StepLR: lastEpoch must be an integer ≥ −1, got -2',
    ],
    [
      'StepLR resuming without initialLr',
      () => new optim.StepLR(opt(), { stepSize: 2, lastEpoch: 3 }),
      /StepLR: param group 0 has no initialLr/,
    ],
    [
      'StepLR on a non-optimizer',
      () => new optim.StepLR({} as never, { stepSize: 2 }),
      'StepLR: optimizer must be an Optimizer (with paramGroups), got an object',
    ],
    [
      'MultiStepLR milestones',
      () => new optim.MultiStepLR(opt(), { milestones: [3, -1] }),
      'MultiStepLR: milestones must be an array, each value an integer ≥ 0, got [3, -1] (array)',
    ],
    [
      'ExponentialLR gamma',
      () => new optim.ExponentialLR(opt(), { gamma: -0.5 }),
      'ExponentialLR: gamma must be a finite number ≥ 0, got -0.5',
    ],
    [
      'ConstantLR factor 0',
      () => new optim.ConstantLR(opt(), { factor: 0 }),
      'ConstantLR: factor must be a number in (0, 1], got 0',
    ],
    [
      'ConstantLR totalIters',
      () => new optim.ConstantLR(opt(), { totalIters: -1 }),
      'ConstantLR: totalIters must be an integer ≥ 0, got -1',
    ],
    [
      'LinearLR startFactor',
      () => new optim.LinearLR(opt(), { startFactor: 2 }),
      'LinearLR: startFactor must be a number in (0, 1], got 2',
    ],
    [
      'LinearLR endFactor',
      () => new optim.LinearLR(opt(), { endFactor: -1 }),
      'LinearLR: endFactor must be a number in [0, 1], got -1',
    ],
    [
      'LinearLR totalIters',
      () => new optim.LinearLR(opt(), { totalIters: 0 }),
      'LinearLR: totalIters must be an integer ≥ 1, got 0',
    ],
    [
      'PolynomialLR power',
      () => new optim.PolynomialLR(opt(), { power: 0 }),
      'PolynomialLR: power must be a finite number > 0, got 0',
    ],
    [
      'CosineAnnealingLR tMax',
      () => new optim.CosineAnnealingLR(opt(), { tMax: 0 }),
      'CosineAnnealingLR: tMax must be an integer ≥ 1, got 0',
    ],
    [
      'CosineAnnealingLR etaMin',
      () => new optim.CosineAnnealingLR(opt(), { tMax: 5, etaMin: -1 }),
      'CosineAnnealingLR: etaMin must be a finite number ≥ 0, got -1',
    ],
    [
      'WarmRestarts t0',
      () => new optim.CosineAnnealingWarmRestarts(opt(), { t0: 0 }),
      'CosineAnnealingWarmRestarts: t0 must be an integer ≥ 1, got 0',
    ],
    [
      'WarmRestarts tMult',
      () => new optim.CosineAnnealingWarmRestarts(opt(), { t0: 3, tMult: 1.5 }),
      'CosineAnnealingWarmRestarts: tMult must be an integer ≥ 1, got 1.5',
    ],
    [
      'LambdaLR not a function',
      () => new optim.LambdaLR(opt(), 0.5 as never),
      'LambdaLR: lrLambda must be a function, got 0.5',
    ],
    [
      'LambdaLR returning NaN',
      () => new optim.LambdaLR(opt(), () => Number.NaN),
      'LambdaLR: lrLambda(0) must be a finite number ≥ 0, got NaN',
    ],
    [
      'LambdaLR one function per group',
      () => new optim.LambdaLR(opt(), [() => 1, () => 1]),
      /LambdaLR: lrLambda must be a function or an array of 1 functions/,
    ],
    [
      'MultiplicativeLR not a function',
      () => new optim.MultiplicativeLR(opt(), 'x' as never),
      'MultiplicativeLR: lrLambda must be a function, got "x"',
    ],
    [
      'CyclicLR baseLr',
      () => new optim.CyclicLR(opt(), { baseLr: -1, maxLr: 1 }),
      /CyclicLR: baseLr must be a finite number ≥ 0, or an array of them, got -1/,
    ],
    [
      'CyclicLR maxLr per group',
      () => new optim.CyclicLR(opt(), { baseLr: 0.1, maxLr: [1, 2] }),
      'CyclicLR: maxLr must have one value per group (1), got 2',
    ],
    [
      'CyclicLR mode',
      () => new optim.CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, mode: 'sine' as never }),
      "CyclicLR: mode must be one of 'triangular', 'triangular2', 'exp_range', got \"sine\"",
    ],
    [
      'CyclicLR stepSizeUp',
      () => new optim.CyclicLR(opt(), { baseLr: 0.1, maxLr: 1, stepSizeUp: 0 }),
      'CyclicLR: stepSizeUp must be an integer ≥ 1, got 0',
    ],
    [
      'CyclicLR without momentum',
      () => new optim.CyclicLR(adamless(), { baseLr: 0.1, maxLr: 1 }),
      /CyclicLR: param group 0 has no momentum or betas to cycle/,
    ],
    [
      'OneCycleLR pctStart',
      () => new optim.OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, pctStart: 1.5 }),
      'OneCycleLR: pctStart must be a number in [0, 1], got 1.5',
    ],
    [
      'OneCycleLR totalSteps',
      () => new optim.OneCycleLR(opt(), { maxLr: 1, totalSteps: 0 }),
      'OneCycleLR: totalSteps must be an integer ≥ 1, got 0',
    ],
    [
      'OneCycleLR annealStrategy',
      () => new optim.OneCycleLR(opt(), { maxLr: 1, totalSteps: 9, annealStrategy: 'exp' as never }),
      /OneCycleLR: annealStrategy must be one of 'cos', 'linear', got "exp"/,
    ],
    [
      'OneCycleLR divFactor',
      () => new optim.OneCycleLR(opt(), { maxLr: 1, totalSteps: 9, divFactor: 0 }),
      'OneCycleLR: divFactor must be a finite number > 0, got 0',
    ],
    [
      'ReduceLROnPlateau factor',
      () => new optim.ReduceLROnPlateau(opt(), { factor: 1 }),
      'ReduceLROnPlateau: factor must be a number in [0, 1), got 1',
    ],
    [
      'ReduceLROnPlateau patience',
      () => new optim.ReduceLROnPlateau(opt(), { patience: -1 }),
      'ReduceLROnPlateau: patience must be an integer ≥ 0, got -1',
    ],
    [
      'ReduceLROnPlateau mode',
      () => new optim.ReduceLROnPlateau(opt(), { mode: 'up' as never }),
      "ReduceLROnPlateau: mode must be one of 'min', 'max', got \"up\"",
    ],
    [
      'ReduceLROnPlateau minLr',
      () => new optim.ReduceLROnPlateau(opt(), { minLr: [0, 0] }),
      'ReduceLROnPlateau: minLr must have one value per group (1), got 2',
    ],
    [
      'ReduceLROnPlateau step()',
      () => new optim.ReduceLROnPlateau(opt()).step('0.5' as never),
      'ReduceLROnPlateau: step(metric) needs a number, got "0.5"',
    ],
    [
      'SequentialLR milestones',
      () => {
        const o = opt();
        return new optim.SequentialLR(
          o,
          [new optim.ExponentialLR(o, { gamma: 0.9 }), new optim.ExponentialLR(o, { gamma: 0.5 })],
          [],
        );
      },
      'SequentialLR: expected 1 milestones for 2 schedulers, got 0',
    ],
    [
      'SequentialLR no schedulers',
      () => new optim.SequentialLR(opt(), [], []),
      'SequentialLR: schedulers must be a non-empty array of schedulers, got []',
    ],
    [
      'SequentialLR of another optimizer',
      () => new optim.SequentialLR(opt(), [new optim.ExponentialLR(opt(), { gamma: 0.9 })], []),
      'SequentialLR: schedulers[0] drives another optimizer; all must drive the same one',
    ],
    [
      'ChainedScheduler with ReduceLROnPlateau',
      () => {
        const o = opt();
        return new optim.ChainedScheduler([
          new optim.ExponentialLR(o, { gamma: 0.9 }),
          new optim.ReduceLROnPlateau(o) as never,
        ]);
      },
      /ChainedScheduler: schedulers\[1\] must be an LRScheduler \(ReduceLROnPlateau steps on a metric/,
    ],
    [
      'ChainedScheduler empty',
      () => new optim.ChainedScheduler([]),
      'ChainedScheduler: schedulers must be a non-empty array of LRSchedulers, got []',
    ],
  ];
  for (const [what, make, message] of cases) {
    it(what, () => {
      expect(make).toThrow(ArgumentError);
      expect(make).toThrow(message);
    });
  }
});

describe('scheduler loadStateDict with malformed state', () => {
  const make = () => {
    const o = new optim.SGD([param()], { lr: 0.1 });
    return new optim.CosineAnnealingWarmRestarts(o, { t0: 3 });
  };
  const sd = () => make().stateDict();
  const cases: [string, () => unknown, string | RegExp][] = [
    [
      'null',
      () => null,
      "CosineAnnealingWarmRestarts.loadStateDict: expected a 'backprop.scheduler/1' state dict, got null",
    ],
    [
      'another scheduler',
      () => ({ ...sd(), scheduler: 'StepLR' }),
      'CosineAnnealingWarmRestarts.loadStateDict: the state dict is for StepLR, not CosineAnnealingWarmRestarts',
    ],
    [
      'lastEpoch a string',
      () => ({ ...sd(), lastEpoch: '3' }),
      'CosineAnnealingWarmRestarts.loadStateDict: lastEpoch must be an integer ≥ −1, got "3"',
    ],
    [
      'baseLrs of another length',
      () => ({ ...sd(), baseLrs: [0.1, 0.2] }),
      /baseLrs must be an array of 1 numbers \(one per group\), got \[0.1, 0.2\] \(array\)/,
    ],
    [
      'tCur missing',
      () => ({ ...sd(), tCur: undefined }),
      'CosineAnnealingWarmRestarts.loadStateDict: tCur must be a finite number, got undefined',
    ],
  ];
  for (const [what, bad, message] of cases) {
    it(what, () => {
      const s = make();
      const before = s.stateDict();
      expect(() => s.loadStateDict(bad() as optim.SchedulerStateDict)).toThrow(ArgumentError);
      expect(() => s.loadStateDict(bad() as optim.SchedulerStateDict)).toThrow(message);
      expect(s.stateDict()).toEqual(before);
    });
  }

  it('ReduceLROnPlateau and composites check their fields too', () => {
    const o = new optim.SGD([param()], { lr: 0.1 });
    const plateau = new optim.ReduceLROnPlateau(o);
    expect(() => plateau.loadStateDict({ ...plateau.stateDict(), numBadEpochs: -1 })).toThrow(
      'ReduceLROnPlateau.loadStateDict: numBadEpochs must be an integer ≥ 0, got -1',
    );
    const chained = new optim.ChainedScheduler([new optim.ExponentialLR(o, { gamma: 0.9 })]);
    const two = new optim.ChainedScheduler([
      new optim.ExponentialLR(o, { gamma: 0.9 }),
      new optim.StepLR(o, { stepSize: 2 }),
    ]);
    two.step();
    const before = two.stateDict();
    const other = two.stateDict() as optim.SchedulerStateDict & { schedulers: Record<string, unknown>[] };
    other.schedulers = [
      { ...other.schedulers[0], lastEpoch: 7 },
      { ...other.schedulers[1], lastEpoch: 'x' },
    ];
    expect(() => two.loadStateDict(other)).toThrow(
      'StepLR.loadStateDict: lastEpoch must be an integer ≥ −1, got "x"',
    );
    expect(two.stateDict()).toEqual(before);
    expect(() => chained.loadStateDict({ ...chained.stateDict(), schedulers: [] })).toThrow(
      'ChainedScheduler.loadStateDict: schedulers must be an array of 1 scheduler state dicts, got []',
    );
  });
});
