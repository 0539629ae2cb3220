import { noGrad } from '../autograd/grad-mode.js';
import { readIfCheap } from '../cheap-read.js';
import { describeValue } from '../describe.js';
import { ENGINE } from '../engine/engine.js';
import { carryIndexCheck, indexRangeMessage } from '../engine/index-checks.js';
import { ArgumentError, DTypeError, ShapeError } from '../errors.js';
import { gatherPrimitive, indexAddPrimitive } from '../primitives/movement.js';
import { formatShape, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { eq } from './compare.js';
import { arange } from './creation.js';
import { stack } from './join.js';
import { unsqueeze } from './movement.js';
import { assertTensor } from './operands.js';
import { max, min } from './reduce.js';

/**
 * Checks that int32 `indices` lie in [0, size), naming the op: at once where the backend reads them
 * cheaply; on the device where it reads only asynchronously (the error then comes when a tensor
 * made from them is read, see `engine/index-checks.ts`); not at all on other backends.
 */
export function assertIndices(op: string, indices: Tensor, size: number, axis: number): void {
  assertTensor(op, indices, 'indices');
  if (indices.dtype !== 'int32') throw new DTypeError(`${op}: indices must be int32, got ${indices.dtype}`);
  if (indices.backend.readsAsyncOnly === true) {
    if (indices.size > 0) carryIndexCheck(indices, op, size, axis, () => deviceBounds(indices));
    return;
  }
  const values = readIfCheap(indices);
  if (!values) return;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < 0 || v >= size) throw new ArgumentError(indexRangeMessage(op, v, size, axis));
  }
}

/** The minimum and maximum of non-empty `indices`, int32 [2], on their device and outside every `tidy` scope. */
function deviceBounds(indices: Tensor): Tensor {
  return ENGINE.keep(ENGINE.tidy(() => noGrad(() => stack([min(indices), max(indices)]))));
}

/**
 * Entries of `x` along `axis` at `indices` (int32, any shape): the output shape is
 * `x.shape[:axis] + indices.shape + x.shape[axis+1:]` (TensorFlow's gather).
 */
export function gather(x: Tensor, indices: Tensor, axis = 0): Tensor {
  assertTensor('gather', x);
  const a = normalizeAxis('gather', axis, x.rank);
  assertIndices('gather', indices, x.shape[a], a);
  const shape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
  return gatherPrimitive(x, indices, a, shape);
}

/** PyTorch's index_select: entries of `x` along `axis` at the 1-D `indices`. */
export function indexSelect(x: Tensor, axis: number, indices: Tensor): Tensor {
  assertTensor('indexSelect', indices, 'indices');
  if (indices.rank !== 1)
    throw new ShapeError(`indexSelect: indices must be 1-D, got ${formatShape(indices.shape)}`);
  return gather(x, indices, axis);
}

/** A copy of `x` with slice j of `source` along `axis` added into slice `indices[j]` (repeats accumulate). */
export function indexAdd(x: Tensor, axis: number, indices: Tensor, source: Tensor): Tensor {
  assertTensor('indexAdd', x);
  assertTensor('indexAdd', indices, 'indices');
  assertTensor('indexAdd', source, 'source');
  const a = normalizeAxis('indexAdd', axis, x.rank);
  if (indices.rank !== 1)
    throw new ShapeError(`indexAdd: indices must be 1-D, got ${formatShape(indices.shape)}`);
  assertIndices('indexAdd', indices, x.shape[a], a);
  const expected = [...x.shape];
  expected[a] = indices.size;
  if (source.rank !== x.rank || source.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(
      `indexAdd: source ${formatShape(source.shape)} must have shape ${formatShape(expected)}`,
    );
  }
  if (source.dtype !== x.dtype)
    throw new DTypeError(`indexAdd: source dtype ${source.dtype} differs from ${x.dtype}`);
  return indexAddPrimitive(x, a, indices, source);
}

/** One-hot rows for int32 class indices: shape `indices.shape + [numClasses]`, float32 unless asked. */
export function oneHot(indices: Tensor, numClasses: number, dtype: 'float32' | 'int32' = 'float32'): Tensor {
  if (!Number.isInteger(numClasses) || numClasses <= 0) {
    throw new ArgumentError(
      `oneHot: numClasses must be a positive integer, got ${describeValue(numClasses)}`,
    );
  }
  if (dtype !== 'float32' && dtype !== 'int32')
    throw new DTypeError(`oneHot: dtype must be 'float32' or 'int32', got ${describeValue(dtype)}`);
  assertIndices('oneHot', indices, numClasses, indices.rank);
  const classes = arange(0, numClasses, 1, { device: indices.device, dtype: 'int32' });
  const column = unsqueeze(indices, -1);
  const hits = eq(column, classes);
  const out = cast(hits, dtype);
  for (const t of [classes, column, hits]) t.dispose();
  return out;
}
