import { ArgumentError } from '@backprop/core';
import {
  BOOLEAN,
  check,
  checkOptionKeys,
  NON_NEGATIVE,
  oneOf,
  POSITIVE,
  POSITIVE_INTEGER,
  scalarOrList,
  UNIT,
  UNIT_OPEN,
} from '../validate.js';
import { checkCyclableMomentum, setMomentum } from './momentum.js';
import { LRScheduler, type OptimizerLike, perGroup } from './scheduler.js';

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
    checkOptionKeys(
      this.name,
      options,
      [
        'maxLr',
        'totalSteps',
        'epochs',
        'stepsPerEpoch',
        'pctStart',
        'annealStrategy',
        'cycleMomentum',
        'baseMomentum',
        'maxMomentum',
        'divFactor',
        'finalDivFactor',
        'threePhase',
        'lastEpoch',
      ],
      true,
    );
    const groups = optimizer.paramGroups;
    const n = groups.length;
    let total: number;
    if (options.totalSteps !== undefined) {
      check(this.name, 'totalSteps', options.totalSteps, POSITIVE_INTEGER);
      total = options.totalSteps;
    } else if (options.epochs !== undefined && options.stepsPerEpoch !== undefined) {
      check(this.name, 'epochs', options.epochs, POSITIVE_INTEGER);
      check(this.name, 'stepsPerEpoch', options.stepsPerEpoch, POSITIVE_INTEGER);
      total = options.epochs * options.stepsPerEpoch;
    } else {
      throw new ArgumentError('OneCycleLR: give totalSteps, or epochs and stepsPerEpoch');
    }
    this.totalSteps = total;
    const pct = options.pctStart ?? 0.3;
    check(this.name, 'pctStart', pct, UNIT);
    const strategy = options.annealStrategy ?? 'cos';
    check(this.name, 'annealStrategy', strategy, oneOf('cos', 'linear'));
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
    check(this.name, 'maxLr', options.maxLr, scalarOrList(NON_NEGATIVE));
    const maxLrs = perGroup(this.name, 'maxLr', options.maxLr, n);
    const divFactor = options.divFactor ?? 25;
    const finalDivFactor = options.finalDivFactor ?? 1e4;
    check(this.name, 'divFactor', divFactor, POSITIVE);
    check(this.name, 'finalDivFactor', finalDivFactor, POSITIVE);
    this.cycleMomentum = options.cycleMomentum ?? true;
    check(this.name, 'cycleMomentum', this.cycleMomentum, BOOLEAN);
    check(this.name, 'threePhase', options.threePhase ?? false, BOOLEAN);
    check(this.name, 'maxMomentum', options.maxMomentum ?? 0.95, scalarOrList(UNIT_OPEN));
    check(this.name, 'baseMomentum', options.baseMomentum ?? 0.85, scalarOrList(UNIT_OPEN));
    const maxMomentum = perGroup(this.name, 'maxMomentum', options.maxMomentum ?? 0.95, n);
    const baseMomentum = perGroup(this.name, 'baseMomentum', options.baseMomentum ?? 0.85, n);
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
      checkCyclableMomentum(this.name, optimizer);
      if (lastEpoch === -1) {
        groups.forEach((g, i) => {
          setMomentum(g, maxMomentum[i]);
        });
      }
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
    let i = 0;
    while (i < this.phases.length - 1 && epoch > this.phases[i].endStep) {
      start = this.phases[i].endStep;
      i++;
    }
    const phase = this.phases[i];
    const pct = (epoch - start) / (phase.endStep - start);
    return [
      this.anneal(v[phase.startLr], v[phase.endLr], pct),
      this.anneal(v[phase.startMomentum], v[phase.endMomentum], pct),
    ];
  }

  /** The momentum (or β₁) of group `group` at `epoch`. */
  momentumAt(epoch: number, group: number): number {
    return this.at(epoch, group)[1];
  }

  /** The lr of group `group` at `epoch` (the schedule is a closed form of the step). */
  lrAt(epoch: number, _base: number, group: number): number {
    return this.at(epoch, group)[0];
  }

  /** Sets the momentum (or β₁) for this step and returns the lrs; computed from the step count, not chained. */
  protected computeLrs(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.cycleMomentum) {
      groups.forEach((g, i) => {
        setMomentum(g, this.momentumAt(this.lastEpoch, i));
      });
    }
    return groups.map((_, i) => this.lrAt(this.lastEpoch, 0, i));
  }
}
