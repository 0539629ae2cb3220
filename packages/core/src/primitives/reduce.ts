/** Forward-only wrappers of the reduction kernels: `reduce` (taped) and `argReduce` (an index, not differentiable). */
import { recordPrimitive } from '../autograd/tape.js';
import type { ArgReduceOp, ReduceOp } from '../backend/backend.js';
import type { Shape } from '../shape.js';
import { type Tensor, tensorInfo } from '../tensor.js';
import { infoAs, runKernel } from './run.js';

/** What the rule of a reduction needs: the reduced axes of the input. */
export interface ReduceAttrs {
  readonly axes: readonly number[];
}

/**
 * The `reduce` kernel over `axes` of `input` (x, or x cast to a summable dtype), taped as made
 * from `x`. The output is wrapped in `outShape` (the reduced shape, with or without kept axes).
 */
export function reducePrimitive(
  op: ReduceOp,
  x: Tensor,
  axes: readonly number[],
  outShape: Shape,
  input: Tensor = x,
): Tensor {
  const dtype = input.dtype;
  const out = runKernel(op, [input], outShape, dtype, (b) => b.reduce(op, tensorInfo(input), axes));
  return recordPrimitive<ReduceAttrs>(`reduce/${op}`, out, [x], { axes });
}

/** The `argReduce` kernel along `axis` of `x` read as `viewShape`, wrapped in `outShape`. */
export function argReducePrimitive(
  op: ArgReduceOp,
  x: Tensor,
  axis: number,
  viewShape: Shape,
  outShape: Shape,
): Tensor {
  return runKernel(op, [x], outShape, 'int32', (b) => b.argReduce(op, infoAs(x, viewShape), axis));
}
