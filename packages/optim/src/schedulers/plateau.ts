import { ArgumentError, describeValue } from '@backprop/core';
import {
  check,
  checkOptionKeys,
  NON_NEGATIVE,
  NON_NEGATIVE_INTEGER,
  oneOf,
  rule,
  scalarOrList,
  UNIT_OPEN,
} from '../validate.js';
import {
  checkOptimizer,
  checkStateDict,
  encodeState,
  type OptimizerLike,
  perGroup,
  type SchedulerStateDict,
} from './scheduler.js';

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
    checkOptimizer(this.name, optimizer);
    checkOptionKeys(this.name, options, [
      'mode',
      'factor',
      'patience',
      'threshold',
      'thresholdMode',
      'cooldown',
      'minLr',
      'eps',
    ]);
    this.optimizer = optimizer;
    this.mode = options.mode ?? 'min';
    check(this.name, 'mode', this.mode, oneOf('min', 'max'));
    this.factor = options.factor ?? 0.1;
    check(this.name, 'factor', this.factor, UNIT_OPEN);
    this.patience = options.patience ?? 10;
    check(this.name, 'patience', this.patience, NON_NEGATIVE_INTEGER);
    this.threshold = options.threshold ?? 1e-4;
    check(this.name, 'threshold', this.threshold, NON_NEGATIVE);
    this.thresholdMode = options.thresholdMode ?? 'rel';
    check(this.name, 'thresholdMode', this.thresholdMode, oneOf('rel', 'abs'));
    this.cooldown = options.cooldown ?? 0;
    check(this.name, 'cooldown', this.cooldown, NON_NEGATIVE_INTEGER);
    const minLr = options.minLr ?? 0;
    check(this.name, 'minLr', minLr, scalarOrList(NON_NEGATIVE));
    this.minLrs = perGroup(this.name, 'minLr', minLr, optimizer.paramGroups.length);
    this.eps = options.eps ?? 1e-8;
    check(this.name, 'eps', this.eps, NON_NEGATIVE);
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
      throw new ArgumentError(`ReduceLROnPlateau: step(metric) needs a number, got ${describeValue(metric)}`);
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

  /** The learning rates after the last step, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The scheduler's state (see {@link SchedulerStateDict}). */
  stateDict(): SchedulerStateDict {
    return encodeState({
      format: 'backprop.scheduler/1',
      scheduler: this.name,
      lastEpoch: this.lastEpoch,
      best: this.best,
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
      lastLr: [...this.lastLr],
    }) as SchedulerStateDict;
  }

  /** Restores {@link ReduceLROnPlateau.stateDict}; a malformed state dict throws ArgumentError and changes nothing. */
  loadStateDict(sd: SchedulerStateDict): void {
    const n = this.optimizer.paramGroups.length;
    const s = checkStateDict(this.name, sd, {
      lastEpoch: NON_NEGATIVE_INTEGER,
      best: rule('a number', (v) => typeof v === 'number'),
      numBadEpochs: NON_NEGATIVE_INTEGER,
      cooldownCounter: NON_NEGATIVE_INTEGER,
      lastLr: rule(
        `an array of ${n} numbers`,
        (v) => Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number'),
      ),
    }) as Record<string, number & number[]>;
    this.lastEpoch = s.lastEpoch;
    this.best = s.best;
    this.numBadEpochs = s.numBadEpochs;
    this.cooldownCounter = s.cooldownCounter;
    this.lastLr = [...s.lastLr];
  }
}
