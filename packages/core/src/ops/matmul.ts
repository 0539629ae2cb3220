import { ShapeError } from '../errors.js';
import { type MatmulAttrs, matmulPrimitive } from '../primitives/matmul.js';
import { broadcastShapes, formatShape, type Shape, shapesEqual, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { broadcastTo, reshape } from './movement.js';
import { assertFloat, assertTensor } from './operands.js';

/**
 * Batched product of 3-D float32 tensors, [B, M, K] × [B, K, N] → [B, M, N], either operand
 * optionally transposed in its last two dimensions. The primitive `matmul` is built on.
 */
export function batchMatmul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  assertFloat('batchMatmul', a);
  assertFloat('batchMatmul', b);
  if (a.rank !== 3 || b.rank !== 3 || a.shape[0] !== b.shape[0]) {
    throw new ShapeError(
      `batchMatmul: expected 3-D tensors with equal batch sizes, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const attrs: MatmulAttrs = {
    aShape: [a.shape[0], a.shape[1], a.shape[2]],
    bShape: [b.shape[0], b.shape[1], b.shape[2]],
    transposeA,
    transposeB,
  };
  const [batch, m, k] = transposeA ? [a.shape[0], a.shape[2], a.shape[1]] : a.shape;
  const [kb, n] = transposeB ? [b.shape[2], b.shape[1]] : [b.shape[1], b.shape[2]];
  if (k !== kb) {
    throw new ShapeError(
      `batchMatmul: shapes cannot be multiplied (${m}x${k} and ${kb}x${n}; inputs ${formatShape(a.shape)}${transposeA ? 'ᵀ' : ''} and ${formatShape(b.shape)}${transposeB ? 'ᵀ' : ''})`,
    );
  }
  return matmulPrimitive(a, b, attrs, [batch, m, n]);
}

/**
 * Matrix product with NumPy/PyTorch semantics: 1-D · 1-D is a dot product, a 1-D operand is
 * treated as a row (left) or column (right) vector, and leading batch dimensions broadcast.
 * The kernel reads both operands in the 3-D shapes it needs: only batch dimensions that really
 * broadcast are copied, and a batched left operand times a matrix is one [B·M, K] × [K, N] product.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  assertTensor('matmul', a, 'first operand');
  assertTensor('matmul', b, 'second operand');
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError(
      `matmul: both arguments need at least 1 dimension, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const x = a.dtype === 'float32' ? a : cast(a, 'float32');
  const y = b.dtype === 'float32' ? b : cast(b, 'float32');
  const [m, k] = x.rank === 1 ? [1, x.shape[0]] : x.shape.slice(-2);
  const [kb, n] = y.rank === 1 ? [y.shape[0], 1] : y.shape.slice(-2);
  if (k !== kb) {
    const label =
      a.rank <= 2 && b.rank <= 2 ? 'mat1 and mat2' : `${formatShape(a.shape)} and ${formatShape(b.shape)}:`;
    throw new ShapeError(`matmul: ${label} shapes cannot be multiplied (${m}x${k} and ${kb}x${n})`);
  }
  const batchShape = broadcastShapes('matmul', x.shape.slice(0, -2), y.shape.slice(0, -2));
  const outShape = [...batchShape];
  if (a.rank > 1) outShape.push(m);
  if (b.rank > 1) outShape.push(n);
  if (y.rank <= 2) {
    // [..., M, K] × [K, N]: the batch folds into the rows of one product.
    const rows = sizeOf(batchShape) * m;
    return matmulPrimitive(x, y, { aShape: [1, rows, k], bShape: [1, k, n], ...NO_TRANSPOSE }, outShape);
  }
  const batch = sizeOf(batchShape);
  const left = withBatch(x, batchShape, [m, k]);
  const right = withBatch(y, batchShape, [k, n]);
  return matmulPrimitive(
    left,
    right,
    { aShape: [batch, m, k], bShape: [batch, k, n], ...NO_TRANSPOSE },
    outShape,
  );
}

const NO_TRANSPOSE = { transposeA: false, transposeB: false } as const;

/** `t` (read as [...its batch, rows, cols]) with its batch broadcast to `batchShape`: itself when it already has it. */
function withBatch(t: Tensor, batchShape: Shape, matrix: readonly [number, number]): Tensor {
  const own = t.rank <= 2 ? [] : t.shape.slice(0, -2);
  if (shapesEqual(own, batchShape)) return t;
  return broadcastTo(t.rank === 1 ? reshape(t, matrix) : t, [...batchShape, ...matrix]);
}

/** Dot product of two 1-D tensors. */
export function dot(a: Tensor, b: Tensor): Tensor {
  assertTensor('dot', a, 'first operand');
  assertTensor('dot', b, 'second operand');
  if (a.rank !== 1 || b.rank !== 1 || a.shape[0] !== b.shape[0]) {
    throw new ShapeError(
      `dot: expected two 1-D tensors of equal length, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  return matmul(a, b);
}
