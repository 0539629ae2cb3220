import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { resolveDType } from '../validate.js';
import { assertTensor, record, runKernel } from './kernel.js';
import { reshape } from './movement.js';

/** Converts to `dtype` (float→int32 truncates toward zero; anything→bool is `x != 0`). Gradients pass float→float only. */
export function cast(x: Tensor, dtype: DType): Tensor {
  assertTensor('cast', x);
  resolveDType('cast', dtype);
  if (x.dtype === dtype) return reshape(x, x.shape);
  const out = runKernel('cast', [x], x.shape, dtype, (b) => b.cast(x.info(), dtype));
  return out;
}

/** A copy with its own data. */
export function clone(x: Tensor): Tensor {
  const out = runKernel('clone', [x], x.shape, x.dtype, (b) => b.cast(x.info(), x.dtype));
  return record('clone', out, [x], (g) => [g]);
}
