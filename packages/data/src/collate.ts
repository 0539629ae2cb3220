import { ArgumentError, type DType, fromArray, stack, Tensor, type TypedArray } from '@backprop/core';

/** What the default collate makes of a sample type: tensors in the same structure (strings stay strings, in an array). */
export type Collated<T> = T extends Tensor | number | boolean | TypedArray
  ? Tensor
  : T extends string
    ? string[]
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Collated<T[K]> }
      : T extends object
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : never;

/** Options of `defaultCollate`. */
export interface CollateOptions {
  /** Backend to upload to (the active backend when absent). */
  device?: string;
}

function isTypedArray(v: unknown): v is TypedArray {
  return v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint8Array;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof Tensor) return 'Tensor';
  if (isTypedArray(v)) return v.constructor.name;
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * Joins samples into a batch, keeping their structure: numbers become a float32 tensor `[B]`
 * (booleans a bool tensor), typed arrays of one length `L` a tensor `[B, L]` of their dtype (one
 * upload per leaf), tensors are stacked, strings are gathered in an array, and arrays and plain
 * objects are collated position by position and key by key.
 * @example defaultCollate([{ x: new Float32Array([1, 2]), y: 0 }, { x: new Float32Array([3, 4]), y: 1 }]) // { x: [2, 2], y: [2] }
 */
export function defaultCollate<T>(items: readonly T[], options: CollateOptions = {}): Collated<T> {
  if (items.length === 0) throw new ArgumentError('collate: cannot collate an empty batch');
  return collateAt(items as readonly unknown[], 'batch', options) as Collated<T>;
}

function collateAt(items: readonly unknown[], path: string, options: CollateOptions): unknown {
  const first = items[0];
  const kind = typeName(first);
  for (let i = 1; i < items.length; i++) {
    if (typeName(items[i]) !== kind) {
      throw new ArgumentError(
        `collate: ${path} of sample 0 is ${kind} but of sample ${i} is ${typeName(items[i])}`,
      );
    }
  }
  if (first instanceof Tensor) return stack(items as Tensor[], 0);
  if (typeof first === 'number' || typeof first === 'boolean') {
    const dtype: DType = typeof first === 'boolean' ? 'bool' : 'float32';
    const values = dtype === 'bool' ? new Uint8Array(items.length) : new Float32Array(items.length);
    for (let i = 0; i < items.length; i++) values[i] = Number(items[i]);
    return fromArray(values, [items.length], { dtype, device: options.device });
  }
  if (isTypedArray(first)) {
    const len = first.length;
    const out = new (first.constructor as new (n: number) => TypedArray)(items.length * len);
    for (let i = 0; i < items.length; i++) {
      const v = items[i] as TypedArray;
      if (v.length !== len)
        throw new ArgumentError(
          `collate: ${path} of sample 0 has ${len} values but of sample ${i} has ${v.length}`,
        );
      out.set(v, i * len);
    }
    const dtype: DType =
      first instanceof Float32Array ? 'float32' : first instanceof Int32Array ? 'int32' : 'bool';
    return fromArray(out, [items.length, len], { dtype, device: options.device });
  }
  if (typeof first === 'string') return [...(items as string[])];
  if (Array.isArray(first)) {
    for (let i = 1; i < items.length; i++) {
      const len = (items[i] as unknown[]).length;
      if (len !== first.length)
        throw new ArgumentError(
          `collate: ${path} of sample 0 has ${first.length} entries but of sample ${i} has ${len}`,
        );
    }
    return first.map((_, k) =>
      collateAt(
        items.map((item) => (item as unknown[])[k]),
        `${path}[${k}]`,
        options,
      ),
    );
  }
  if (
    first !== null &&
    typeof first === 'object' &&
    (first.constructor === Object || first.constructor === undefined)
  ) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) {
      out[key] = collateAt(
        items.map((item) => {
          if (!(key in (item as object)))
            throw new ArgumentError(`collate: a sample lacks key '${key}' that sample 0 has (at ${path})`);
          return (item as Record<string, unknown>)[key];
        }),
        `${path}.${key}`,
        options,
      );
    }
    return out;
  }
  throw new ArgumentError(`collate: cannot collate ${kind} at ${path}; pass a custom collate function`);
}
