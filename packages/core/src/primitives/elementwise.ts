/** Forward-only taped wrappers of the elementwise kernels: `unary`, `binary`, `where`, `cast`. */
import { recordPrimitive } from '../autograd/tape.js';
import { type BinaryOp, COMPARISON_OPS, type UnaryOp } from '../backend/backend.js';
import type { DType } from '../dtype.js';
import type { Shape } from '../shape.js';
import { type Tensor, tensorInfo } from '../tensor.js';
import { runKernel } from './run.js';

/** The `unary` kernel on `input` (x itself, or x already cast to the kernel's dtype); taped as made from `x`. */
export function unaryPrimitive(op: UnaryOp, x: Tensor, input: Tensor = x): Tensor {
  const out = runKernel(op, [input], input.shape, input.dtype, (b) => b.unary(op, tensorInfo(input)));
  return recordPrimitive(`unary/${op}`, out, [x], undefined);
}

/** The `binary` kernel on operands of one dtype, broadcast to `shape`. Comparisons are not taped (bool output). */
export function binaryPrimitive(op: BinaryOp, a: Tensor, b: Tensor, shape: Shape, outDtype: DType): Tensor {
  const out = runKernel(op, [a, b], shape, outDtype, (be) =>
    be.binary(op, tensorInfo(a), tensorInfo(b), shape, outDtype),
  );
  return COMPARISON_OPS.has(op) ? out : recordPrimitive(`binary/${op}`, out, [a, b], undefined);
}

/** The `where` kernel: `a` where `condition`, else `b` (one dtype), broadcast to `shape`. */
export function wherePrimitive(condition: Tensor, a: Tensor, b: Tensor, shape: Shape): Tensor {
  const out = runKernel('where', [condition, a, b], shape, a.dtype, (be) =>
    be.where(tensorInfo(condition), tensorInfo(a), tensorInfo(b), shape),
  );
  return recordPrimitive('kernel/where', out, [condition, a, b], undefined);
}

/** The `cast` kernel (to the same dtype it is a copy). Taped float→float only: an integer or bool result has no gradient. */
export function castPrimitive(x: Tensor, dtype: DType): Tensor {
  const out = runKernel('cast', [x], x.shape, dtype, (b) => b.cast(tensorInfo(x), dtype));
  return x.dtype === 'float32' && dtype === 'float32'
    ? recordPrimitive('kernel/cast', out, [x], undefined)
    : out;
}
