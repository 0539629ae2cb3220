/** How error messages show a value the caller passed, whatever its type. */

/**
 * A short, readable rendering of any value for an error message: `"1" (string)`, `[1, 2] (array)`,
 * `null`, `a float32 tensor of shape [2, 3]`. Packages building on core use it so that every
 * message shows a bad argument the same way.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `${JSON.stringify(value)} (string)`;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return `${value}n (bigint)`;
  if (typeof value === 'boolean' || typeof value === 'symbol') return `${String(value)} (${typeof value})`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `${describeItem(value, 0)} (array)`;
  if (isTensorLike(value)) return `a ${value.dtype} tensor of shape [${value.shape.join(', ')}]`;
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

// By shape rather than `instanceof Tensor`: tensor.ts imports shape.ts, which uses this module.
function isTensorLike(value: object): value is { dtype: string; shape: readonly number[] } {
  const { dtype, shape } = value as { dtype?: unknown; shape?: unknown };
  return value.constructor?.name === 'Tensor' && typeof dtype === 'string' && Array.isArray(shape);
}

// Nested arrays show two levels and six items per level: enough to recognise a misplaced value.
function describeItem(v: unknown, depth: number): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (!Array.isArray(v)) return String(v);
  if (depth === 2) return '[…]';
  const shown = v.slice(0, 6).map((item) => describeItem(item, depth + 1));
  return `[${shown.join(', ')}${v.length > 6 ? ', …' : ''}]`;
}
