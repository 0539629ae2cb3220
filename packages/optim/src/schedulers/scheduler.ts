import { ArgumentError, describeValue } from '@backprop/core';
import type { ParamGroup } from '../optimizer.js';
import { check, isRecord, LAST_EPOCH, type Rule } from '../validate.js';

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

/** Numbers JSON cannot hold become strings. */
export function encodeState(v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (Array.isArray(v)) return v.map(encodeState);
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeState(x)]));
  return v;
}

/** The inverse of {@link encodeState}. */
export function decodeState(v: unknown): unknown {
  if (v === 'Infinity' || v === '-Infinity' || v === 'NaN') return Number(v);
  if (Array.isArray(v)) return v.map(decodeState);
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeState(x)]));
  return v;
}

/**
 * Checks a state dict's envelope and the fields listed in `fields` (each against its rule), and
 * returns it decoded; throws ArgumentError naming the scheduler, the field and the value.
 */
export function checkStateDict(
  name: string,
  sd: unknown,
  fields: Readonly<Record<string, Rule>>,
): Record<string, unknown> {
  const where = `${name}.loadStateDict`;
  if (!isRecord(sd) || sd.format !== FORMAT)
    throw new ArgumentError(`${where}: expected a '${FORMAT}' state dict, got ${describeValue(sd)}`);
  if (sd.scheduler !== name)
    throw new ArgumentError(
      `${where}: the state dict is for ${typeof sd.scheduler === 'string' ? sd.scheduler : describeValue(sd.scheduler)}, not ${name}`,
    );
  const s = decodeState(sd) as Record<string, unknown>;
  for (const [key, r] of Object.entries(fields)) check(where, key, s[key], r);
  return s;
}

/** Throws unless `optimizer` has parameter groups (an {@link Optimizer}). */
export function checkOptimizer(name: string, optimizer: unknown): asserts optimizer is OptimizerLike {
  if (!isRecord(optimizer) || !Array.isArray(optimizer.paramGroups) || optimizer.paramGroups.length === 0) {
    throw new ArgumentError(
      `${name}: optimizer must be an Optimizer (with paramGroups), got ${describeValue(optimizer)}`,
    );
  }
}

/** `value` as one number per group: a single value for all, or a list of exactly one per group. */
export function perGroup(name: string, option: string, value: number | number[], n: number): number[] {
  if (!Array.isArray(value)) return new Array<number>(n).fill(value);
  if (value.length !== n)
    throw new ArgumentError(`${name}: ${option} must have one value per group (${n}), got ${value.length}`);
  return [...value];
}

/**
 * The base of every learning-rate scheduler (PyTorch's `LRScheduler`). Construction records each
 * group's `initialLr` (if it has none) as the base learning rate and takes the initial step, so the
 * optimizer's lr is the schedule's value at epoch 0; each {@link LRScheduler.step} advances one
 * epoch (or one batch, as you call it) and writes the new lr to every group.
 *
 * Resuming: build the optimizer and its schedulers as before, then load the optimizer's state dict
 * (which holds each group's lr) and each scheduler's; training continues bit-identically.
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
  /** True during the step construction takes (PyTorch's `_is_initial`). */
  protected isInitial = false;

  protected constructor(name: string, optimizer: OptimizerLike) {
    checkOptimizer(name, optimizer);
    this.name = name;
    this.optimizer = optimizer;
  }

  /** Sets up base learning rates and takes the initial step; subclasses call it last in their constructor. */
  protected init(lastEpoch: number): void {
    check(this.name, 'lastEpoch', lastEpoch, LAST_EPOCH);
    const groups = this.optimizer.paramGroups;
    if (lastEpoch === -1) {
      for (const g of groups) if (g.initialLr === undefined) g.initialLr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g.initialLr === undefined) {
          throw new ArgumentError(
            `${this.name}: param group ${i} has no initialLr, needed when resuming with lastEpoch = ${lastEpoch} (load the optimizer's state dict first)`,
          );
        }
      });
    }
    this.baseLrs = groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
    this.initialStep();
  }

  /** The step construction takes (also re-taken by {@link SequentialLR} for its first schedule). */
  initialStep(): void {
    this.isInitial = true;
    try {
      this.step();
    } finally {
      this.isInitial = false;
    }
  }

  /** The learning rates for the epoch just reached (`lastEpoch`, already advanced), one per group. */
  protected abstract computeLrs(): number[];

  /** The closed form's learning rates at `lastEpoch`, for schedules that have one (else null). */
  protected closedFormLrs(): number[] | null {
    return null;
  }

  /** Advances one epoch and writes the new learning rates to the optimizer. */
  step(): void {
    this.lastEpoch += 1;
    this.writeLrs(this.computeLrs());
  }

  /**
   * Jumps to `epoch`, setting the closed form's learning rates where the schedule has one (as
   * PyTorch's `step(epoch)` does), else the chained ones. {@link SequentialLR} restarts its
   * schedules with `stepTo(0)`.
   */
  stepTo(epoch: number): void {
    check(this.name, 'epoch', epoch, LAST_EPOCH);
    this.lastEpoch = epoch;
    this.writeLrs(this.closedFormLrs() ?? this.computeLrs());
  }

  protected writeLrs(lrs: number[]): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = lrs[i];
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The learning rates the last step set, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Fields of the subclass to save (its counters and the configuration it checks on load). */
  protected extraState(): Record<string, unknown> {
    return {};
  }

  /** Rules for the fields {@link LRScheduler.extraState} saves, checked before anything loads. */
  protected extraStateRules(): Record<string, Rule> {
    return {};
  }

  protected loadExtraState(_state: Record<string, unknown>): void {}

  /** The scheduler's state (see {@link SchedulerStateDict}). */
  stateDict(): SchedulerStateDict {
    return encodeState({
      format: FORMAT,
      scheduler: this.name,
      lastEpoch: this.lastEpoch,
      baseLrs: [...this.baseLrs],
      lastLr: [...this.lastLr],
      ...this.extraState(),
    }) as SchedulerStateDict;
  }

  /**
   * Restores {@link LRScheduler.stateDict}; the optimizer's lr comes back with the optimizer's own
   * state dict. A malformed state dict throws ArgumentError and changes nothing.
   */
  loadStateDict(sd: SchedulerStateDict): void {
    const n = this.optimizer.paramGroups.length;
    const lrs: Rule = {
      expected: `an array of ${n} numbers (one per group)`,
      test: (v) => Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number'),
    };
    const s = checkStateDict(this.name, sd, {
      lastEpoch: LAST_EPOCH,
      baseLrs: lrs,
      lastLr: lrs,
      ...this.extraStateRules(),
    });
    // The subclass's part first: a composite's inner state dicts can still be refused there.
    this.loadExtraState(s);
    this.lastEpoch = s.lastEpoch as number;
    this.baseLrs = [...(s.baseLrs as number[])];
    this.lastLr = [...(s.lastLr as number[])];
  }
}

/**
 * A schedule in PyTorch's chainable form: each step changes every group's *current* lr
 * (multiplicatively, or for cosine relative to etaMin) rather than recomputing it from the base,
 * so several schedulers stepping one optimizer compose: ExponentialLR(0.95) with StepLR(10, 0.5)
 * gives lr₀·0.95ᵗ·0.5^⌊t/10⌋. Schedules with a closed form also offer it as `lrAt`.
 *
 * Built with `lastEpoch ≥ 0` (resuming), the initial step keeps each group's lr as the optimizer's
 * state dict brought it back, so a resumed run continues exactly.
 */
export abstract class ChainableLR extends LRScheduler {
  /** The next lr of group `group` at `epoch`, from its current `lr`. */
  protected abstract chain(lr: number, epoch: number, group: number): number;

  protected computeLrs(): number[] {
    return this.optimizer.paramGroups.map((g, i) =>
      this.isInitial && this.lastEpoch > 0 ? g.lr : this.chain(g.lr, this.lastEpoch, i),
    );
  }
}

/** A chainable schedule that also has a closed form of the epoch (PyTorch's `_get_closed_form_lr`). */
export abstract class ClosedFormLR extends ChainableLR {
  /** The schedule's closed form: group `group`'s lr at `epoch` from its base lr (this schedule alone). */
  abstract lrAt(epoch: number, baseLr: number, group: number): number;

  protected override closedFormLrs(): number[] {
    return this.baseLrs.map((base, i) => this.lrAt(this.lastEpoch, base, i));
  }
}
