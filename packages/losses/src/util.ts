import {
  ArgumentError,
  add,
  arange,
  cast,
  DTypeError,
  describeValue,
  formatShape,
  gather,
  mean,
  mul,
  permute,
  readIfCheap,
  reshape,
  ShapeError,
  shapesEqual,
  sum,
  Tensor,
} from '@backprop/core';

/**
 * How a loss reduces its per-element values: `'mean'` (the default everywhere), `'sum'`, or
 * `'none'` (the unreduced per-element or per-sample losses).
 */
export type Reduction = 'mean' | 'sum' | 'none';

const REDUCTIONS: readonly string[] = ['mean', 'sum', 'none'];

/** Throws ArgumentError unless `reduction` is one of `allowed`. */
export function checkReduction(op: string, reduction: string, allowed: readonly string[] = REDUCTIONS): void {
  if (typeof reduction !== 'string' || !allowed.includes(reduction)) {
    throw new ArgumentError(
      `${op}: reduction must be ${allowed.map((r) => `'${r}'`).join(', ')}; got ${describeValue(reduction)}`,
    );
  }
}

/**
 * The one check of a loss's options: absent or a plain object naming only the loss's options (a
 * misspelt or PyTorch-legacy key such as `reduce` is refused, not ignored), weights being tensors.
 */
export function lossOptions<O extends object>(op: string, options: unknown, known: readonly string[]): O {
  if (options === undefined) return {} as O;
  if (
    options === null ||
    typeof options !== 'object' ||
    Array.isArray(options) ||
    options instanceof Tensor
  ) {
    throw new ArgumentError(`${op}: options must be an object, got ${describeValue(options)}`);
  }
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new ArgumentError(
      `${op}: unknown option ${unknown.map((k) => `'${k}'`).join(', ')} (expected ${known.map((k) => `'${k}'`).join(', ')})`,
    );
  }
  for (const key of ['weight', 'posWeight'] as const) {
    const w = (options as Record<string, unknown>)[key];
    if (w !== undefined && w !== null && !(w instanceof Tensor))
      throw new ArgumentError(`${op}: ${key} must be a Tensor or null, got ${describeValue(w)}`);
  }
  return options as O;
}

/** A finite-number option (NaN, ±Infinity and non-numbers refused) within the given bounds. */
export function checkScalar(
  op: string,
  name: string,
  value: unknown,
  rule: { min?: number; above?: number; max?: number; integer?: boolean } = {},
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.above === undefined || value > rule.above) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok) {
    const bounds = [
      rule.min !== undefined && `>= ${rule.min}`,
      rule.above !== undefined && `> ${rule.above}`,
      rule.max !== undefined && `<= ${rule.max}`,
    ].filter(Boolean);
    throw new ArgumentError(
      `${op}: ${name} must be ${rule.integer ? 'an integer' : 'a finite number'}${bounds.length ? ` ${bounds.join(' and ')}` : ''}, got ${describeValue(value)}`,
    );
  }
  return value as number;
}

/** Throws unless `t` is a Tensor, naming the loss and the argument. */
export function assertTensorArg(op: string, name: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor))
    throw new ArgumentError(`${op}: ${name} must be a Tensor, got ${describeValue(t)}`);
}

/** Applies a reduction to per-element losses. */
export function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return loss;
  if (reduction === 'sum') return sum(loss);
  return mean(loss);
}

/** Throws DTypeError unless `t` is float32. */
export function assertFloatInput(op: string, name: string, t: Tensor): void {
  assertTensorArg(op, name, t);
  if (t.dtype !== 'float32') throw new DTypeError(`${op}: ${name} must be float32, got ${t.dtype}`);
}

/** Throws ShapeError unless input and target have the same shape. */
export function assertSameShape(op: string, input: Tensor, target: Tensor, targetName = 'target'): void {
  assertTensorArg(op, targetName, target);
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ShapeError(
      `${op}: input ${formatShape(input.shape)} and ${targetName} ${formatShape(target.shape)} must have the same shape`,
    );
  }
}

/** A float32 view of a target: int32 and bool targets are cast (convenient for 0/1 labels). */
export function floatTarget(target: Tensor): Tensor {
  return target.dtype === 'float32' ? target : cast(target, 'float32');
}

/** Checks an optional elementwise weight broadcasts to `shape` (weight's trailing dims must fit). */
export function assertBroadcastsTo(op: string, name: string, w: Tensor, shape: readonly number[]): void {
  const lead = shape.length - w.rank;
  const fits = lead >= 0 && w.shape.every((d, i) => d === 1 || d === shape[lead + i]);
  if (!fits) {
    throw new ShapeError(
      `${op}: ${name} ${formatShape(w.shape)} does not broadcast to the input's shape ${formatShape(shape)}`,
    );
  }
}

/** The class-axis layout of a classification input: [C], [N, C] or [N, C, d1, …]. */
export interface ClassLayout {
  /** Number of classes. */
  classes: number;
  /** The input as rows [M, C] (class axis last). */
  rows: Tensor;
  /** Shape of per-sample losses: [] for [C], [N] for [N, C], [N, d1, …] otherwise. */
  sampleShape: number[];
}

/** Moves the class axis (1, or 0 for an unbatched [C] input) last and flattens to rows [M, C]. */
export function classRows(op: string, input: Tensor): ClassLayout {
  if (input.rank === 0)
    throw new ShapeError(`${op}: input must be [C], [N, C] or [N, C, d1, ...], got a scalar`);
  if (input.rank === 1)
    return { classes: input.shape[0], rows: reshape(input, [1, input.shape[0]]), sampleShape: [] };
  const classes = input.shape[1];
  const sampleShape = [input.shape[0], ...input.shape.slice(2)];
  if (input.rank === 2) return { classes, rows: input, sampleShape };
  const perm = [0, ...Array.from({ length: input.rank - 2 }, (_, i) => i + 2), 1];
  const moved = permute(input, perm);
  return { classes, rows: reshape(moved, [sampleShape.reduce((a, b) => a * b, 1), classes]), sampleShape };
}

/** The shape an int32 class-index target must have for a classification input. */
export function indexTargetShape(input: Tensor): number[] {
  return input.rank === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
}

/**
 * Validates int32 class indices against `classes` where they can be read cheaply: each must lie
 * in [0, classes) or equal `ignoreIndex`. Returns whether any equals `ignoreIndex` (null when the
 * backend cannot read synchronously).
 */
export function checkClassIndices(
  op: string,
  target: Tensor,
  classes: number,
  ignoreIndex: number | null,
): boolean | null {
  if (target.dtype !== 'int32')
    throw new DTypeError(`${op}: class-index targets must be int32, got ${target.dtype}`);
  const values = readIfCheap(target);
  if (!values) return null;
  let ignored = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (ignoreIndex !== null && v === ignoreIndex) {
      ignored = true;
      continue;
    }
    if (v < 0 || v >= classes) {
      const also = ignoreIndex === null ? '' : ` or ignoreIndex ${ignoreIndex}`;
      throw new ArgumentError(
        `${op}: target class ${v} at position ${i} is out of range (expected 0..${classes - 1}${also})`,
      );
    }
  }
  return ignored;
}

/** `rows[i, index[i]]` for rows [M, C] and int32 index [M]: a flat gather, so −∞ entries stay exact. */
export function pickPerRow(rows: Tensor, index: Tensor): Tensor {
  const [m, c] = rows.shape;
  const offsets = mul(arange(0, m, 1, { device: rows.device, dtype: 'int32' }), c);
  const flatIndex = add(offsets, index);
  return gather(reshape(rows, [m * c]), flatIndex, 0);
}

/** Reshapes a weight of shape [C] so it broadcasts along axis 1 of an input of `rank` (axis 0 for rank 1). */
export function classWeightShape(classes: number, rank: number): number[] {
  return rank <= 2 ? [classes] : [classes, ...new Array<number>(rank - 2).fill(1)];
}

/** Throws ShapeError unless `weight` is a 1-D tensor of `classes` entries. */
export function assertClassWeight(op: string, weight: Tensor, classes: number): void {
  if (weight.rank !== 1 || weight.shape[0] !== classes) {
    throw new ShapeError(
      `${op}: weight ${formatShape(weight.shape)} must have one entry per class ([${classes}])`,
    );
  }
  assertFloatInput(op, 'weight', weight);
}
