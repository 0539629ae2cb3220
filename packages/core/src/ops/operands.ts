/** The checks and coercions every op runs on its operands before it reaches a primitive. */
import { describeValue } from '../describe.js';
import { type DType, toDTypeArray } from '../dtype.js';
import { makeTensor } from '../engine/make-tensor.js';
import { ArgumentError, DTypeError } from '../errors.js';
import { Tensor, type TensorOrScalar } from '../tensor.js';

export type { TensorOrScalar } from '../tensor.js';

/** A scalar `value` as a tensor on `like`'s backend, in `like`'s dtype unless the value needs float. */
export function scalarLike(value: number, like: Tensor): Tensor {
  const dtype: DType =
    like.dtype === 'float32' || !fitsInt32(value) ? 'float32' : like.dtype === 'bool' ? 'int32' : like.dtype;
  const backend = like.backend;
  return makeTensor(backend, backend.write(toDTypeArray([value], dtype), [], dtype), [], dtype);
}

/** Integers that int32 holds exactly; any other number operand is computed in float32. */
function fitsInt32(value: number): boolean {
  return Number.isInteger(value) && value >= -(2 ** 31) && value <= 2 ** 31 - 1;
}

/** Throws an ArgumentError unless `value` is a live Tensor, naming the op and the argument. */
export function assertTensor(op: string, value: unknown, name = 'input'): asserts value is Tensor {
  if (value instanceof Tensor) return;
  const hint = Array.isArray(value) ? ' (wrap plain arrays with tensor([...]))' : '';
  throw new ArgumentError(`${op}: ${name} must be a Tensor, got ${describeValue(value)}${hint}`);
}

/**
 * The one place a binary op's operands are coerced: tensors pass, a plain number becomes a scalar
 * next to the other operand, and anything else (a string, a plain array, null) is refused with an
 * ArgumentError instead of computing NaN.
 */
export function toTensorPair(op: string, a: TensorOrScalar, b: TensorOrScalar): [Tensor, Tensor] {
  assertOperand(op, a, 'first');
  assertOperand(op, b, 'second');
  if (a instanceof Tensor && b instanceof Tensor) return [a, b];
  if (a instanceof Tensor) return [a, scalarLike(b as number, a)];
  if (b instanceof Tensor) return [scalarLike(a, b), b];
  throw new DTypeError(`${op}: expected at least one tensor operand, got two numbers (${a}, ${b})`);
}

function assertOperand(op: string, value: unknown, which: string): void {
  if (value instanceof Tensor || typeof value === 'number') return;
  const hint = Array.isArray(value) ? ' (wrap plain arrays with tensor([...]))' : '';
  throw new ArgumentError(
    `${op}: ${which} operand must be a Tensor or a number, got ${describeValue(value)}${hint}`,
  );
}

/** Throws unless `t` is a float32 tensor. */
export function assertFloat(op: string, t: Tensor): void {
  assertTensor(op, t);
  if (t.dtype !== 'float32') throw new DTypeError(`${op}: expected a float32 tensor, got ${t.dtype}`);
}
