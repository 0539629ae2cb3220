import { describeValue } from '../describe.js';
import { ArgumentError } from '../errors.js';

/** State of the seeded generator: xoshiro128** words, saved in checkpoints to replay a run. */
export interface GeneratorState {
  readonly s: readonly [number, number, number, number];
}

/**
 * xoshiro128** seeded by splitmix32: small, fast, 32-bit only, and the same numbers on every
 * platform, so the same seed gives the same weights whatever the backend.
 */
export class Generator {
  private s = new Uint32Array(4);

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** Re-seeds from an integer (taken modulo 2³², as the state words are 32-bit). */
  seed(seed: number): void {
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed))
      throw new ArgumentError(`Generator: seed must be a safe integer, got ${describeValue(seed)}`);
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  /** Next uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 random bits. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal by the Box–Muller transform. */
  normal(): number {
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Uniform integer in [low, high). */
  integer(low: number, high: number): number {
    return low + Math.floor(this.uniform() * (high - low));
  }

  getState(): GeneratorState {
    return { s: [this.s[0], this.s[1], this.s[2], this.s[3]] };
  }

  /** Restores a state from `getState()`: four 32-bit unsigned words, not all zero (xoshiro's one dead state). */
  setState(state: GeneratorState): void {
    const words = (state as { s?: unknown } | null | undefined)?.s;
    const valid =
      Array.isArray(words) &&
      words.length === 4 &&
      words.every((w) => typeof w === 'number' && Number.isInteger(w) && w >= 0 && w <= 0xffffffff) &&
      words.some((w) => w !== 0);
    if (!valid) {
      throw new ArgumentError(
        `setRngState: state must be { s: [four 32-bit unsigned integers, not all zero] }, got ${describeState(state)}`,
      );
    }
    this.s.set(words as number[]);
  }
}

function describeState(state: unknown): string {
  if (state === null || typeof state !== 'object') return describeValue(state);
  return `{ s: ${describeValue((state as { s?: unknown }).s)} }`;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The one generator that every random op and layer initialiser draws from. */
export const globalGenerator = new Generator(0);

/** Seeds the global generator: the same seed gives the same numbers on every backend. */
export function manualSeed(seed: number): void {
  globalGenerator.seed(seed);
}

/** Returns the global generator's state (for checkpoints). */
export function getRngState(): GeneratorState {
  return globalGenerator.getState();
}

/** Restores the global generator's state (when resuming). */
export function setRngState(state: GeneratorState): void {
  globalGenerator.setState(state);
}
