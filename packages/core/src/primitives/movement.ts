/**
 * Forward-only taped wrappers of the movement and indexing kernels (`transpose`, `broadcastTo`,
 * `slice`, `concat`, `gather`, `indexAdd`) and of the one op that runs no kernel: a reshape view.
 */
import { recordPrimitive } from '../autograd/tape.js';
import { ENGINE } from '../engine/engine.js';
import { inheritIndexChecks } from '../engine/index-checks.js';
import type { Shape } from '../shape.js';
import { Tensor, tensorInfo, tensorStorage } from '../tensor.js';
import { infoAs, runKernel } from './run.js';

/** A tensor of `shape` over `x`'s data (same element count): no kernel, no copy. */
export function viewPrimitive(x: Tensor, shape: Shape): Tensor {
  const storage = tensorStorage(x);
  ENGINE.retainStorage(storage);
  const view = inheritIndexChecks(new Tensor(storage, shape, x.dtype), [x]);
  return recordPrimitive('view/reshape', view, [x], undefined);
}

export interface TransposeAttrs {
  readonly perm: readonly number[];
}

/** The `transpose` kernel: output axis i is input axis `perm[i]`. */
export function transposePrimitive(x: Tensor, perm: readonly number[]): Tensor {
  const shape = perm.map((a) => x.shape[a]);
  const out = runKernel('permute', [x], shape, x.dtype, (b) => b.transpose(tensorInfo(x), perm));
  return recordPrimitive<TransposeAttrs>('kernel/transpose', out, [x], { perm });
}

/** The `broadcastTo` kernel. */
export function broadcastPrimitive(x: Tensor, shape: Shape): Tensor {
  const out = runKernel('broadcastTo', [x], shape, x.dtype, (b) => b.broadcastTo(tensorInfo(x), shape));
  return recordPrimitive('kernel/broadcastTo', out, [x], undefined);
}

export interface SliceAttrs {
  readonly begin: readonly number[];
  readonly step: readonly number[];
}

/** The strided `slice` kernel. */
export function slicePrimitive(
  x: Tensor,
  begin: readonly number[],
  step: readonly number[],
  shape: Shape,
): Tensor {
  const out = runKernel('slice', [x], shape, x.dtype, (b) => b.slice(tensorInfo(x), begin, step, shape));
  return recordPrimitive<SliceAttrs>('kernel/slice', out, [x], { begin, step });
}

export interface AxisAttrs {
  readonly axis: number;
}

/** The `concat` kernel along `axis`. */
export function concatPrimitive(xs: readonly Tensor[], axis: number, shape: Shape): Tensor {
  const out = runKernel('concat', xs, shape, xs[0].dtype, (b) =>
    b.concat(
      xs.map((t) => tensorInfo(t)),
      axis,
    ),
  );
  return recordPrimitive<AxisAttrs>('kernel/concat', out, xs, { axis });
}

export interface IndexAttrs {
  readonly axis: number;
  /** The int32 indices (1-D, checked), kept for the gradient. */
  readonly indices: Tensor;
}

/**
 * The `gather` kernel along `axis` at int32 `indices` of any shape (read as 1-D), its output
 * wrapped in `shape` (`x.shape[:axis] + indices.shape + x.shape[axis+1:]`).
 */
export function gatherPrimitive(x: Tensor, indices: Tensor, axis: number, shape: Shape): Tensor {
  const out = runKernel('gather', [x, indices], shape, x.dtype, (b) =>
    b.gather(tensorInfo(x), infoAs(indices, [indices.size]), axis),
  );
  return recordPrimitive<IndexAttrs>('kernel/gather', out, [x], { axis, indices });
}

/** The `indexAdd` kernel: `x` with slice j of `source` along `axis` added into slice `indices[j]` (1-D). */
export function indexAddPrimitive(x: Tensor, axis: number, indices: Tensor, source: Tensor): Tensor {
  const out = runKernel('indexAdd', [x, indices, source], x.shape, x.dtype, (b) =>
    b.indexAdd(tensorInfo(x), axis, tensorInfo(indices), tensorInfo(source)),
  );
  return recordPrimitive<IndexAttrs>('kernel/indexAdd', out, [x, source], { axis, indices });
}
