import { isGradEnabled } from '../autograd/grad-mode.js';
import type { Backend, DataId } from '../backend/backend.js';
import { describeValue } from '../describe.js';
import { bytesPerElement, type DType, toDTypeArray } from '../dtype.js';
import { ENGINE } from '../engine/engine.js';
import { ArgumentError, BackendError, DTypeError } from '../errors.js';
import { type Shape, sizeOf } from '../shape.js';
import { type GradNode, Tensor, type TensorOrScalar } from '../tensor.js';

export type { TensorOrScalar } from '../tensor.js';

/** Wraps a kernel's output handle as a new tensor. */
export function makeTensor(backend: Backend, dataId: DataId, shape: Shape, dtype: DType): Tensor {
  const storage = ENGINE.newStorage(backend, dataId, sizeOf(shape) * bytesPerElement(dtype));
  return new Tensor(storage, shape, dtype);
}

/** The backend all `inputs` live on; throws when they disagree, naming the op. */
export function backendOf(op: string, inputs: readonly Tensor[]): Backend {
  for (const [i, t] of inputs.entries()) assertTensor(op, t, inputs.length === 1 ? 'input' : `input ${i}`);
  const backend = inputs[0].backend;
  for (const t of inputs) {
    if (t.backend !== backend) {
      throw new BackendError(
        `${op}: tensors are on different backends ('${backend.name}' and '${t.device}'); move one with .to('${backend.name}')`,
      );
    }
  }
  return backend;
}

/** Runs a kernel on the inputs' backend and wraps its output. */
export function runKernel(
  op: string,
  inputs: readonly Tensor[],
  shape: Shape,
  dtype: DType,
  kernel: (backend: Backend) => DataId,
): Tensor {
  const backend = backendOf(op, inputs);
  return makeTensor(backend, kernel(backend), shape, dtype);
}

/**
 * Records `output` on the tape as made from `inputs` when grad mode is on and some input needs
 * a gradient. `backward` maps the output's gradient to one gradient (or null) per input.
 */
export function record(
  name: string,
  output: Tensor,
  inputs: readonly Tensor[],
  backward: GradNode['backward'],
): Tensor {
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
    output.requiresGrad = true;
    output.gradFn = { name, inputs, backward };
  }
  return output;
}

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
