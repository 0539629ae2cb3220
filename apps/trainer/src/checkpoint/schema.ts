/**
 * A tiny declarative validator for JSON read from files: each `Check` takes a value and the path
 * of the field it sits at, and returns the value (typed) or throws a `CheckpointError` whose one
 * line names the field, shows the value and says what was expected. Small on purpose: the
 * checkpoint schema is the only user, and a dependency would weigh more than these functions.
 */
import { CheckpointError } from './safetensors.js';

/** Checks one value found at `field` (`model.hidden[0]`); returns it, typed, or throws. */
export type Check<T> = (value: unknown, field: string) => T;

/** The value each check of an object's fields returns, by field. */
type Checked<F> = { [K in keyof F]: F[K] extends Check<infer T> ? T : never };

/** A short rendering of a bad value for a message: JSON, cut to 60 characters. */
export function show(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Throws the one-line error for a field whose value is not what was expected. */
export function fail(field: string, value: unknown, expected: string): never {
  throw new CheckpointError(`metadata field '${field}' is ${show(value)}: expected ${expected}`);
}

/** A finite number within bounds (`integer` for whole numbers). */
export function number(
  bounds: { min?: number; max?: number; minExclusive?: boolean; integer?: boolean } = {},
): Check<number> {
  const { min, max, minExclusive = false, integer = false } = bounds;
  const words = [integer ? 'an integer' : 'a finite number'];
  if (min !== undefined) words.push(`${minExclusive ? '>' : '>='} ${min}`);
  if (max !== undefined) words.push(`${min !== undefined ? 'and ' : ''}<= ${max}`);
  const expected = words.join(' ');
  return (value, field) => {
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (!integer || Number.isSafeInteger(value)) &&
      (min === undefined || (minExclusive ? value > min : value >= min)) &&
      (max === undefined || value <= max);
    return ok ? (value as number) : fail(field, value, expected);
  };
}

/** An integer in [min, max]. */
export function integer(min: number, max: number): Check<number> {
  return number({ min, max, integer: true });
}

/** A 32-bit unsigned integer (a generator's state word, a seed). */
export const uint32 = integer(0, 0xffffffff);

/** A number, or null where JSON wrote a NaN (a diverged loss); returned as NaN. */
export function numberOrNaN(check: Check<number>): Check<number> {
  return (value, field) => (value === null ? Number.NaN : check(value, field));
}

/** `fallback` where the field is missing (written before the field existed), else what `check` accepts. */
export function withDefault<T>(check: Check<T>, fallback: T): Check<T> {
  return (value, field) => (value === undefined ? fallback : check(value, field));
}

/** A string of at most `maxLength` characters, optionally matching `pattern` (described as `what`). */
export function string(options: { maxLength?: number; pattern?: RegExp; what?: string } = {}): Check<string> {
  const { maxLength = 4096, pattern, what } = options;
  const expected = what ?? `a string of at most ${maxLength} characters`;
  return (value, field) =>
    typeof value === 'string' && value.length <= maxLength && (pattern === undefined || pattern.test(value))
      ? value
      : fail(field, value, expected);
}

/** One of the listed strings. */
export function oneOf<const T extends string>(choices: readonly T[]): Check<T> {
  return (value, field) =>
    typeof value === 'string' && (choices as readonly string[]).includes(value)
      ? (value as T)
      : fail(field, value, `one of: ${choices.join(', ')}`);
}

/** Exactly this value. */
export function literal<const T extends string | number | boolean>(expected: T): Check<T> {
  return (value, field) => (value === expected ? expected : fail(field, value, show(expected)));
}

/** true or false. */
export const boolean: Check<boolean> = (value, field) =>
  typeof value === 'boolean' ? value : fail(field, value, 'true or false');

/** null, or what `check` accepts. */
export function nullable<T>(check: Check<T>): Check<T | null> {
  return (value, field) => (value === null ? null : check(value, field));
}

/** An array whose length is within bounds (or exactly `length`), every item checked. */
export function array<T>(
  item: Check<T>,
  bounds: { min?: number; max?: number; length?: number } = {},
): Check<T[]> {
  const { length } = bounds;
  const min = length ?? bounds.min ?? 0;
  const max = length ?? bounds.max ?? 1_000_000;
  const expected =
    min === max ? `an array of ${min} items` : `an array of ${min} to ${max.toLocaleString('en-US')} items`;
  return (value, field) => {
    if (!Array.isArray(value) || value.length < min || value.length > max) fail(field, value, expected);
    return (value as unknown[]).map((v, i) => item(v, `${field}[${i}]`));
  };
}

/** A JSON object (not null, not an array). */
function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An object with exactly these fields (a missing or unknown field is an error). */
export function object<F extends Record<string, Check<unknown>>>(fields: F): Check<Checked<F>> {
  const names = Object.keys(fields);
  return (value, field) => {
    if (!isObject(value)) fail(field, value, `an object with ${names.join(', ')}`);
    const record = value as Record<string, unknown>;
    const extra = Object.keys(record).find((k) => !Object.hasOwn(fields, k));
    if (extra !== undefined)
      fail(`${field}.${extra}`, record[extra], `no such field (allowed: ${names.join(', ')})`);
    const out: Record<string, unknown> = {};
    for (const name of names) out[name] = fields[name](record[name], `${field}.${name}`);
    return out as Checked<F>;
  };
}

/** An object used as a map: every key matches `key` (described as `what`), every value `item`. */
export function record<T>(
  key: RegExp,
  what: string,
  item: Check<T>,
  maxKeys = 100_000,
): Check<Record<string, T>> {
  return (value, field) => {
    if (!isObject(value)) fail(field, value, `an object whose keys are ${what}`);
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length > maxKeys) fail(field, value, `at most ${maxKeys} keys`);
    const out: Record<string, T> = {};
    for (const [k, v] of entries) {
      if (!key.test(k)) fail(`${field}.${k}`, v, `no such key (keys are ${what})`);
      out[k] = item(v, `${field}.${k}`);
    }
    return out;
  };
}

/** What `check` accepts, then a rule on the result (`rule` returns a description of what is expected, or null). */
export function refine<T>(check: Check<T>, rule: (value: T) => string | null): Check<T> {
  return (value, field) => {
    const checked = check(value, field);
    const expected = rule(checked);
    return expected === null ? checked : fail(field, value, expected);
  };
}
