import { ShapeError } from '../errors.js';
import { broadcastShapes, formatShape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { assertFloat, assertTensor, record, runKernel } from './kernel.js';
import { broadcastTo, reshape } from './movement.js';

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
  const [batch, m, k] = transposeA ? [a.shape[0], a.shape[2], a.shape[1]] : a.shape;
  const [kb, n] = transposeB ? [b.shape[2], b.shape[1]] : [b.shape[1], b.shape[2]];
  if (k !== kb) {
    throw new ShapeError(
      `batchMatmul: shapes cannot be multiplied (${m}x${k} and ${kb}x${n}; inputs ${formatShape(a.shape)}${transposeA ? 'ᵀ' : ''} and ${formatShape(b.shape)}${transposeB ? 'ᵀ' : ''})`,
    );
  }
  const out = runKernel('matmul', [a, b], [batch, m, n], 'float32', (be) =>
    be.matmul(a.info(), b.info(), transposeA, transposeB),
  );
  // Each operand's gradient is computed only when that operand needs one.
  return record('matmul', out, [a, b], (g) => [
    !a.requiresGrad
      ? null
      : transposeA
        ? batchMatmul(b, g, transposeB, true)
        : batchMatmul(g, b, false, !transposeB),
    !b.requiresGrad
      ? null
      : transposeB
        ? batchMatmul(g, a, true, transposeA)
        : batchMatmul(a, g, !transposeA, false),
  ]);
}

/**
 * Matrix product with NumPy/PyTorch semantics: 1-D · 1-D is a dot product, a 1-D operand is
 * treated as a row (left) or column (right) vector, and leading batch dimensions broadcast.
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
  const a2 = x.rank === 1 ? [1, x.shape[0]] : x.shape.slice(-2);
  const b2 = y.rank === 1 ? [y.shape[0], 1] : y.shape.slice(-2);
  if (a2[1] !== b2[0]) {
    const label =
      a.rank <= 2 && b.rank <= 2 ? 'mat1 and mat2' : `${formatShape(a.shape)} and ${formatShape(b.shape)}:`;
    throw new ShapeError(
      `matmul: ${label} shapes cannot be multiplied (${a2[0]}x${a2[1]} and ${b2[0]}x${b2[1]})`,
    );
  }
  const batchShape = broadcastShapes('matmul', x.shape.slice(0, -2), y.shape.slice(0, -2));
  const batch = sizeOf(batchShape);
  const a3 = reshape(broadcastTo(reshape(x, [...x.shape.slice(0, -2), ...a2]), [...batchShape, ...a2]), [
    batch,
    a2[0],
    a2[1],
  ]);
  const b3 = reshape(broadcastTo(reshape(y, [...y.shape.slice(0, -2), ...b2]), [...batchShape, ...b2]), [
    batch,
    b2[0],
    b2[1],
  ]);
  const outShape = [...batchShape];
  if (a.rank > 1) outShape.push(a2[0]);
  if (b.rank > 1) outShape.push(b2[1]);
  return reshape(batchMatmul(a3, b3), outShape);
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
