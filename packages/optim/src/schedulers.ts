import { ArgumentError } from '@backprop/core';
import type { ParamGroup } from './optimizer.js';

/** What a scheduler needs of an optimizer: its groups (any {@link Optimizer} fits). */
export interface OptimizerLike {
  readonly paramGroups: ParamGroup[];
}

/**
 * A scheduler's state, JSON-serialisable: `{ format: 'backprop.scheduler/1', scheduler, lastEpoch,
 * baseLrs, lastLr, ...its own fields }`. Non-finite numbers are stored as strings
 * (`'Infinity'`, `'-Infinity'`, `'NaN'`) so JSON keeps them.
 */
export interface SchedulerStateDict {
  format: 'backprop.scheduler/1';
  scheduler: string;
  [key: string]: unknown;
}

const FORMAT = 'backprop.scheduler/1';

function encode(v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (Array.isArray(v)) return v.map(encode);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  return v;
}

function decode(v: unknown): unknown {
  if (v === 'Infinity' || v === '-Infinity' || v === 'NaN') return Number(v);
  if (Array.isArray(v)) return v.map(decode);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
  return v;
}

function checkState(name: string, sd: SchedulerStateDict): void {
  if (!sd || sd.format !== FORMAT)
    throw new ArgumentError(`${name}.loadStateDict: not a '${FORMAT}' state dict`);
  if (sd.scheduler !== name)
    throw new ArgumentError(`${name}.loadStateDict: the state dict is for ${sd.scheduler}, not ${name}`);
}

/**
 * The base of the epoch-indexed schedules (PyTorch's `LRScheduler`): construction records each
 * group's `initialLr` (if it has none) as the base learning rate and performs the initial step, so
 * the optimizer's lr is the schedule's value at epoch 0; each {@link LRScheduler.step} advances one
 * epoch (or one batch, as you call it) and writes `lr = lrAt(epoch)` to every group.
 *
 * Learning rates come from closed forms of the epoch, so schedules do not chain multiplicatively as
 * PyTorch's can; combine them with {@link SequentialLR}.
 */
export abstract class LRScheduler {
  readonly optimizer: OptimizerLike;
  /** The schedule's name in state dicts. */
  readonly name: string;
  /** Steps taken; 0 after construction. */
  lastEpoch = -1;
  /** Each group's base learning rate (its `initialLr`). */
  baseLrs: number[] = [];
  protected lastLr: number[] = [];

  protected constructor(name: string, optimizer: OptimizerLike) {
    this.name = name;
    this.optimizer = optimizer;
  }

  /** Sets up base learning rates and takes the initial step; subclasses call it last in their constructor. */
  protected init(lastEpoch: number): void {
    const groups = this.optimizer.paramGroups;
    if (lastEpoch === -1) {
      for (const g of groups) if (g.initialLr === undefined) g.initialLr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g.initialLr === undefined) {
          throw new ArgumentError(
            `${this.name}: param group ${i} has no initialLr, needed when resuming with lastEpoch = ${lastEpoch}`,
          );
        }
      });
    }
    this.baseLrs = groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
    this.step();
  }

  /** The learning rate of group `group` at `epoch`, from its base learning rate. */
  abstract lrAt(epoch: number, baseLr: number, group: number): number;

  /** Advances one epoch and writes the new learning rates to the optimizer. */
  step(): void {
    this.lastEpoch += 1;
    this.apply(this.lastEpoch);
  }

  protected apply(epoch: number): void {
    const lrs = this.baseLrs.map((base, i) => this.lrAt(epoch, base, i));
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = lrs[i];
    });
    this.lastLr = lrs;
  }

  /** The learning rates the last step set, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Fields of the subclass to save (its configuration and counters). */
  protected extraState(): Record<string, unknown> {
    return {};
  }

  protected loadExtraState(_state: Record<string, unknown>): void {}

  /** The scheduler's state (see {@link SchedulerStateDict}). */
  stateDict(): SchedulerStateDict {
    return encode({
      format: FORMAT,
      scheduler: this.name,
      lastEpoch: this.lastEpoch,
      baseLrs: [...this.baseLrs],
      lastLr: [...this.lastLr],
      ...this.extraState(),
    }) as SchedulerStateDict;
  }

  /** Restores {@link LRScheduler.stateDict}; the optimizer's lr comes back with the optimizer's own state dict. */
  loadStateDict(sd: SchedulerStateDict): void {
    checkState(this.name, sd);
    const s = decode(sd) as Record<string, unknown>;
    this.lastEpoch = s.lastEpoch as number;
    this.baseLrs = [...(s.baseLrs as number[])];
    this.lastLr = [...(s.lastLr as number[])];
    this.loadExtraState(s);
  }
}

export interface StepLROptions {
  /** Decay every `stepSize` epochs. */
  stepSize: number;
  /** Multiplicative factor (default 0.1). */
  gamma?: number;
  lastEpoch?: number;
}

/** lr = base · gamma^⌊epoch / stepSize⌋ (PyTorch's `StepLR`). */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;
  constructor(optimizer: OptimizerLike, options: StepLROptions) {
    super('StepLR', optimizer);
    if (!(Number.isInteger(options.stepSize) && options.stepSize > 0)) {
      throw new ArgumentError(`StepLR: stepSize must be a positive integer, got ${options.stepSize}`);
    }
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    this.init(options.lastEpoch ?? -1);
  }
  lrAt(epoch: number, base: number): number {
    return base * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}

export interface MultiStepLROptions {
  /** Increasing epochs at which to decay. */
  milestones: number[];
  /** Multiplicative factor (default 0.1). */
  gamma?: number;
  lastEpoch?: number;
}

/** lr = base · gamma^(number of milestones ≤ epoch) (PyTorch's `MultiStepLR`). */
export class MultiStepLR extends LRScheduler {
  readonly milestones: number[];
  readonly gamma: number;
  constructor(optimizer: OptimizerLike, options: MultiStepLROptions) {
    super('MultiStepLR', optimizer);
    this.milestones = [...options.milestones].sort((a, b) => a - b);
    this.gamma = options.gamma ?? 0.1;
    this.init(options.lastEpoch ?? -1);
  }
  lrAt(epoch: number, base: number): number {
    return base * this.gamma ** this.milestones.filter((m) => m <= epoch).length;
  }
}

export interface ExponentialLROptions {
  /** Multiplicative factor per epoch. */
  gamma: number;
  lastEpoch?: number;
}

/** lr = base · gamma^epoch (PyTorch's `ExponentialLR`). */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;
  constructor(optimizer: OptimizerLike, options: ExponentialLROptions) {
    super('ExponentialLR', optimizer);
    this.gamma = options.gamma;
    this.init(options.lastEpoch ?? -1);
  }
  lrAt(epoch: number, base: number): number {
    return base * this.gamma ** epoch;
  }
}

export interface CosineAnnealingLROptions {
  /** Epochs of the half cosine. */
  tMax: number;
  /** Minimum learning rate (default 0). */
  etaMin?: number;
  lastEpoch?: number;
}

/**
 * lr = etaMin + (base − etaMin)·(1 + cos(π·epoch / tMax)) / 2 (PyTorch's `CosineAnnealingLR`, its
 * closed form; past tMax the cosine continues, rising again).
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;
  constructor(optimizer: OptimizerLike, options: CosineAnnealingLROptions) {
    super('CosineAnnealingLR', optimizer);
    if (!(options.tMax > 0))
      throw new ArgumentError(`CosineAnnealingLR: tMax must be > 0, got ${options.tMax}`);
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    this.init(options.lastEpoch ?? -1);
  }
  lrAt(epoch: number, base: number): number {
    return this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }
}

export interface LinearLROptions {
  /** Factor at epoch 0 (default 1/3). */
  startFactor?: number;
  /** Factor from `totalIters` on (default 1). */
  endFactor?: number;
  /** Epochs to go from startFactor to endFactor (default 5). */
  totalIters?: number;
  lastEpoch?: number;
}

/**
 * Linear warm-up (or decay): lr = base · (startFactor + (endFactor − startFactor)·min(epoch, totalIters)/totalIters)
 * (PyTorch's `LinearLR`). Warm-up then another schedule: {@link SequentialLR}.
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;
  constructor(optimizer: OptimizerLike, options: LinearLROptions = {}) {
    super('LinearLR', optimizer);
    this.startFactor = options.startFactor ?? 1 / 3;
    this.endFactor = options.endFactor ?? 1;
    this.totalIters = options.totalIters ?? 5;
    if (!(this.startFactor > 0 && this.startFactor <= 1)) {
      throw new ArgumentError(`LinearLR: startFactor must be in (0, 1], got ${this.startFactor}`);
    }
    if (!(this.endFactor >= 0 && this.endFactor <= 1)) {
      throw new ArgumentError(`LinearLR: endFactor must be in [0, 1], got ${this.endFactor}`);
    }
    this.init(options.lastEpoch ?? -1);
  }
  lrAt(epoch: number, base: number): number {
    const t = this.totalIters === 0 ? 1 : Math.min(epoch, this.totalIters) / this.totalIters;
    return base * (this.startFactor + (this.endFactor - this.startFactor) * t);
  }
}

/** lr = base · lambda(epoch) (PyTorch's `LambdaLR`; the function is not saved in state dicts). */
export class LambdaLR extends LRScheduler {
  readonly lrLambda: (epoch: number, group: number) => number;
  constructor(optimizer: OptimizerLike, lrLambda: (epoch: number, group: number) => number, lastEpoch = -1) {
    super('LambdaLR', optimizer);
    this.lrLambda = lrLambda;
    this.init(lastEpoch);
  }
  lrAt(epoch: number, base: number, group: number): number {
    return base * this.lrLambda(epoch, group);
  }
}

/**
 * Runs schedules one after another (PyTorch's `SequentialLR`): `schedulers[i]` runs from
 * `milestones[i − 1]`, restarting at its own epoch 0. The usual warm-up:
 * `new SequentialLR(opt, [new LinearLR(opt, { startFactor: 0.1, totalIters: 5 }), new CosineAnnealingLR(opt, { tMax: 95 })], [5])`.
 */
export class SequentialLR extends LRScheduler {
  readonly schedulers: LRScheduler[];
  readonly milestones: number[];
  constructor(optimizer: OptimizerLike, schedulers: LRScheduler[], milestones: number[], lastEpoch = -1) {
    super('SequentialLR', optimizer);
    if (schedulers.length === 0 || milestones.length !== schedulers.length - 1) {
      throw new ArgumentError(
        `SequentialLR: expected ${Math.max(schedulers.length - 1, 0)} milestones for ${schedulers.length} schedulers, got ${milestones.length}`,
      );
    }
    for (const s of schedulers) {
      if (s.optimizer !== optimizer)
        throw new ArgumentError('SequentialLR: every scheduler must drive the same optimizer');
    }
    this.schedulers = schedulers;
    this.milestones = [...milestones];
    this.init(lastEpoch);
  }
  private locate(epoch: number): [LRScheduler, number] {
    let i = 0;
    while (i < this.milestones.length && this.milestones[i] <= epoch) i++;
    return [this.schedulers[i], i === 0 ? epoch : epoch - this.milestones[i - 1]];
  }
  lrAt(epoch: number, _base: number, group: number): number {
    const [s, local] = this.locate(epoch);
    return s.lrAt(local, s.baseLrs[group], group);
  }
  protected override apply(epoch: number): void {
    const [s, local] = this.locate(epoch);
    s.lastEpoch = local;
    super.apply(epoch);
  }
  protected override extraState(): Record<string, unknown> {
    return { schedulers: this.schedulers.map((s) => s.stateDict()) };
  }
  protected override loadExtraState(state: Record<string, unknown>): void {
    (state.schedulers as SchedulerStateDict[]).forEach((sd, i) => {
      this.schedulers[i].loadStateDict(encode(sd) as SchedulerStateDict);
    });
  }
}

export interface OneCycleLROptions {
  /** Peak learning rate, one for all groups or one per group. */
  maxLr: number | number[];
  /** Steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr (default 0.3). */
  pctStart?: number;
  /** 'cos' (default) or 'linear'. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (or Adam's beta1) inversely to the lr (default true). */
  cycleMomentum?: boolean;
  /** Momentum at the lr's peak (default 0.85). */
  baseMomentum?: number | number[];
  /** Momentum at the start and end (default 0.95). */
  maxMomentum?: number | number[];
  /** initial lr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** minimum lr = initial lr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases (up, down to the initial lr, annihilate) instead of two (default false). */
  threePhase?: boolean;
  lastEpoch?: number;
}

interface Phase {
  endStep: number;
  startLr: 'initialLr' | 'maxLr' | 'minLr';
  endLr: 'initialLr' | 'maxLr' | 'minLr';
  startMomentum: 'maxMomentum' | 'baseMomentum';
  endMomentum: 'maxMomentum' | 'baseMomentum';
}

const perGroup = (name: string, v: number | number[], n: number): number[] => {
  if (!Array.isArray(v)) return new Array<number>(n).fill(v);
  if (v.length !== n)
    throw new ArgumentError(`OneCycleLR: expected ${n} values of ${name} (one per group), got ${v.length}`);
  return [...v];
};

/**
 * The 1cycle policy (PyTorch's `OneCycleLR`): the lr rises from maxLr/divFactor to maxLr over
 * pctStart of the steps, then anneals to initial/finalDivFactor, with momentum (or Adam's β₁)
 * cycling the other way between maxMomentum and baseMomentum. Step it after every batch.
 * Stepping past `totalSteps` throws, as in PyTorch.
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  readonly annealStrategy: 'cos' | 'linear';
  readonly cycleMomentum: boolean;
  private readonly phases: Phase[];
  /** Per group: initialLr, maxLr, minLr, maxMomentum, baseMomentum. */
  private readonly groupValues: Record<Phase['startLr'] | Phase['startMomentum'], number>[];

  constructor(optimizer: OptimizerLike, options: OneCycleLROptions) {
    super('OneCycleLR', optimizer);
    const groups = optimizer.paramGroups;
    const n = groups.length;
    let total: number;
    if (options.totalSteps !== undefined) {
      if (!(Number.isInteger(options.totalSteps) && options.totalSteps > 0)) {
        throw new ArgumentError(
          `OneCycleLR: totalSteps must be a positive integer, got ${options.totalSteps}`,
        );
      }
      total = options.totalSteps;
    } else if (options.epochs !== undefined && options.stepsPerEpoch !== undefined) {
      if (!(options.epochs > 0 && options.stepsPerEpoch > 0)) {
        throw new ArgumentError('OneCycleLR: epochs and stepsPerEpoch must be positive');
      }
      total = options.epochs * options.stepsPerEpoch;
    } else {
      throw new ArgumentError('OneCycleLR: give totalSteps, or epochs and stepsPerEpoch');
    }
    this.totalSteps = total;
    const pct = options.pctStart ?? 0.3;
    if (!(pct >= 0 && pct <= 1))
      throw new ArgumentError(`OneCycleLR: pctStart must be in [0, 1], got ${pct}`);
    const strategy = options.annealStrategy ?? 'cos';
    if (strategy !== 'cos' && strategy !== 'linear') {
      throw new ArgumentError(`OneCycleLR: annealStrategy must be 'cos' or 'linear', got ${strategy}`);
    }
    this.annealStrategy = strategy;
    this.phases = options.threePhase
      ? [
          {
            endStep: pct * total - 1,
            startLr: 'initialLr',
            endLr: 'maxLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'baseMomentum',
          },
          {
            endStep: 2 * pct * total - 2,
            startLr: 'maxLr',
            endLr: 'initialLr',
            startMomentum: 'baseMomentum',
            endMomentum: 'maxMomentum',
          },
          {
            endStep: total - 1,
            startLr: 'initialLr',
            endLr: 'minLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'maxMomentum',
          },
        ]
      : [
          {
            endStep: pct * total - 1,
            startLr: 'initialLr',
            endLr: 'maxLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'baseMomentum',
          },
          {
            endStep: total - 1,
            startLr: 'maxLr',
            endLr: 'minLr',
            startMomentum: 'baseMomentum',
            endMomentum: 'maxMomentum',
          },
        ];
    const maxLrs = perGroup('maxLr', options.maxLr, n);
    const divFactor = options.divFactor ?? 25;
    const finalDivFactor = options.finalDivFactor ?? 1e4;
    this.cycleMomentum = options.cycleMomentum ?? true;
    const maxMomentum = perGroup('maxMomentum', options.maxMomentum ?? 0.95, n);
    const baseMomentum = perGroup('baseMomentum', options.baseMomentum ?? 0.85, n);
    const lastEpoch = options.lastEpoch ?? -1;
    this.groupValues = groups.map((_, i) => {
      const initialLr = maxLrs[i] / divFactor;
      return {
        initialLr,
        maxLr: maxLrs[i],
        minLr: initialLr / finalDivFactor,
        maxMomentum: maxMomentum[i],
        baseMomentum: baseMomentum[i],
      };
    });
    if (this.cycleMomentum) {
      groups.forEach((g, i) => {
        if (!Array.isArray(g.betas) && typeof g.momentum !== 'number') {
          throw new ArgumentError(
            'OneCycleLR: the optimizer has no momentum or betas to cycle; pass cycleMomentum: false',
          );
        }
        if (lastEpoch === -1) this.setMomentum(g, maxMomentum[i]);
      });
    }
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = this.groupValues[i].initialLr;
        g.maxLr = this.groupValues[i].maxLr;
        g.minLr = this.groupValues[i].minLr;
      });
    }
    this.init(lastEpoch);
  }

  private setMomentum(g: ParamGroup, m: number): void {
    if (Array.isArray(g.betas)) g.betas = [m, ...g.betas.slice(1)];
    else g.momentum = m;
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  private at(epoch: number, group: number): [number, number] {
    if (epoch > this.totalSteps) {
      throw new ArgumentError(
        `OneCycleLR: tried to step ${epoch} times; the specified number of total steps is ${this.totalSteps}`,
      );
    }
    const v = this.groupValues[group];
    let start = 0;
    for (let i = 0; i < this.phases.length; i++) {
      const phase = this.phases[i];
      if (epoch <= phase.endStep || i === this.phases.length - 1) {
        const pct = (epoch - start) / (phase.endStep - start);
        return [
          this.anneal(v[phase.startLr], v[phase.endLr], pct),
          this.anneal(v[phase.startMomentum], v[phase.endMomentum], pct),
        ];
      }
      start = phase.endStep;
    }
    throw new Error('unreachable');
  }

  /** The momentum (or β₁) of group `group` at `epoch`. */
  momentumAt(epoch: number, group: number): number {
    return this.at(epoch, group)[1];
  }

  lrAt(epoch: number, _base: number, group: number): number {
    return this.at(epoch, group)[0];
  }

  protected override apply(epoch: number): void {
    super.apply(epoch);
    if (this.cycleMomentum) {
      this.optimizer.paramGroups.forEach((g, i) => {
        this.setMomentum(g, this.momentumAt(epoch, i));
      });
    }
  }
}

export interface ReduceLROnPlateauOptions {
  /** 'min' (default: a metric like loss should fall) or 'max' (accuracy should rise). */
  mode?: 'min' | 'max';
  /** lr ← lr·factor on a plateau (default 0.1, must be < 1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** What counts as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel' (default: relative to the best) or 'abs'. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound, one for all groups or one per group (default 0). */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

/**
 * Reduces the learning rate when a metric stops improving (PyTorch's `ReduceLROnPlateau`): call
 * `step(metric)` once per epoch.
 */
export class ReduceLROnPlateau {
  readonly optimizer: OptimizerLike;
  readonly name = 'ReduceLROnPlateau';
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: OptimizerLike, options: ReduceLROnPlateauOptions = {}) {
    this.optimizer = optimizer;
    this.mode = options.mode ?? 'min';
    if (this.mode !== 'min' && this.mode !== 'max')
      throw new ArgumentError(`ReduceLROnPlateau: mode must be 'min' or 'max', got ${this.mode}`);
    this.factor = options.factor ?? 0.1;
    if (!(this.factor < 1))
      throw new ArgumentError(`ReduceLROnPlateau: factor must be < 1, got ${this.factor}`);
    this.patience = options.patience ?? 10;
    this.threshold = options.threshold ?? 1e-4;
    this.thresholdMode = options.thresholdMode ?? 'rel';
    if (this.thresholdMode !== 'rel' && this.thresholdMode !== 'abs') {
      throw new ArgumentError(
        `ReduceLROnPlateau: thresholdMode must be 'rel' or 'abs', got ${this.thresholdMode}`,
      );
    }
    this.cooldown = options.cooldown ?? 0;
    const n = optimizer.paramGroups.length;
    const minLr = options.minLr ?? 0;
    if (Array.isArray(minLr) && minLr.length !== n) {
      throw new ArgumentError(
        `ReduceLROnPlateau: expected ${n} values of minLr (one per group), got ${minLr.length}`,
      );
    }
    this.minLrs = Array.isArray(minLr) ? [...minLr] : new Array<number>(n).fill(minLr);
    this.eps = options.eps ?? 1e-8;
    this.best = this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private isBetter(a: number, best: number): boolean {
    if (this.mode === 'min')
      return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === 'rel' ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  /** Records this epoch's metric and reduces the learning rates after `patience` epochs without improvement. */
  step(metric: number): void {
    if (typeof metric !== 'number')
      throw new ArgumentError(`ReduceLROnPlateau: step(metric) needs a number, got ${typeof metric}`);
    this.lastEpoch += 1;
    if (this.isBetter(metric, this.best)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const old = g.lr;
        const next = Math.max(old * this.factor, this.minLrs[i]);
        if (old - next > this.eps) g.lr = next;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): SchedulerStateDict {
    return encode({
      format: FORMAT,
      scheduler: this.name,
      lastEpoch: this.lastEpoch,
      best: this.best,
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
      lastLr: [...this.lastLr],
    }) as SchedulerStateDict;
  }

  loadStateDict(sd: SchedulerStateDict): void {
    checkState(this.name, sd);
    const s = decode(sd) as Record<string, number & number[]>;
    this.lastEpoch = s.lastEpoch;
    this.best = s.best;
    this.numBadEpochs = s.numBadEpochs;
    this.cooldownCounter = s.cooldownCounter;
    this.lastLr = [...s.lastLr];
  }
}
