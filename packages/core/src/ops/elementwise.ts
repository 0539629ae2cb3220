/**
 * The op-level entry of the elementwise kernels: operand checks, dtype promotion and broadcasting,
 * then the primitive. Every unary, binary and comparison op goes through here.
 */
import { type BinaryOp, COMPARISON_OPS, type UnaryOp } from '../backend/backend.js';
import { type DType, promoteTypes } from '../dtype.js';
import { binaryPrimitive, unaryPrimitive } from '../primitives/elementwise.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { assertTensor, type TensorOrScalar, toTensorPair } from './operands.js';

/** Ops that keep integer dtypes; every other unary op computes in float32. */
const INTEGER_SAFE: ReadonlySet<UnaryOp> = new Set(['neg', 'abs', 'sign', 'square', 'relu']);

/** Runs a unary kernel, casting integer input to float32 where the op needs it. */
export function unaryOp(op: UnaryOp, x: Tensor): Tensor {
  assertTensor(op, x);
  const keeps = x.dtype === 'float32' || (INTEGER_SAFE.has(op) && x.dtype === 'int32');
  if (keeps) return unaryPrimitive(op, x);
  const input = cast(x, 'float32');
  const out = unaryPrimitive(op, x, input);
  input.dispose();
  return out;
}

/** Runs a broadcasting binary kernel after promoting both operands to a common dtype (or `computeDtype`). */
export function binaryOp(op: BinaryOp, a: TensorOrScalar, b: TensorOrScalar, computeDtype?: DType): Tensor {
  const [x0, y0] = toTensorPair(op, a, b);
  const dtype = computeDtype ?? promoteTypes(x0.dtype, y0.dtype);
  const x = x0.dtype === dtype ? x0 : cast(x0, dtype);
  const y = y0.dtype === dtype ? y0 : cast(y0, dtype);
  const shape = broadcastShapes(op, x.shape, y.shape);
  return binaryPrimitive(op, x, y, shape, COMPARISON_OPS.has(op) ? 'bool' : dtype);
}
