import { describeValue } from '../describe.js';
import { ArgumentError, ShapeError } from '../errors.js';
import { broadcastPrimitive, transposePrimitive, viewPrimitive } from '../primitives/movement.js';
import {
  assertValidShape,
  broadcastShapes,
  formatShape,
  normalizeAxis,
  type Shape,
  shapesEqual,
  sizeOf,
} from '../shape.js';
import type { Tensor } from '../tensor.js';
import { assertTensor } from './operands.js';

/** A view with a new shape over the same data; one dimension may be -1 (inferred). */
export function reshape(x: Tensor, shape: Shape): Tensor {
  return viewPrimitive(x, inferReshape(x, shape));
}

function inferReshape(x: Tensor, shape: Shape): number[] {
  assertTensor('reshape', x);
  if (!Array.isArray(shape))
    throw new ShapeError(
      `reshape: shape must be an array of integers (one may be -1), got ${describeValue(shape)}`,
    );
  const target = [...shape];
  const unknown = target.indexOf(-1);
  if (unknown !== target.lastIndexOf(-1))
    throw new ShapeError(`reshape: only one dimension can be -1, got ${formatShape(shape)}`);
  if (target.some((d, i) => i !== unknown && (typeof d !== 'number' || !Number.isInteger(d) || d < 0))) {
    throw new ShapeError(
      `reshape: shape [${shape.map(describeValue).join(', ')}] must hold non-negative integers (or one -1)`,
    );
  }
  if (unknown >= 0) {
    const known = sizeOf(target.filter((_, i) => i !== unknown));
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError(
        `reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) into ${formatShape(shape)}`,
      );
    }
    target[unknown] = x.size / known;
  }
  if (sizeOf(target) !== x.size) {
    throw new ShapeError(
      `reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) into ${formatShape(shape)} (${sizeOf(target)} elements)`,
    );
  }
  return target;
}

/** Merges dimensions `startDim..endDim` into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  assertTensor('flatten', x);
  if (x.rank === 0) return reshape(x, [1]);
  const start = normalizeAxis('flatten', startDim, x.rank);
  const end = normalizeAxis('flatten', endDim, x.rank);
  if (start > end) throw new ArgumentError(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  const merged = sizeOf(x.shape.slice(start, end + 1));
  return reshape(x, [...x.shape.slice(0, start), merged, ...x.shape.slice(end + 1)]);
}

/** Removes size-1 dimensions (all, or the one at `axis`). */
export function squeeze(x: Tensor, axis?: number): Tensor {
  assertTensor('squeeze', x);
  if (axis === undefined)
    return reshape(
      x,
      x.shape.filter((d) => d !== 1),
    );
  const a = normalizeAxis('squeeze', axis, x.rank);
  if (x.shape[a] !== 1) return reshape(x, x.shape);
  return reshape(
    x,
    x.shape.filter((_, i) => i !== a),
  );
}

/** Inserts a size-1 dimension at `axis` (which may be `rank`, or negative). */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  assertTensor('unsqueeze', x);
  const a = normalizeAxis('unsqueeze', axis, x.rank + 1);
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/** Reorders dimensions: output dimension i is input dimension `perm[i]`. */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  assertTensor('permute', x);
  if (!Array.isArray(perm))
    throw new ArgumentError(`permute: perm must be an array of axes, got ${describeValue(perm)}`);
  if (perm.length !== x.rank) {
    throw new ShapeError(
      `permute: perm ${JSON.stringify(perm)} has ${perm.length} entries for a tensor of rank ${x.rank} ${formatShape(x.shape)}`,
    );
  }
  const p = perm.map((a) => normalizeAxis('permute', a, x.rank));
  if (new Set(p).size !== p.length)
    throw new ArgumentError(`permute: perm ${JSON.stringify(perm)} repeats an axis`);
  if (p.every((a, i) => a === i)) return reshape(x, x.shape);
  return transposePrimitive(x, p);
}

/** Swaps two dimensions (the last two by default, the matrix transpose). */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  assertTensor('transpose', x);
  if (x.rank < 2) return reshape(x, x.shape);
  const a = normalizeAxis('transpose', dim0, x.rank);
  const b = normalizeAxis('transpose', dim1, x.rank);
  const perm = x.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/** Broadcasts to `shape` by repeating size-1 and adding leading dimensions (NumPy rules). */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  assertTensor('broadcastTo', x);
  assertValidShape('broadcastTo', shape);
  const target = broadcastShapes('broadcastTo', x.shape, shape);
  if (!shapesEqual(target, shape)) {
    throw new ShapeError(`broadcastTo: cannot broadcast ${formatShape(x.shape)} to ${formatShape(shape)}`);
  }
  if (shapesEqual(x.shape, shape)) return reshape(x, shape);
  return broadcastPrimitive(x, shape);
}

/** PyTorch's expand: like broadcastTo, where -1 keeps a dimension's size. */
export function expand(x: Tensor, shape: Shape): Tensor {
  assertTensor('expand', x);
  if (!Array.isArray(shape))
    throw new ShapeError(
      `expand: shape must be an array of sizes (-1 keeps one), got ${describeValue(shape)}`,
    );
  const lead = shape.length - x.rank;
  return broadcastTo(
    x,
    shape.map((d, i) => (d === -1 ? (i >= lead ? x.shape[i - lead] : 1) : d)),
  );
}
