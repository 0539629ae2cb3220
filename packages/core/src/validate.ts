/**
 * Argument checks shared by core's public entry points: dtype names, plain numbers and option
 * objects. `checkOptions` and `checkBoolean` are exported for the packages built on core, so each
 * kind of argument is validated in one place and every refusal is a typed error that names the op,
 * the value it got and what it expected.
 */
import { describeValue } from './describe.js';
import { DTYPES, type DType } from './dtype.js';
import { ArgumentError, DTypeError } from './errors.js';

/** Largest element count a tensor may have: typed arrays and backends index with 32-bit signed integers. */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Resolves a dtype argument: one of the supported names, or `fallback` when it is undefined. */
export function resolveDType(op: string, dtype: unknown, fallback?: DType): DType {
  if (dtype === undefined && fallback !== undefined) return fallback;
  if (typeof dtype === 'string' && (DTYPES as readonly string[]).includes(dtype)) return dtype as DType;
  throw new DTypeError(
    `${op}: unknown dtype ${describeValue(dtype)} (expected one of ${DTYPES.map((d) => `'${d}'`).join(', ')})`,
  );
}

export interface NumberRule {
  /** Refuse NaN and ±Infinity. */
  finite?: boolean;
  integer?: boolean;
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound. */
  above?: number;
  /** Inclusive upper bound. */
  max?: number;
}

/** Checks a plain-number argument `name` of `op` against `rule`, throwing an ArgumentError that says what was expected. */
export function checkNumber(op: string, name: string, value: unknown, rule: NumberRule = {}): number {
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (!rule.finite || Number.isFinite(value)) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.above === undefined || value > rule.above) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok)
    throw new ArgumentError(`${op}: ${name} must be ${describeRule(rule)}, got ${describeValue(value)}`);
  return value as number;
}

function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? 'an integer' : rule.finite ? 'a finite number' : 'a number';
  const bounds = [
    rule.min !== undefined ? `>= ${rule.min}` : null,
    rule.above !== undefined ? `> ${rule.above}` : null,
    rule.max !== undefined ? `<= ${rule.max}` : null,
  ].filter((b) => b !== null);
  return bounds.length ? `${kind} ${bounds.join(' and ')}` : kind;
}

/**
 * Checks that an options argument is a plain object (or absent) and, when `known` is given, names no
 * option the op does not know (a typo such as `dtpye` would otherwise be ignored silently). A class
 * instance such as a Tensor is refused: it is a misplaced argument, not options.
 */
export function checkOptions<T extends object>(op: string, options: unknown, known?: readonly string[]): T {
  if (options === undefined) return {} as T;
  if (!isPlainObject(options)) {
    throw new ArgumentError(`${op}: options must be an object, got ${describeValue(options)}`);
  }
  const unknown = known ? Object.keys(options).filter((k) => !known.includes(k)) : [];
  if (known && unknown.length > 0) {
    throw new ArgumentError(
      `${op}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')} (expected ${known.map((k) => `'${k}'`).join(', ')})`,
    );
  }
  return options as T;
}

function isPlainObject(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Checks an optional boolean option. */
export function checkBoolean(op: string, name: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new ArgumentError(`${op}: ${name} must be true or false, got ${describeValue(value)}`);
}
