import type { DType } from '../dtype.js';
import { castPrimitive } from '../primitives/elementwise.js';
import { viewPrimitive } from '../primitives/movement.js';
import type { Tensor } from '../tensor.js';
import { resolveDType } from '../validate.js';
import { assertTensor } from './operands.js';

/** Converts to `dtype` (float→int32 truncates toward zero; anything→bool is `x != 0`). Gradients pass float→float only. */
export function cast(x: Tensor, dtype: DType): Tensor {
  assertTensor('cast', x);
  resolveDType('cast', dtype);
  if (x.dtype === dtype) return viewPrimitive(x, x.shape);
  return castPrimitive(x, dtype);
}

/** A copy with its own data. */
export function clone(x: Tensor): Tensor {
  assertTensor('clone', x);
  return castPrimitive(x, x.dtype);
}
