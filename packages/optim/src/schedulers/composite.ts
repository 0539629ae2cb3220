import { ArgumentError, describeValue } from '@backprop/core';
import { check, LAST_EPOCH, listOf, NON_NEGATIVE_INTEGER, type Rule } from '../validate.js';
import { LRScheduler, type OptimizerLike, type SchedulerStateDict } from './scheduler.js';

/** Throws unless `schedulers` is a non-empty list of LRSchedulers of `optimizer`. */
function checkSchedulers(name: string, optimizer: OptimizerLike, schedulers: unknown): LRScheduler[] {
  if (!Array.isArray(schedulers) || schedulers.length === 0) {
    throw new ArgumentError(
      `${name}: schedulers must be a non-empty array of schedulers, got ${describeValue(schedulers)}`,
    );
  }
  schedulers.forEach((s: unknown, i) => {
    if (!(s instanceof LRScheduler)) {
      throw new ArgumentError(
        `${name}: schedulers[${i}] must be an LRScheduler (ReduceLROnPlateau steps on a metric and cannot be chained), got ${describeValue(s)}`,
      );
    }
    if (s.optimizer !== optimizer)
      throw new ArgumentError(
        `${name}: schedulers[${i}] drives another optimizer; all must drive the same one`,
      );
  });
  return [...schedulers];
}

/** The sub-schedulers' state dicts, one per scheduler, as a rule for loading. */
function subStates(n: number): Rule {
  return {
    expected: `an array of ${n} scheduler state dicts`,
    test: (v) => Array.isArray(v) && v.length === n,
  };
}

/** Loads each scheduler's state dict; if one is refused, puts back those already loaded and rethrows. */
function loadAll(schedulers: LRScheduler[], sds: SchedulerStateDict[]): void {
  const before = schedulers.map((s) => s.stateDict());
  try {
    sds.forEach((sd, i) => {
      schedulers[i].loadStateDict(sd);
    });
  } catch (e) {
    before.forEach((sd, i) => {
      schedulers[i].loadStateDict(sd);
    });
    throw e;
  }
}

/** Moves a scheduler (and those inside it) one epoch back: SequentialLR's undo of their initial steps. */
function undoInitialStep(s: LRScheduler): void {
  if (s instanceof SequentialLR || s instanceof ChainedScheduler)
    for (const inner of s.schedulers) undoInitialStep(inner);
  else s.lastEpoch -= 1;
}

/**
 * Runs schedules one after another (PyTorch's `SequentialLR`): `schedulers[i]` takes over at
 * `milestones[i − 1]`, restarting at its own epoch 0 from its closed form. Construction resets
 * every group's lr to its `initialLr` and undoes the schedulers' own initial steps, so the first
 * schedule starts from the base lr. The usual warm-up:
 * `new SequentialLR(opt, [new LinearLR(opt, { startFactor: 0.1, totalIters: 5 }), new CosineAnnealingLR(opt, { tMax: 95 })], [5])`.
 */
export class SequentialLR extends LRScheduler {
  readonly schedulers: LRScheduler[];
  readonly milestones: number[];
  constructor(optimizer: OptimizerLike, schedulers: LRScheduler[], milestones: number[], lastEpoch = -1) {
    super('SequentialLR', optimizer);
    this.schedulers = checkSchedulers(this.name, optimizer, schedulers);
    check(this.name, 'milestones', milestones, listOf(NON_NEGATIVE_INTEGER));
    if (milestones.length !== schedulers.length - 1) {
      throw new ArgumentError(
        `SequentialLR: expected ${schedulers.length - 1} milestones for ${schedulers.length} schedulers, got ${milestones.length}`,
      );
    }
    check(this.name, 'lastEpoch', lastEpoch, LAST_EPOCH);
    this.milestones = [...milestones];
    this.lastEpoch = lastEpoch + 1;
    this.baseLrs = optimizer.paramGroups.map((g, i) => {
      if (typeof g.initialLr !== 'number')
        throw new ArgumentError(
          `SequentialLR: param group ${i} has no initialLr (build the schedulers first)`,
        );
      g.lr = g.initialLr;
      return g.initialLr;
    });
    for (const s of this.schedulers) undoInitialStep(s);
    const first = this.active(0);
    first.initialStep();
    this.lastLr = first.getLastLr();
  }

  /** The schedule in charge at `epoch`. */
  private active(epoch: number): LRScheduler {
    return this.schedulers[this.milestones.filter((m) => m <= epoch).length];
  }

  /** Steps the schedule in charge (restarting it at its milestone) and returns what it set. */
  protected computeLrs(): number[] {
    const epoch = this.lastEpoch;
    const s = this.active(epoch);
    if (this.milestones.includes(epoch)) s.stepTo(0);
    else s.step();
    return s.getLastLr();
  }

  protected override extraState(): Record<string, unknown> {
    return { schedulers: this.schedulers.map((s) => s.stateDict()) };
  }
  protected override extraStateRules(): Record<string, Rule> {
    return { schedulers: subStates(this.schedulers.length) };
  }
  protected override loadExtraState(state: Record<string, unknown>): void {
    loadAll(this.schedulers, state.schedulers as SchedulerStateDict[]);
  }
}

/**
 * Steps several schedules together on one optimizer (PyTorch's `ChainedScheduler`): each `step()`
 * steps every scheduler in order, and since they are chainable their effects compose, e.g.
 * `new ChainedScheduler([new ConstantLR(opt, { factor: 0.1, totalIters: 2 }), new ExponentialLR(opt, { gamma: 0.9 })])`.
 * Stepping the schedulers one by one in a loop does the same.
 */
export class ChainedScheduler extends LRScheduler {
  readonly schedulers: LRScheduler[];
  constructor(schedulers: LRScheduler[], optimizer?: OptimizerLike) {
    if (!Array.isArray(schedulers) || !(schedulers[0] instanceof LRScheduler)) {
      throw new ArgumentError(
        `ChainedScheduler: schedulers must be a non-empty array of LRSchedulers, got ${describeValue(schedulers)}`,
      );
    }
    super('ChainedScheduler', optimizer ?? schedulers[0].optimizer);
    this.schedulers = checkSchedulers(this.name, this.optimizer, schedulers);
    this.baseLrs = this.optimizer.paramGroups.map((g) => (g.initialLr as number | undefined) ?? g.lr);
    this.lastEpoch = 0;
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Steps every scheduler in order; the learning rates are what the last one left. */
  protected computeLrs(): number[] {
    for (const s of this.schedulers) s.step();
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  protected override extraState(): Record<string, unknown> {
    return { schedulers: this.schedulers.map((s) => s.stateDict()) };
  }
  protected override extraStateRules(): Record<string, Rule> {
    return { schedulers: subStates(this.schedulers.length) };
  }
  protected override loadExtraState(state: Record<string, unknown>): void {
    loadAll(this.schedulers, state.schedulers as SchedulerStateDict[]);
  }
}
