/**
 * The argument checks data's public entry points share: how a bad value is shown, option objects
 * (a misspelt option is refused, not ignored), flags, and tensors. Errors are core's typed ones.
 */
import { ArgumentError, Tensor } from '@backprop/core';

/** How a message shows a value the caller passed: `"3" (string)`, `NaN`, `null`, `[1, 2] (array)`. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `${JSON.stringify(value)} (string)`;
  if (typeof value === 'number' || value === null || value === undefined) return String(value);
  if (typeof value === 'boolean') return `${value} (boolean)`;
  if (typeof value === 'bigint') return `${value}n (bigint)`;
  if (Array.isArray(value))
    return `[${value.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ')}] (array)`;
  if (value instanceof Tensor) return `a ${value.dtype} tensor of shape [${value.shape.join(', ')}]`;
  if (typeof value === 'function') return 'a function';
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

/** An options argument: absent or a plain object naming only `known` keys. */
export function checkOptions<T extends object>(op: string, options: unknown, known: readonly string[]): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ArgumentError(`${op}: options must be an object, got ${describe(options)}`);
  }
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new ArgumentError(
      `${op}: unknown option ${unknown.map((k) => `'${k}'`).join(', ')} (expected ${known.map((k) => `'${k}'`).join(', ')})`,
    );
  }
  return options as T;
}

/** An optional boolean option. */
export function checkFlag(op: string, name: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new ArgumentError(`${op}: ${name} must be true or false, got ${describe(value)}`);
}

/** A live Tensor. */
export function checkTensor(op: string, name: string, value: unknown): Tensor {
  if (value instanceof Tensor) return value;
  throw new ArgumentError(`${op}: ${name} must be a Tensor, got ${describe(value)}`);
}
