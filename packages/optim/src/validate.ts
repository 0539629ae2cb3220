import { ArgumentError, describeValue } from '@backprop/core';

/**
 * What an option must be: a test and the words for it in an error message. Every optimizer and
 * scheduler checks its hyper-parameters with these at construction (and again when a state dict
 * brings options back), so a bad value fails early with `Owner: option must be …, got …`.
 */
export interface Rule {
  /** The expectation, as it reads after "must be" (`'a finite number ≥ 0'`). */
  readonly expected: string;
  test(value: unknown): boolean;
  /** For a pair such as betas: the rule of each element, so a message can name the element. */
  readonly pairItem?: Rule;
}

const isNumber = (v: unknown): v is number => typeof v === 'number';
const isFiniteNumber = (v: unknown): v is number => isNumber(v) && Number.isFinite(v);

/** A rule from its description and test. */
export function rule(expected: string, test: (value: unknown) => boolean): Rule {
  return { expected, test };
}

/** A finite number in a range; `open` excludes that end. */
export function inRange(low: number, high: number, open: { low?: boolean; high?: boolean } = {}): Rule {
  const lo = open.low ? '(' : '[';
  const hi = open.high ? ')' : ']';
  const fmt = (v: number) => (v === Number.POSITIVE_INFINITY ? '∞' : String(v));
  return rule(
    `a number in ${lo}${fmt(low)}, ${fmt(high)}${hi}`,
    (v) =>
      isNumber(v) &&
      !Number.isNaN(v) &&
      (open.low ? v > low : v >= low) &&
      (open.high ? v < high : v <= high),
  );
}

/** Learning rates, weight decay, momentum, …: a finite number ≥ 0. */
export const NON_NEGATIVE = rule('a finite number ≥ 0', (v) => isFiniteNumber(v) && v >= 0);
/** eps and other strictly positive constants. */
export const POSITIVE = rule('a finite number > 0', (v) => isFiniteNumber(v) && v > 0);
/** Any finite number. */
export const FINITE = rule('a finite number', isFiniteNumber);
/** Decay rates such as Adam's betas: [0, 1). */
export const UNIT_OPEN = inRange(0, 1, { high: true });
/** Smoothing constants and factors that may reach 1: [0, 1]. */
export const UNIT = inRange(0, 1);
export const BOOLEAN = rule('a boolean', (v) => typeof v === 'boolean');
export const POSITIVE_INTEGER = rule('an integer ≥ 1', (v) => Number.isSafeInteger(v) && (v as number) >= 1);
export const NON_NEGATIVE_INTEGER = rule(
  'an integer ≥ 0',
  (v) => Number.isSafeInteger(v) && (v as number) >= 0,
);
/** A scheduler's `lastEpoch`: −1 for a fresh start, else the epoch to resume after. */
export const LAST_EPOCH = rule('an integer ≥ −1', (v) => Number.isSafeInteger(v) && (v as number) >= -1);
export const FUNCTION = rule('a function', (v) => typeof v === 'function');

/** One of the given strings. */
export function oneOf(...values: string[]): Rule {
  return rule(
    `one of ${values.map((v) => `'${v}'`).join(', ')}`,
    (v) => typeof v === 'string' && values.includes(v),
  );
}

/** A list of exactly `length` values, each passing `item`. */
export function tuple(length: number, item: Rule): Rule {
  return rule(
    `${length} values, each ${item.expected}`,
    (v) => Array.isArray(v) && v.length === length && v.every((x) => item.test(x)),
  );
}

/** Two values, each passing `item` (betas, etas); {@link check} names the bad element. */
export function pair(item: Rule): Rule {
  return { ...tuple(2, item), pairItem: item };
}

/** A list of values (possibly empty), each passing `item`. */
export function listOf(item: Rule): Rule {
  return rule(
    `an array, each value ${item.expected}`,
    (v) => Array.isArray(v) && v.every((x) => item.test(x)),
  );
}

/** Either one value passing `item` or one per group (an array of them). */
export function scalarOrList(item: Rule): Rule {
  return rule(
    `${item.expected}, or an array of them`,
    (v) => item.test(v) || (Array.isArray(v) && v.every((x) => item.test(x))),
  );
}

/** Throws `ArgumentError('<owner>: <option> must be <expected>, got <value>')` unless `value` passes `rule`. */
export function check(owner: string, option: string, value: unknown, r: Rule): void {
  if (r.pairItem) {
    checkPair(owner, option, value, r.pairItem);
    return;
  }
  if (!r.test(value))
    throw new ArgumentError(`${owner}: ${option} must be ${r.expected}, got ${describeValue(value)}`);
}

/**
 * Checks a pair such as betas or etas element by element, so the message names the element:
 * `Adam: betas[1] must be a number in [0, 1), got 1`.
 */
export function checkPair(owner: string, option: string, value: unknown, item: Rule): void {
  if (!Array.isArray(value) || value.length !== 2)
    throw new ArgumentError(`${owner}: ${option} must be an array of 2 numbers, got ${describeValue(value)}`);
  value.forEach((v, i) => {
    check(owner, `${option}[${i}]`, v, item);
  });
}

/** A plain object (not null, not an array): what options and state dicts are. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Throws unless `options` is a plain object whose keys are all in `known` (or undefined, when no
 * option is `required`).
 */
export function checkOptionKeys(
  owner: string,
  options: unknown,
  known: readonly string[],
  required = false,
): void {
  if (options === undefined && !required) return;
  if (!isRecord(options))
    throw new ArgumentError(`${owner}: options must be an object, got ${describeValue(options)}`);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ArgumentError(
        `${owner}: unknown option '${key}' (expected one of ${known.map((k) => `'${k}'`).join(', ')})`,
      );
    }
  }
}
