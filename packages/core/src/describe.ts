/** How error messages show a value the caller passed, whatever its type. */

/** A short, readable rendering of any value for an error message: `'1' (string)`, `[1, 2] (array)`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `${JSON.stringify(value)} (string)`;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return `${value}n (bigint)`;
  if (typeof value === 'boolean' || typeof value === 'symbol') return `${String(value)} (${typeof value})`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) {
    const shown =
      value.length > 6
        ? `${value.slice(0, 6).map(describeItem).join(', ')}, …`
        : value.map(describeItem).join(', ');
    return `[${shown}] (array)`;
  }
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

function describeItem(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? '[…]' : String(v);
}
