import { describeValue } from './describe.js';
import { ArgumentError } from './errors.js';

/** Element types. `bool` holds 0 or 1 (the result of comparisons). */
export type DType = 'float32' | 'int32' | 'bool';

/** The typed array that holds each dtype's elements when they are read back. */
export interface DTypeArrays {
  float32: Float32Array;
  int32: Int32Array;
  bool: Uint8Array;
}

export type TypedArray = Float32Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

export function bytesPerElement(dtype: DType): number {
  return dtype === 'bool' ? 1 : 4;
}

/** A new zero-filled array for `size` elements of `dtype`. */
export function allocArray(dtype: DType, size: number): TypedArray {
  if (dtype === 'float32') return new Float32Array(size);
  if (dtype === 'int32') return new Int32Array(size);
  return new Uint8Array(size);
}

/**
 * Copies `values` into an array of `dtype` from `allocate` (a new one by default). Nothing is
 * converted silently: every value must be a number that `dtype` holds exactly (an int32 integer, 0
 * or 1 for bool; float32 takes any number), otherwise an ArgumentError names `op`, the value, its
 * position and the dtype's range, and nothing is allocated.
 */
export function toDTypeArray(
  values: ArrayLike<number>,
  dtype: DType,
  op = 'toDTypeArray',
  allocate: (dtype: DType, size: number) => TypedArray = allocArray,
): TypedArray {
  if (dtype !== 'float32' || !isNumberTypedArray(values)) {
    for (let i = 0; i < values.length; i++) {
      const problem = valueProblem(values[i], dtype);
      if (problem !== null) {
        const where = values.length === 1 ? 'value' : `value at index ${i}`;
        throw new ArgumentError(
          `${op}: ${where} ${describeValue(values[i])} ${problem}, so it cannot be stored as ${dtype} (expected ${EXPECTED_VALUES[dtype]})`,
        );
      }
    }
  }
  const out = allocate(dtype, values.length);
  out.set(values);
  return out;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

const EXPECTED_VALUES: Record<DType, string> = {
  float32: 'numbers',
  int32: `integers in ${INT32_MIN}..${INT32_MAX}`,
  bool: '0, 1, true or false',
};

/** Why `value` cannot be stored in `dtype` exactly, or null when it can (float32 takes NaN and ±Infinity too). */
function valueProblem(value: unknown, dtype: DType): string | null {
  if (typeof value !== 'number') return 'is not a number';
  if (dtype === 'int32') {
    if (!Number.isInteger(value)) return 'is not an integer';
    if (value < INT32_MIN || value > INT32_MAX) return 'is outside the int32 range';
  } else if (dtype === 'bool' && value !== 0 && value !== 1) return 'is not 0 or 1';
  return null;
}

function isNumberTypedArray(values: ArrayLike<number>): boolean {
  return ArrayBuffer.isView(values) && !(values instanceof BigInt64Array || values instanceof BigUint64Array);
}

/** The dtype two operands are computed in: float32 wins over int32, int32 over bool. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === 'float32' || b === 'float32') return 'float32';
  if (a === 'int32' || b === 'int32') return 'int32';
  return 'bool';
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32';
}
