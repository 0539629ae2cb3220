import { promoteTypes } from '../dtype.js';
import { DTypeError } from '../errors.js';
import { wherePrimitive } from '../primitives/elementwise.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { binaryOp } from './elementwise.js';
import { assertTensor, scalarLike, type TensorOrScalar, toTensorPair } from './operands.js';

/** a == b elementwise (bool). */
export const eq = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binaryOp('eq', a, b);
/** a != b elementwise (bool). */
export const ne = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binaryOp('ne', a, b);
/** a < b elementwise (bool). */
export const lt = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binaryOp('lt', a, b);
/** a <= b elementwise (bool). */
export const le = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binaryOp('le', a, b);
/** a > b elementwise (bool). */
export const gt = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binaryOp('gt', a, b);
/** a >= b elementwise (bool). */
export const ge = (a: TensorOrScalar, b: TensorOrScalar): Tensor => binaryOp('ge', a, b);

/** Picks `a` where `condition` holds, else `b`; all three broadcast together. */
export function where(condition: Tensor, a: TensorOrScalar, b: TensorOrScalar): Tensor {
  assertTensor('where', condition, 'condition');
  if (condition.dtype !== 'bool')
    throw new DTypeError(`where: condition must be bool, got ${condition.dtype}`);
  // Two number branches become scalars next to the condition (as torch.where(cond, 1.5, -2) does).
  const [x0, y0] = toTensorPair(
    'where',
    typeof a === 'number' && typeof b === 'number' ? scalarLike(a, condition) : a,
    b,
  );
  const dtype = promoteTypes(x0.dtype, y0.dtype);
  const x = x0.dtype === dtype ? x0 : cast(x0, dtype);
  const y = y0.dtype === dtype ? y0 : cast(y0, dtype);
  return wherePrimitive(condition, x, y, broadcastShapes('where', condition.shape, x.shape, y.shape));
}

/** Logical not of a bool tensor. */
export function logicalNot(x: Tensor): Tensor {
  assertTensor('logicalNot', x);
  if (x.dtype !== 'bool') throw new DTypeError(`logicalNot: expected a bool tensor, got ${x.dtype}`);
  return eq(x, 0);
}
