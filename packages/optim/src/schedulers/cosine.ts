import { check, checkOptionKeys, FINITE, NON_NEGATIVE, POSITIVE_INTEGER, type Rule } from '../validate.js';
import { ClosedFormLR, LRScheduler, type OptimizerLike } from './scheduler.js';

export interface CosineAnnealingLROptions {
  /** Epochs of the half cosine (an integer ≥ 1). */
  tMax: number;
  /** Minimum learning rate (default 0). */
  etaMin?: number;
  lastEpoch?: number;
}

/**
 * Cosine annealing from the base lr to etaMin over tMax epochs (PyTorch's `CosineAnnealingLR`);
 * past tMax the cosine continues, rising again. Chained (relative to etaMin):
 * lr ← etaMin + (lr − etaMin)·(1 + cos(πt/T))/(1 + cos(π(t − 1)/T)), and at the bottom of each
 * period (t − 1 − T divisible by 2T) lr ← lr + (base − etaMin)(1 − cos(π/T))/2; closed form
 * lr = etaMin + (base − etaMin)(1 + cos(πt/T))/2.
 */
export class CosineAnnealingLR extends ClosedFormLR {
  readonly tMax: number;
  readonly etaMin: number;
  constructor(optimizer: OptimizerLike, options: CosineAnnealingLROptions) {
    super('CosineAnnealingLR', optimizer);
    checkOptionKeys(this.name, options, ['tMax', 'etaMin', 'lastEpoch'], true);
    check(this.name, 'tMax', options?.tMax, POSITIVE_INTEGER);
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    check(this.name, 'etaMin', this.etaMin, NON_NEGATIVE);
    this.init(options.lastEpoch ?? -1);
  }
  protected chain(lr: number, epoch: number, group: number): number {
    if (this.isInitial) return lr;
    const { tMax: T, etaMin } = this;
    if ((epoch - 1 - T) % (2 * T) === 0) {
      return lr + ((this.baseLrs[group] - etaMin) * (1 - Math.cos(Math.PI / T))) / 2;
    }
    return (
      ((1 + Math.cos((Math.PI * epoch) / T)) / (1 + Math.cos((Math.PI * (epoch - 1)) / T))) * (lr - etaMin) +
      etaMin
    );
  }
  lrAt(epoch: number, base: number): number {
    return this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }
}

export interface CosineAnnealingWarmRestartsOptions {
  /** Epochs of the first period (an integer ≥ 1). */
  t0: number;
  /** Each period is tMult times the previous one (an integer ≥ 1, default 1). */
  tMult?: number;
  /** Minimum learning rate (default 0). */
  etaMin?: number;
  lastEpoch?: number;
}

/**
 * SGDR, cosine annealing with warm restarts (PyTorch's `CosineAnnealingWarmRestarts`):
 * lr = etaMin + (base − etaMin)(1 + cos(π·Tcur/Ti))/2, where Tcur counts epochs since the last
 * restart and the period Ti starts at t0 and is multiplied by tMult at each restart. Computed from
 * the base lr (not chainable, as in PyTorch).
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  readonly t0: number;
  readonly tMult: number;
  readonly etaMin: number;
  /** Epochs since the last restart. */
  tCur = 0;
  /** The current period. */
  tI: number;
  constructor(optimizer: OptimizerLike, options: CosineAnnealingWarmRestartsOptions) {
    super('CosineAnnealingWarmRestarts', optimizer);
    checkOptionKeys(this.name, options, ['t0', 'tMult', 'etaMin', 'lastEpoch'], true);
    check(this.name, 't0', options?.t0, POSITIVE_INTEGER);
    this.t0 = options.t0;
    this.tI = options.t0;
    this.tMult = options.tMult ?? 1;
    this.etaMin = options.etaMin ?? 0;
    check(this.name, 'tMult', this.tMult, POSITIVE_INTEGER);
    check(this.name, 'etaMin', this.etaMin, NON_NEGATIVE);
    this.init(options.lastEpoch ?? -1);
  }

  /** Counts the epoch into the current period, restarting when it is full (the initial step locates the epoch). */
  protected computeLrs(): number[] {
    if (this.isInitial) this.locate(this.lastEpoch);
    else {
      this.tCur += 1;
      if (this.tCur >= this.tI) {
        this.tCur %= this.tI;
        this.tI *= this.tMult;
      }
    }
    return this.lrs();
  }

  protected override closedFormLrs(): number[] {
    this.locate(this.lastEpoch);
    return this.lrs();
  }

  /** Sets tCur and tI for `epoch` from t0 and tMult. */
  private locate(epoch: number): void {
    const { t0, tMult } = this;
    if (epoch < t0) {
      this.tI = t0;
      this.tCur = epoch;
    } else if (tMult === 1) {
      this.tI = t0;
      this.tCur = epoch % t0;
    } else {
      const n = Math.floor(Math.log((epoch / t0) * (tMult - 1) + 1) / Math.log(tMult));
      this.tCur = epoch - (t0 * (tMult ** n - 1)) / (tMult - 1);
      this.tI = t0 * tMult ** n;
    }
  }

  private lrs(): number[] {
    const factor = (1 + Math.cos((Math.PI * this.tCur) / this.tI)) / 2;
    return this.baseLrs.map((base) => this.etaMin + (base - this.etaMin) * factor);
  }

  protected override extraState(): Record<string, unknown> {
    return { tCur: this.tCur, tI: this.tI };
  }
  protected override extraStateRules(): Record<string, Rule> {
    return { tCur: FINITE, tI: FINITE };
  }
  protected override loadExtraState(s: Record<string, unknown>): void {
    this.tCur = s.tCur as number;
    this.tI = s.tI as number;
  }
}
