import { describeValue } from './describe.js';
import { ArgumentError, ShapeError } from './errors.js';
import { MAX_ELEMENTS } from './validate.js';

export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The one check every shape argument passes: an array of non-negative integers whose element count
 * stays within 2³¹ − 1. Throws a ShapeError naming the op, the shape it got and what was expected.
 */
export function assertValidShape(op: string, shape: unknown): asserts shape is Shape {
  if (!Array.isArray(shape)) {
    throw new ShapeError(
      `${op}: shape must be an array of non-negative integers (e.g. [2, 3]), got ${describeValue(shape)}`,
    );
  }
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(
        `${op}: shape [${shape.map(describeValue).join(', ')}] must hold non-negative integers, got ${describeValue(d)}`,
      );
    }
  }
  const size = sizeOf(shape);
  if (size > MAX_ELEMENTS) {
    throw new ShapeError(
      `${op}: shape ${formatShape(shape)} has ${size} elements, more than a tensor can hold (at most ${MAX_ELEMENTS})`,
    );
  }
}

/** NumPy broadcasting of two or more shapes. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i];
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else {
        throw new ShapeError(
          `${op}: shapes ${shapes.map(formatShape).join(' and ')} cannot be broadcast together (dimension ${o}: ${out[o]} vs ${d})`,
        );
      }
    }
  }
  return out;
}

/** Turns a possibly negative axis into 0..rank-1, or throws naming the op, the axis and the allowed range. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  const r = Math.max(rank, 1);
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new ArgumentError(
      `${op}: axis must be an integer in -${r}..${r - 1} for a tensor of rank ${rank}, got ${describeValue(axis)}`,
    );
  }
  if (axis < -r || axis >= r) {
    throw new ArgumentError(
      `${op}: axis ${axis} is out of range for a tensor of rank ${rank} (expected -${r}..${r - 1})`,
    );
  }
  return axis < 0 ? axis + r : axis;
}

/** Normalizes an axis argument (one, several, or all when undefined) to sorted unique axes. */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined,
  rank: number,
): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  if (typeof axis !== 'number' && !Array.isArray(axis)) {
    throw new ArgumentError(
      `${op}: axis must be an integer, an array of integers or undefined (all axes), got ${describeValue(axis)}`,
    );
  }
  const list: readonly number[] = typeof axis === 'number' ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(op, a, rank));
  if (new Set(out).size !== out.length)
    throw new ArgumentError(`${op}: axis ${JSON.stringify(list)} repeats an axis`);
  return out.sort((a, b) => a - b);
}
