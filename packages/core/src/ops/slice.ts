import { ArgumentError, ShapeError } from '../errors.js';
import type { SliceRange } from '../op-options.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { arange, zeros } from './creation.js';
import { indexAdd } from './gather.js';
import { record, runKernel } from './kernel.js';

export type { SliceRange } from '../op-options.js';

interface AxisSlice {
  begin: number;
  step: number;
  length: number;
}

function resolveRange(range: SliceRange, size: number, axis: number): AxisSlice {
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
  if (ranges.length > x.rank) {
    throw new ShapeError(
      `slice: ${ranges.length} ranges given for a tensor of rank ${x.rank} ${formatShape(x.shape)}`,
    );
  }
  const axes = x.shape.map((size, i) => resolveRange(ranges[i] ?? null, size, i));
  const begin = axes.map((s) => s.begin);
  const step = axes.map((s) => s.step);
  const shape = axes.map((s) => s.length);
  const out = runKernel('slice', [x], shape, x.dtype, (b) => b.slice(x.info(), begin, step, shape));
  return record('slice', out, [x], (g) => {
    // Scatter the gradient back one sliced axis at a time.
    let grad = g;
    axes.forEach((s, axis) => {
      if (s.begin === 0 && s.step === 1 && s.length === x.shape[axis]) return;
      const baseShape = [...grad.shape];
      baseShape[axis] = x.shape[axis];
      const indices = arange(s.begin, s.begin + s.step * s.length, s.step, {
        device: x.device,
        dtype: 'int32',
      });
      grad = indexAdd(zeros(baseShape, { device: x.device }), axis, indices, grad);
    });
    return [grad];
  });
}

/** `length` entries of `axis` starting at `start` (PyTorch's narrow). */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  const ranges: SliceRange[] = x.shape.map(() => null);
  const a = axis < 0 ? axis + x.rank : axis;
  if (a < 0 || a >= x.rank)
    throw new ArgumentError(`narrow: axis ${axis} is out of range for rank ${x.rank}`);
  if (start < 0 || length < 0 || start + length > x.shape[a]) {
    throw new ArgumentError(
      `narrow: [${start}, ${start + length}) is outside axis ${axis} of size ${x.shape[a]}`,
    );
  }
  ranges[a] = [start, start + length];
  return slice(x, ranges);
}
