import { describeValue } from '../describe.js';
import { ArgumentError, DTypeError, ShapeError } from '../errors.js';
import { concatPrimitive } from '../primitives/movement.js';
import { formatShape, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { unsqueeze } from './movement.js';
import { assertTensor } from './operands.js';
import { slice } from './slice.js';

/** Checks that `tensors` is a non-empty array of Tensors. */
function assertTensorList(op: string, tensors: unknown): asserts tensors is readonly Tensor[] {
  if (!Array.isArray(tensors))
    throw new ArgumentError(`${op}: expected an array of tensors, got ${describeValue(tensors)}`);
  if (tensors.length === 0) throw new ArgumentError(`${op}: expected at least one tensor`);
  for (const [i, t] of tensors.entries()) assertTensor(op, t, `tensor ${i}`);
}

/** Joins tensors along an existing `axis`; every other dimension must match. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  assertTensorList('concat', tensors);
  const first = tensors[0];
  const a = normalizeAxis('concat', axis, first.rank);
  for (const t of tensors) {
    if (t.dtype !== first.dtype)
      throw new DTypeError(`concat: dtypes differ (${first.dtype} and ${t.dtype})`);
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new ShapeError(
        `concat: shapes ${tensors.map((x) => formatShape(x.shape)).join(', ')} must match in every dimension except axis ${a}`,
      );
    }
  }
  const shape = [...first.shape];
  shape[a] = tensors.reduce((n, t) => n + t.shape[a], 0);
  return concatPrimitive(tensors, a, shape);
}

/** Joins same-shape tensors along a new `axis`. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  assertTensorList('stack', tensors);
  const first = tensors[0];
  for (const t of tensors) {
    if (t.shape.length !== first.rank || t.shape.some((d, i) => d !== first.shape[i])) {
      throw new ShapeError(
        `stack: all tensors need the same shape, got ${tensors.map((x) => formatShape(x.shape)).join(', ')}`,
      );
    }
  }
  const expanded = tensors.map((t) => unsqueeze(t, axis));
  return concat(expanded, axis);
}

/**
 * Splits along `axis` into chunks of `sizeOrSections` entries (the last may be smaller), or into
 * pieces of the listed sizes, like PyTorch's `split`.
 */
export function split(x: Tensor, sizeOrSections: number | readonly number[], axis = 0): Tensor[] {
  assertTensor('split', x);
  if (typeof sizeOrSections !== 'number' && !Array.isArray(sizeOrSections)) {
    throw new ArgumentError(
      `split: expected a chunk size or an array of section sizes, got ${describeValue(sizeOrSections)}`,
    );
  }
  const a = normalizeAxis('split', axis, x.rank);
  const length = x.shape[a];
  let sizes: number[];
  if (typeof sizeOrSections === 'number') {
    if (!Number.isInteger(sizeOrSections) || sizeOrSections <= 0) {
      throw new ArgumentError(`split: chunk size must be a positive integer, got ${sizeOrSections}`);
    }
    sizes = [];
    for (let at = 0; at < length; at += sizeOrSections) sizes.push(Math.min(sizeOrSections, length - at));
  } else {
    sizes = [...sizeOrSections];
    const total = sizes.reduce((s, n) => s + n, 0);
    if (total !== length || sizes.some((n) => !Number.isInteger(n) || n < 0)) {
      throw new ShapeError(
        `split: sizes ${JSON.stringify(sizes)} must be non-negative integers summing to ${length} (axis ${a} of ${formatShape(x.shape)})`,
      );
    }
  }
  let start = 0;
  return sizes.map((n) => {
    const ranges = x.shape.map((): [number, number] | null => null);
    ranges[a] = [start, start + n];
    start += n;
    return slice(x, ranges);
  });
}
