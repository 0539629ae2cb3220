import { ArgumentError } from '@backprop/core';
import {
  BOOLEAN,
  check,
  checkOptionKeys,
  FUNCTION,
  NON_NEGATIVE,
  oneOf,
  POSITIVE,
  POSITIVE_INTEGER,
  scalarOrList,
  UNIT_OPEN,
} from '../validate.js';
import { checkCyclableMomentum, setMomentum } from './momentum.js';
import { LRScheduler, type OptimizerLike, perGroup } from './scheduler.js';

export interface CyclicLROptions {
  /** The lower bound of the cycle, one for all groups or one per group. */
  baseLr: number | number[];
  /** The upper bound, one for all groups or one per group. */
  maxLr: number | number[];
  /** Steps from baseLr up to maxLr (an integer ≥ 1, default 2000). */
  stepSizeUp?: number;
  /** Steps back down (default stepSizeUp). */
  stepSizeDown?: number;
  /** 'triangular' (default), 'triangular2' (amplitude halves each cycle) or 'exp_range' (scaled by gamma^step). */
  mode?: 'triangular' | 'triangular2' | 'exp_range';
  /** exp_range's factor (default 1). */
  gamma?: number;
  /** A custom amplitude scale in place of the mode's, of the cycle number or of the step (see `scaleMode`). */
  scaleFn?: (x: number) => number;
  /** What `scaleFn` takes: 'cycle' (default) or 'iterations'. */
  scaleMode?: 'cycle' | 'iterations';
  /** Cycle momentum (or Adam's β₁) inversely to the lr (default true). */
  cycleMomentum?: boolean;
  /** Momentum at the lr's peak (default 0.8). */
  baseMomentum?: number | number[];
  /** Momentum at the lr's bottom (default 0.9). */
  maxMomentum?: number | number[];
  lastEpoch?: number;
}

/**
 * The cyclical learning-rate policy (Smith; PyTorch's `CyclicLR`): the lr moves linearly between
 * baseLr and maxLr, up over stepSizeUp steps and down over stepSizeDown, with the amplitude scaled
 * by the mode; momentum (or β₁) moves the other way between maxMomentum and baseMomentum. Step it
 * after every batch. Computed from the step count (not chainable, as in PyTorch); construction
 * sets each group's lr (and its `initialLr`) to baseLr. `scaleFn` is not saved in state dicts.
 */
export class CyclicLR extends LRScheduler {
  readonly maxLrs: number[];
  readonly totalSize: number;
  readonly stepRatio: number;
  readonly mode: 'triangular' | 'triangular2' | 'exp_range';
  readonly gamma: number;
  readonly scaleMode: 'cycle' | 'iterations';
  readonly cycleMomentum: boolean;
  readonly baseMomentums: number[];
  readonly maxMomentums: number[];
  private readonly scale: (x: number) => number;

  constructor(optimizer: OptimizerLike, options: CyclicLROptions) {
    super('CyclicLR', optimizer);
    checkOptionKeys(
      this.name,
      options,
      [
        'baseLr',
        'maxLr',
        'stepSizeUp',
        'stepSizeDown',
        'mode',
        'gamma',
        'scaleFn',
        'scaleMode',
        'cycleMomentum',
        'baseMomentum',
        'maxMomentum',
        'lastEpoch',
      ],
      true,
    );
    const groups = optimizer.paramGroups;
    const n = groups.length;
    check(this.name, 'baseLr', options?.baseLr, scalarOrList(NON_NEGATIVE));
    check(this.name, 'maxLr', options.maxLr, scalarOrList(NON_NEGATIVE));
    const baseLrs = perGroup(this.name, 'baseLr', options.baseLr, n);
    this.maxLrs = perGroup(this.name, 'maxLr', options.maxLr, n);
    const up = options.stepSizeUp ?? 2000;
    const down = options.stepSizeDown ?? up;
    check(this.name, 'stepSizeUp', up, POSITIVE_INTEGER);
    check(this.name, 'stepSizeDown', down, POSITIVE_INTEGER);
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.mode = options.mode ?? 'triangular';
    check(this.name, 'mode', this.mode, oneOf('triangular', 'triangular2', 'exp_range'));
    this.gamma = options.gamma ?? 1;
    check(this.name, 'gamma', this.gamma, POSITIVE);
    if (options.scaleFn !== undefined) {
      check(this.name, 'scaleFn', options.scaleFn, FUNCTION);
      this.scale = options.scaleFn;
      this.scaleMode = options.scaleMode ?? 'cycle';
      check(this.name, 'scaleMode', this.scaleMode, oneOf('cycle', 'iterations'));
    } else if (this.mode === 'triangular') {
      this.scale = () => 1;
      this.scaleMode = 'cycle';
    } else if (this.mode === 'triangular2') {
      this.scale = (cycle) => 1 / 2 ** (cycle - 1);
      this.scaleMode = 'cycle';
    } else {
      this.scale = (step) => this.gamma ** step;
      this.scaleMode = 'iterations';
    }
    this.cycleMomentum = options.cycleMomentum ?? true;
    check(this.name, 'cycleMomentum', this.cycleMomentum, BOOLEAN);
    check(this.name, 'baseMomentum', options.baseMomentum ?? 0.8, scalarOrList(UNIT_OPEN));
    check(this.name, 'maxMomentum', options.maxMomentum ?? 0.9, scalarOrList(UNIT_OPEN));
    this.baseMomentums = perGroup(this.name, 'baseMomentum', options.baseMomentum ?? 0.8, n);
    this.maxMomentums = perGroup(this.name, 'maxMomentum', options.maxMomentum ?? 0.9, n);
    const lastEpoch = options.lastEpoch ?? -1;
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.lr = baseLrs[i];
        g.initialLr = baseLrs[i];
      });
    }
    if (this.cycleMomentum) {
      checkCyclableMomentum(this.name, optimizer);
      if (lastEpoch === -1) {
        groups.forEach((g, i) => {
          setMomentum(g, this.maxMomentums[i]);
        });
      }
    }
    this.init(lastEpoch);
    this.baseLrs = baseLrs;
  }

  /** The position in the cycle at `lastEpoch`: [fraction of the amplitude, amplitude scale]. */
  private position(): [number, number] {
    const step = this.lastEpoch;
    const cycle = Math.floor(1 + step / this.totalSize);
    const x = 1 + step / this.totalSize - cycle;
    const height = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.scale(this.scaleMode === 'cycle' ? cycle : step);
    if (!(typeof scale === 'number' && Number.isFinite(scale)))
      throw new ArgumentError(`CyclicLR: scaleFn must return a finite number, got ${scale}`);
    return [height, scale];
  }

  protected computeLrs(): number[] {
    const [height, scale] = this.position();
    if (this.cycleMomentum) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const max = this.maxMomentums[i];
        setMomentum(g, max - (max - this.baseMomentums[i]) * height * scale);
      });
    }
    return this.baseLrs.map((base, i) => base + (this.maxLrs[i] - base) * height * scale);
  }
}
