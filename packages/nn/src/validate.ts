/**
 * The argument checks of nn's public entry points (layer constructors, functional ops, init,
 * loadStateDict): one function per kind of argument, each throwing core's typed errors with a
 * message that names the layer or op, the value it got and what it expected.
 */
import { ArgumentError, DTypeError, Tensor } from '@backprop/core';

/** How a message shows a value the caller passed: `"3" (string)`, `NaN`, `null`, `[1, 2] (array)`. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `${JSON.stringify(value)} (string)`;
  if (typeof value === 'number' || value === null || value === undefined) return String(value);
  if (typeof value === 'bigint') return `${value}n (bigint)`;
  if (typeof value === 'boolean') return `${value} (boolean)`;
  if (Array.isArray(value))
    return `[${value.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ')}] (array)`;
  if (value instanceof Tensor) return `a ${value.dtype} tensor of shape [${value.shape.join(', ')}]`;
  if (typeof value === 'function') return 'a function';
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

/** A layer size: a positive integer (or a non-negative one where `allowZero`). */
export function checkSize(what: string, name: string, n: unknown, allowZero = false): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
    throw new ArgumentError(
      `${what}: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${describe(n)}`,
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
      `${what}: ${name} must be ${kind}${bounds.length ? ` ${bounds.join(' and ')}` : ''}, got ${describe(value)}`,
    );
  }
  return value as number;
}

/** A probability in [0, 1] (or [0, 1) with `excludeOne`). */
export function checkProbability(what: string, name: string, p: unknown, excludeOne = false): number {
  if (typeof p === 'number' && p >= 0 && (excludeOne ? p < 1 : p <= 1)) return p;
  throw new ArgumentError(`${what}: ${name} must be in [0, ${excludeOne ? '1)' : '1]'}, got ${describe(p)}`);
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
    `${what}: ${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describe(value)}`,
  );
}

/** An optional boolean. */
export function checkFlag(what: string, name: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new ArgumentError(`${what}: ${name} must be true or false, got ${describe(value)}`);
}

/** An options argument: absent or a plain object naming only `known` keys (a typo is not ignored). */
export function checkOptions<T extends object>(what: string, options: unknown, known: readonly string[]): T {
  if (options === undefined) return {} as T;
  if (
    options === null ||
    typeof options !== 'object' ||
    Array.isArray(options) ||
    options instanceof Tensor
  ) {
    throw new ArgumentError(`${what}: options must be an object, got ${describe(options)}`);
  }
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new ArgumentError(
      `${what}: unknown option ${unknown.map((k) => `'${k}'`).join(', ')} (expected ${known.map((k) => `'${k}'`).join(', ')})`,
    );
  }
  return options as T;
}

/** A live Tensor (of `dtype` when given). */
export function checkTensor(what: string, name: string, value: unknown, dtype?: Tensor['dtype']): Tensor {
  if (!(value instanceof Tensor)) {
    throw new ArgumentError(`${what}: ${name} must be a Tensor, got ${describe(value)}`);
  }
  if (dtype !== undefined && value.dtype !== dtype)
    throw new DTypeError(`${what}: ${name} must be ${dtype}, got ${value.dtype}`);
  return value;
}
