import { describeValue } from '../describe.js';
import { ArgumentError, ShapeError } from '../errors.js';
import type { SliceRange } from '../op-options.js';
import { slicePrimitive } from '../primitives/movement.js';
import { formatShape, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { assertTensor } from './operands.js';

export type { SliceRange } from '../op-options.js';

interface AxisSlice {
  begin: number;
  step: number;
  length: number;
}

function resolveRange(range: SliceRange, size: number, axis: number): AxisSlice {
  if (range !== null && (!Array.isArray(range) || range.length > 3)) {
    throw new ArgumentError(
      `slice: range for axis ${axis} must be null or [start, end, step], got ${describeValue(range)}`,
    );
  }
  for (const part of range ?? []) {
    if (part != null && (typeof part !== 'number' || !Number.isInteger(part)))
      throw new ArgumentError(
        `slice: range ${describeValue(range)} on axis ${axis} must hold integers or null, got ${describeValue(part)}`,
      );
  }
  const step = range?.[2] ?? 1;
  if (!Number.isInteger(step) || step === 0)
    throw new ArgumentError(`slice: step must be a non-zero integer, got ${step} on axis ${axis}`);
  const clampIndex = (v: number, low: number, high: number) =>
    Math.min(Math.max(v < 0 ? v + size : v, low), high);
  const begin =
    range?.[0] == null
      ? step > 0
        ? 0
        : size - 1
      : clampIndex(range[0], step > 0 ? 0 : -1, step > 0 ? size : size - 1);
  const end =
    range?.[1] == null
      ? step > 0
        ? size
        : -1
      : clampIndex(range[1], step > 0 ? 0 : -1, step > 0 ? size : size - 1);
  const length = Math.max(0, Math.ceil((end - begin) / step));
  return { begin, step, length };
}

/**
 * Python-style slicing, one range per leading axis (missing trailing axes are taken whole):
 * `slice(x, [[1, 5, 2], null])` is `x[1:5:2, :]`; `[null, null, -1]` reverses an axis.
 */
export function slice(x: Tensor, ranges: readonly SliceRange[]): Tensor {
  assertTensor('slice', x);
  if (!Array.isArray(ranges))
    throw new ArgumentError(
      `slice: ranges must be an array (one range per axis), got ${describeValue(ranges)}`,
    );
  if (ranges.length > x.rank) {
    throw new ShapeError(
      `slice: ${ranges.length} ranges given for a tensor of rank ${x.rank} ${formatShape(x.shape)}`,
    );
  }
  const axes = x.shape.map((size, i) => resolveRange(ranges[i] ?? null, size, i));
  const begin = axes.map((s) => s.begin);
  const step = axes.map((s) => s.step);
  const shape = axes.map((s) => s.length);
  return slicePrimitive(x, begin, step, shape);
}

/** `length` entries of `axis` starting at `start` (PyTorch's narrow). */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  assertTensor('narrow', x);
  const ranges: SliceRange[] = x.shape.map(() => null);
  const a = normalizeAxis('narrow', axis, x.rank);
  if (
    typeof start !== 'number' ||
    !Number.isInteger(start) ||
    typeof length !== 'number' ||
    !Number.isInteger(length)
  )
    throw new ArgumentError(
      `narrow: start and length must be integers, got start=${describeValue(start)}, length=${describeValue(length)}`,
    );
  if (start < 0 || length < 0 || start + length > x.shape[a]) {
    throw new ArgumentError(
      `narrow: [${start}, ${start + length}) is outside axis ${axis} of size ${x.shape[a]}`,
    );
  }
  ranges[a] = [start, start + length];
  return slice(x, ranges);
}
