/** The forward-only taped wrapper of the `matmul` kernel. */
import { recordPrimitive } from '../autograd/tape.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { infoAs, runKernel } from './run.js';

/**
 * How the kernel reads its operands: `a` as `aShape` and `b` as `bShape`, both 3-D [B, rows, cols]
 * of the operands' own sizes (dense data can be read in any shape of its size), each optionally
 * transposed in its last two dimensions.
 */
export interface MatmulAttrs {
  readonly aShape: readonly [number, number, number];
  readonly bShape: readonly [number, number, number];
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

/** The rows and columns of the product of `attrs`' operands: [B, M, N]. */
export function productShape(attrs: MatmulAttrs): [number, number, number] {
  const { aShape, bShape, transposeA, transposeB } = attrs;
  return [aShape[0], transposeA ? aShape[2] : aShape[1], transposeB ? bShape[1] : bShape[2]];
}

/**
 * The `matmul` kernel on float32 `a` and `b` read as `attrs` says; its [B, M, N] output is wrapped
 * in `outShape` (any shape of that size), so no operand or result needs a reshape view.
 */
export function matmulPrimitive(a: Tensor, b: Tensor, attrs: MatmulAttrs, outShape: Shape): Tensor {
  const out = runKernel('matmul', [a, b], outShape, 'float32', (be) =>
    be.matmul(infoAs(a, attrs.aShape), infoAs(b, attrs.bShape), attrs.transposeA, attrs.transposeB),
  );
  return recordPrimitive('kernel/matmul', out, [a, b], attrs);
}
