import {
  check,
  checkOptionKeys,
  FUNCTION,
  inRange,
  listOf,
  NON_NEGATIVE,
  NON_NEGATIVE_INTEGER,
  POSITIVE,
  POSITIVE_INTEGER,
  UNIT,
} from '../validate.js';
import { ChainableLR, ClosedFormLR, LRScheduler, type OptimizerLike } from './scheduler.js';

/** A factor that scales the lr: finite and ≥ 0. */
const FACTOR = NON_NEGATIVE;

export interface StepLROptions {
  /** Decay every `stepSize` epochs (an integer ≥ 1). */
  stepSize: number;
  /** Multiplicative factor (default 0.1). */
  gamma?: number;
  lastEpoch?: number;
}

/**
 * Decays by `gamma` every `stepSize` epochs (PyTorch's `StepLR`): chained, lr ← lr·gamma when
 * epoch is a non-zero multiple of stepSize; closed form lr = base·gamma^⌊epoch / stepSize⌋.
 */
export class StepLR extends ClosedFormLR {
  readonly stepSize: number;
  readonly gamma: number;
  constructor(optimizer: OptimizerLike, options: StepLROptions) {
    super('StepLR', optimizer);
    checkOptionKeys(this.name, options, ['stepSize', 'gamma', 'lastEpoch'], true);
    check(this.name, 'stepSize', options?.stepSize, POSITIVE_INTEGER);
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    check(this.name, 'gamma', this.gamma, FACTOR);
    this.init(options.lastEpoch ?? -1);
  }
  protected chain(lr: number, epoch: number): number {
    return epoch === 0 || epoch % this.stepSize !== 0 ? lr : lr * this.gamma;
  }
  lrAt(epoch: number, base: number): number {
    return base * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}

export interface MultiStepLROptions {
  /** Epochs at which to decay (integers ≥ 0; a repeated milestone decays that many times). */
  milestones: number[];
  /** Multiplicative factor (default 0.1). */
  gamma?: number;
  lastEpoch?: number;
}

/**
 * Decays by `gamma` at each milestone (PyTorch's `MultiStepLR`): chained, lr ← lr·gamma^(times
 * epoch is a milestone); closed form lr = base·gamma^(number of milestones ≤ epoch).
 */
export class MultiStepLR extends ClosedFormLR {
  readonly milestones: number[];
  readonly gamma: number;
  constructor(optimizer: OptimizerLike, options: MultiStepLROptions) {
    super('MultiStepLR', optimizer);
    checkOptionKeys(this.name, options, ['milestones', 'gamma', 'lastEpoch'], true);
    check(this.name, 'milestones', options?.milestones, listOf(NON_NEGATIVE_INTEGER));
    this.milestones = [...options.milestones].sort((a, b) => a - b);
    this.gamma = options.gamma ?? 0.1;
    check(this.name, 'gamma', this.gamma, FACTOR);
    this.init(options.lastEpoch ?? -1);
  }
  protected chain(lr: number, epoch: number): number {
    const hits = this.milestones.filter((m) => m === epoch).length;
    return hits === 0 ? lr : lr * this.gamma ** hits;
  }
  lrAt(epoch: number, base: number): number {
    return base * this.gamma ** this.milestones.filter((m) => m <= epoch).length;
  }
}

export interface ConstantLROptions {
  /** The factor during the first `totalIters` epochs, in (0, 1] (default 1/3). */
  factor?: number;
  /** Epochs at the reduced lr (default 5). */
  totalIters?: number;
  lastEpoch?: number;
}

/**
 * Multiplies the lr by `factor` until epoch `totalIters`, then restores it (PyTorch's
 * `ConstantLR`): chained, lr ← lr·factor at epoch 0 and lr ← lr/factor at totalIters; closed form
 * lr = base·factor before totalIters, base after.
 */
export class ConstantLR extends ClosedFormLR {
  readonly factor: number;
  readonly totalIters: number;
  constructor(optimizer: OptimizerLike, options: ConstantLROptions = {}) {
    super('ConstantLR', optimizer);
    checkOptionKeys(this.name, options, ['factor', 'totalIters', 'lastEpoch']);
    this.factor = options.factor ?? 1 / 3;
    this.totalIters = options.totalIters ?? 5;
    // PyTorch allows 0, which turns the lr into 0 and then 0/0 at totalIters.
    check(this.name, 'factor', this.factor, inRange(0, 1, { low: true }));
    check(this.name, 'totalIters', this.totalIters, NON_NEGATIVE_INTEGER);
    this.init(options.lastEpoch ?? -1);
  }
  protected chain(lr: number, epoch: number): number {
    if (epoch === 0) return lr * this.factor;
    return epoch === this.totalIters ? lr * (1 / this.factor) : lr;
  }
  lrAt(epoch: number, base: number): number {
    return base * (epoch >= this.totalIters ? 1 : this.factor);
  }
}

export interface LinearLROptions {
  /** Factor at epoch 0, in (0, 1] (default 1/3). */
  startFactor?: number;
  /** Factor from `totalIters` on, in [0, 1] (default 1). */
  endFactor?: number;
  /** Epochs to go from startFactor to endFactor (an integer ≥ 1, default 5). */
  totalIters?: number;
  lastEpoch?: number;
}

/**
 * Linear warm-up (or decay) of the lr's factor from startFactor to endFactor over totalIters
 * epochs (PyTorch's `LinearLR`). Chained: lr ← lr·startFactor at epoch 0, then for
 * 0 < t ≤ totalIters lr ← lr·(1 + (e − s)/(totalIters·s + (t − 1)(e − s))); closed form
 * lr = base·(s + (e − s)·min(t, totalIters)/totalIters). Warm-up then another schedule:
 * {@link SequentialLR}.
 */
export class LinearLR extends ClosedFormLR {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;
  constructor(optimizer: OptimizerLike, options: LinearLROptions = {}) {
    super('LinearLR', optimizer);
    checkOptionKeys(this.name, options, ['startFactor', 'endFactor', 'totalIters', 'lastEpoch']);
    this.startFactor = options.startFactor ?? 1 / 3;
    this.endFactor = options.endFactor ?? 1;
    this.totalIters = options.totalIters ?? 5;
    check(this.name, 'startFactor', this.startFactor, inRange(0, 1, { low: true }));
    check(this.name, 'endFactor', this.endFactor, UNIT);
    check(this.name, 'totalIters', this.totalIters, POSITIVE_INTEGER);
    this.init(options.lastEpoch ?? -1);
  }
  protected chain(lr: number, epoch: number): number {
    if (epoch === 0) return lr * this.startFactor;
    if (epoch > this.totalIters) return lr;
    const delta = this.endFactor - this.startFactor;
    return lr * (1 + delta / (this.totalIters * this.startFactor + (epoch - 1) * delta));
  }
  lrAt(epoch: number, base: number): number {
    const t = Math.min(epoch, this.totalIters) / this.totalIters;
    return base * (this.startFactor + (this.endFactor - this.startFactor) * t);
  }
}

export interface ExponentialLROptions {
  /** Multiplicative factor per epoch. */
  gamma: number;
  lastEpoch?: number;
}

/** Decays by `gamma` every epoch (PyTorch's `ExponentialLR`): chained lr ← lr·gamma; closed form base·gamma^epoch. */
export class ExponentialLR extends ClosedFormLR {
  readonly gamma: number;
  constructor(optimizer: OptimizerLike, options: ExponentialLROptions) {
    super('ExponentialLR', optimizer);
    checkOptionKeys(this.name, options, ['gamma', 'lastEpoch'], true);
    check(this.name, 'gamma', options?.gamma, FACTOR);
    this.gamma = options.gamma;
    this.init(options.lastEpoch ?? -1);
  }
  protected chain(lr: number): number {
    return this.isInitial ? lr : lr * this.gamma;
  }
  lrAt(epoch: number, base: number): number {
    return base * this.gamma ** epoch;
  }
}

export interface PolynomialLROptions {
  /** Epochs until the lr reaches 0 (an integer ≥ 1, default 5). */
  totalIters?: number;
  /** The polynomial's power (default 1: linear). */
  power?: number;
  lastEpoch?: number;
}

/**
 * Polynomial decay to 0 over totalIters epochs (PyTorch's `PolynomialLR`): chained, for
 * 0 < t ≤ totalIters lr ← lr·((1 − t/T)/(1 − (t − 1)/T))^power; closed form
 * lr = base·(1 − min(t, T)/T)^power.
 */
export class PolynomialLR extends ClosedFormLR {
  readonly totalIters: number;
  readonly power: number;
  constructor(optimizer: OptimizerLike, options: PolynomialLROptions = {}) {
    super('PolynomialLR', optimizer);
    checkOptionKeys(this.name, options, ['totalIters', 'power', 'lastEpoch']);
    this.totalIters = options.totalIters ?? 5;
    this.power = options.power ?? 1;
    check(this.name, 'totalIters', this.totalIters, POSITIVE_INTEGER);
    check(this.name, 'power', this.power, POSITIVE);
    this.init(options.lastEpoch ?? -1);
  }
  protected chain(lr: number, epoch: number): number {
    if (this.isInitial || epoch > this.totalIters) return lr;
    const T = this.totalIters;
    return lr * ((1 - epoch / T) / (1 - (epoch - 1) / T)) ** this.power;
  }
  lrAt(epoch: number, base: number): number {
    return base * (1 - Math.min(this.totalIters, epoch) / this.totalIters) ** this.power;
  }
}

/** A per-epoch function of the schedule: one for every group, or one per group. */
export type LrLambda = (epoch: number, group: number) => number;

function checkLambdas(name: string, optimizer: OptimizerLike, fn: LrLambda | LrLambda[]): LrLambda[] {
  const n = optimizer.paramGroups.length;
  if (Array.isArray(fn)) {
    check(name, 'lrLambda', fn, {
      expected: `a function or an array of ${n} functions (one per group)`,
      test: (v) => Array.isArray(v) && v.length === n && v.every((f) => typeof f === 'function'),
    });
    return [...fn];
  }
  check(name, 'lrLambda', fn, FUNCTION);
  return new Array<LrLambda>(n).fill(fn);
}

/** λ(epoch) for group `i`, checked: a finite number ≥ 0. */
function factorAt(name: string, fns: LrLambda[], epoch: number, i: number): number {
  const f = fns[i](epoch, i);
  check(name, `lrLambda(${epoch})`, f, FACTOR);
  return f;
}

/**
 * lr = base·λ(epoch) (PyTorch's `LambdaLR`, computed from the base lr, so not chainable; the
 * functions are not saved in state dicts).
 */
export class LambdaLR extends LRScheduler {
  private readonly lambdas: LrLambda[];
  constructor(optimizer: OptimizerLike, lrLambda: LrLambda | LrLambda[], lastEpoch = -1) {
    super('LambdaLR', optimizer);
    this.lambdas = checkLambdas(this.name, optimizer, lrLambda);
    this.init(lastEpoch);
  }
  protected computeLrs(): number[] {
    return this.baseLrs.map((base, i) => this.lrAt(this.lastEpoch, base, i));
  }
  protected override closedFormLrs(): number[] {
    return this.computeLrs();
  }
  /** The closed form: base·λ(epoch). */
  lrAt(epoch: number, base: number, group: number): number {
    return base * factorAt(this.name, this.lambdas, epoch, group);
  }
}

/**
 * Multiplies the lr by λ(epoch) at every step after the first (PyTorch's `MultiplicativeLR`):
 * chained lr ← lr·λ(epoch); there is no closed form. The functions are not saved in state dicts.
 */
export class MultiplicativeLR extends ChainableLR {
  private readonly lambdas: LrLambda[];
  constructor(optimizer: OptimizerLike, lrLambda: LrLambda | LrLambda[], lastEpoch = -1) {
    super('MultiplicativeLR', optimizer);
    this.lambdas = checkLambdas(this.name, optimizer, lrLambda);
    this.init(lastEpoch);
  }
  protected chain(lr: number, epoch: number, group: number): number {
    return this.isInitial ? lr : lr * factorAt(this.name, this.lambdas, epoch, group);
  }
}
