/**
 * The argument checks of nn's public entry points (layer constructors, functional ops, init,
 * loadStateDict): one function per kind of argument, each throwing core's typed errors with a
 * message that names the layer or op, the value it got and what it expected.
 */
import { ArgumentError, DTypeError, describeValue, Tensor } from '@backprop/core';

/** A layer size: a positive integer (or a non-negative one where `allowZero`). */
export function checkSize(what: string, name: string, n: unknown, allowZero = false): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
    throw new ArgumentError(
      `${what}: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${describeValue(n)}`,
    );
  }
  return n;
}

export interface RealRule {
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound. */
  above?: number;
  /** Inclusive upper bound. */
  max?: number;
  /** Exclusive upper bound. */
  below?: number;
  integer?: boolean;
}

/** A finite number (NaN and ±Infinity refused) within the rule's bounds. */
export function checkReal(what: string, name: string, value: unknown, rule: RealRule = {}): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.above === undefined || value > rule.above) &&
    (rule.max === undefined || value <= rule.max) &&
    (rule.below === undefined || value < rule.below);
  if (!ok) {
    const bounds = [
      rule.min !== undefined && `>= ${rule.min}`,
      rule.above !== undefined && `> ${rule.above}`,
      rule.max !== undefined && `<= ${rule.max}`,
      rule.below !== undefined && `< ${rule.below}`,
    ].filter(Boolean);
    const kind = rule.integer ? 'an integer' : 'a finite number';
    throw new ArgumentError(
      `${what}: ${name} must be ${kind}${bounds.length ? ` ${bounds.join(' and ')}` : ''}, got ${describeValue(value)}`,
    );
  }
  return value as number;
}

/** A probability in [0, 1] (or [0, 1) with `excludeOne`). */
export function checkProbability(what: string, name: string, p: unknown, excludeOne = false): number {
  if (typeof p === 'number' && p >= 0 && (excludeOne ? p < 1 : p <= 1)) return p;
  throw new ArgumentError(
    `${what}: ${name} must be in [0, ${excludeOne ? '1)' : '1]'}, got ${describeValue(p)}`,
  );
}

/** One of a fixed set of names. */
export function checkChoice<T extends string>(
  what: string,
  name: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw new ArgumentError(
    `${what}: ${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describeValue(value)}`,
  );
}

/** A live Tensor (of `dtype` when given). */
export function checkTensor(what: string, name: string, value: unknown, dtype?: Tensor['dtype']): Tensor {
  if (!(value instanceof Tensor)) {
    throw new ArgumentError(`${what}: ${name} must be a Tensor, got ${describeValue(value)}`);
  }
  if (dtype !== undefined && value.dtype !== dtype)
    throw new DTypeError(`${what}: ${name} must be ${dtype}, got ${value.dtype}`);
  return value;
}
