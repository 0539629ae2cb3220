/**
 * Movement and indexing ops with PyTorch's semantics, composed from core's primitives (slice,
 * concat, broadcastTo, gather, indexAdd, where), so each one's gradient is the composition's.
 */
import { describeValue } from '../describe.js';
import { ArgumentError, DTypeError, ShapeError } from '../errors.js';
import {
  broadcastShapes,
  formatShape,
  normalizeAxes,
  normalizeAxis,
  type Shape,
  shapesEqual,
} from '../shape.js';
import { Tensor } from '../tensor.js';
import { add, mul, sub } from './arithmetic.js';
import { gt, le, where } from './compare.js';
import { assertTensor, composed } from './compose.js';
import { arange, full, zeros } from './creation.js';
import { assertIndices, gather, indexAdd } from './gather.js';
import { concat } from './join.js';
import { broadcastTo, permute, reshape, transpose } from './movement.js';
import { type SliceRange, slice } from './slice.js';

/** Checks an array of integers (sizes, shifts, pads), naming the op and the argument. */
function intList(op: string, name: string, value: unknown, min = Number.NEGATIVE_INFINITY): number[] {
  const list = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(list) || list.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < min)) {
    const kind = min === 0 ? 'non-negative integers' : 'integers';
    throw new ArgumentError(
      `${op}: ${name} must be an integer or an array of ${kind}, got ${describeValue(value)}`,
    );
  }
  return list as number[];
}

/** A slice of `x` along `axis` only: entries `start..end` by `step`. */
function along(x: Tensor, axis: number, range: SliceRange): Tensor {
  const ranges: SliceRange[] = x.shape.map(() => null);
  ranges[axis] = range;
  return slice(x, ranges);
}

/** A zero-dimensional tensor of `value` in `like`'s dtype, on its backend (casts as `full` does). */
function scalarOf(value: number, like: Tensor): Tensor {
  return full([], value, { dtype: like.dtype, device: like.device });
}

/**
 * Reverses the order of entries along `dims` (torch.flip). Every dim is required, as in PyTorch.
 * A view-free copy: one strided slice.
 */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  assertTensor('flip', x);
  if (dims === undefined) throw new ArgumentError('flip: dims is required (an axis or an array of axes)');
  const axes = normalizeAxes('flip', dims, x.rank);
  const ranges: SliceRange[] = x.shape.map((_, i) => (axes.includes(i) ? [null, null, -1] : null));
  return slice(x, ranges);
}

/**
 * Rolls entries along `dims` by `shifts` (torch.roll): entry i moves to (i + shift) mod n. Without
 * `dims` the tensor is flattened, rolled and restored to its shape.
 */
export function roll(
  x: Tensor,
  shifts: number | readonly number[],
  dims?: number | readonly number[],
): Tensor {
  assertTensor('roll', x);
  const s = intList('roll', 'shifts', shifts);
  if (dims === undefined) {
    if (s.length !== 1)
      throw new ArgumentError(`roll: without dims, shifts must be one integer, got ${describeValue(shifts)}`);
    return composed([x], () => reshape(roll(reshape(x, [x.size]), s[0], 0), x.shape));
  }
  const d = intList('roll', 'dims', dims).map((a) => normalizeAxis('roll', a, x.rank));
  if (d.length !== s.length)
    throw new ArgumentError(
      `roll: shifts ${describeValue(shifts)} and dims ${describeValue(dims)} must have the same length`,
    );
  return composed([x], () => {
    let out = x;
    d.forEach((axis, i) => {
      const n = out.shape[axis];
      const k = n === 0 ? 0 : ((s[i] % n) + n) % n;
      if (k !== 0) out = concat([along(out, axis, [n - k, n]), along(out, axis, [0, n - k])], axis);
    });
    return out === x ? reshape(x, x.shape) : out;
  });
}

/**
 * Repeats the whole tensor `repeats[i]` times along each dimension (torch.Tensor.repeat):
 * `repeats` has at least `x.rank` entries, and extra leading ones add dimensions. One broadcast,
 * whose gradient sums the copies.
 */
export function repeat(x: Tensor, repeats: readonly number[]): Tensor {
  assertTensor('repeat', x);
  const reps = intList('repeat', 'repeats', repeats, 0);
  if (reps.length < x.rank)
    throw new ArgumentError(
      `repeat: repeats ${describeValue(repeats)} has ${reps.length} entries, fewer than the tensor's rank ${x.rank} ${formatShape(x.shape)}`,
    );
  const shape = [...reps.slice(0, reps.length - x.rank).map(() => 1), ...x.shape];
  return composed([x], () => {
    const spread = reshape(
      x,
      shape.flatMap((d) => [1, d]),
    );
    const copies = broadcastTo(
      spread,
      shape.flatMap((d, i) => [reps[i], d]),
    );
    return reshape(
      copies,
      shape.map((d, i) => d * reps[i]),
    );
  });
}

/**
 * torch.tile / numpy.tile: like `repeat`, except that fewer `reps` than dimensions are padded with
 * leading ones (`tile(x, [2])` repeats the last dimension).
 */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  assertTensor('tile', x);
  const r = intList('tile', 'reps', reps, 0);
  return repeat(x, [...new Array<number>(Math.max(0, x.rank - r.length)).fill(1), ...r]);
}

function triangle(op: 'tril' | 'triu', x: Tensor, diagonal: number): Tensor {
  assertTensor(op, x);
  if (typeof diagonal !== 'number' || !Number.isInteger(diagonal))
    throw new ArgumentError(`${op}: diagonal must be an integer, got ${describeValue(diagonal)}`);
  if (x.rank < 2)
    throw new ShapeError(`${op}: expected a tensor of at least 2 dimensions, got ${formatShape(x.shape)}`);
  const [m, n] = x.shape.slice(-2);
  return composed([x], () => {
    const rows = reshape(arange(0, m, 1, { device: x.device, dtype: 'int32' }), [m, 1]);
    const cols = arange(0, n, 1, { device: x.device, dtype: 'int32' });
    const offset = sub(cols, rows);
    const keep = op === 'tril' ? le(offset, diagonal) : le(diagonal, offset);
    return where(keep, x, scalarOf(0, x));
  });
}

/** The lower triangle of the last two dimensions (torch.tril): entries with col − row ≤ diagonal, zero elsewhere. */
export function tril(x: Tensor, diagonal = 0): Tensor {
  return triangle('tril', x, diagonal);
}

/** The upper triangle of the last two dimensions (torch.triu): entries with col − row ≥ diagonal, zero elsewhere. */
export function triu(x: Tensor, diagonal = 0): Tensor {
  return triangle('triu', x, diagonal);
}

/**
 * The common checks of PyTorch's gather/scatter family: `index` is int32 with `x`'s rank, no larger
 * than `x` outside `axis` (and than `source`, if given, everywhere), its entries inside `axis`.
 */
function checkIndex(op: string, x: Tensor, axis: number, index: Tensor, source?: Tensor): number {
  assertTensor(op, x);
  assertTensor(op, index, 'index');
  const a = normalizeAxis(op, axis, x.rank);
  if (index.dtype !== 'int32') throw new DTypeError(`${op}: index must be int32, got ${index.dtype}`);
  if (index.rank !== x.rank)
    throw new ShapeError(
      `${op}: index ${formatShape(index.shape)} must have the input's rank ${x.rank} ${formatShape(x.shape)}`,
    );
  if (index.shape.some((d, i) => i !== a && d > x.shape[i]))
    throw new ShapeError(
      `${op}: index ${formatShape(index.shape)} is larger than the input ${formatShape(x.shape)} outside axis ${a}`,
    );
  if (source && (source.rank !== x.rank || index.shape.some((d, i) => d > source.shape[i])))
    throw new ShapeError(
      `${op}: source ${formatShape(source.shape)} must have the input's rank and be at least as large as index ${formatShape(index.shape)}`,
    );
  if (x.rank > 0 && index.size > 0) assertIndices(op, index, x.shape[a], a);
  return a;
}

/** Row-major offsets into `shape` of every entry of `index`, with `index`'s value as the coordinate on `axis`. */
function flatOffsets(shape: Shape, axis: number, index: Tensor): Tensor {
  if (index.size === 0) return zeros([0], { dtype: 'int32', device: index.device });
  let stride = 1;
  const strides = shape.map(() => 0);
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= shape[d];
  }
  let offsets = shape.length === 0 ? index : mul(index, strides[axis]);
  index.shape.forEach((n, d) => {
    if (d === axis || n === 1) return;
    const at = index.shape.map((_, i) => (i === d ? n : 1));
    const coord = reshape(
      arange(0, n * strides[d], strides[d], { device: index.device, dtype: 'int32' }),
      at,
    );
    offsets = add(offsets, coord);
  });
  return reshape(offsets, [index.size]);
}

/**
 * torch.gather: `out[i][j][k] = x[i][index[i][j][k]][k]` for `axis` 1. `index` (int32) has the
 * input's rank and no more entries than `x` outside `axis`; the output has `index`'s shape. (Core's
 * `gather` is TensorFlow's, taking whole slices; this is NumPy's `take_along_axis` generalised as
 * PyTorch does.) The gradient adds into the picked entries.
 */
export function takeAlongAxis(x: Tensor, index: Tensor, axis: number): Tensor {
  const a = checkIndex('takeAlongAxis', x, axis, index);
  return composed([x], () =>
    reshape(gather(reshape(x, [x.size]), flatOffsets(x.shape, a, index), 0), index.shape),
  );
}

/**
 * torch.scatter_add: a copy of `x` with `source[i][j][k]` added into `out[i][index[i][j][k]][k]`
 * (for `axis` 1); repeated targets accumulate. Only the leading `index.shape` block of `source` is used.
 */
export function scatterAdd(x: Tensor, axis: number, index: Tensor, source: Tensor): Tensor {
  assertTensor('scatterAdd', source, 'source');
  const a = checkIndex('scatterAdd', x, axis, index, source);
  if (source.dtype !== x.dtype)
    throw new DTypeError(`scatterAdd: source dtype ${source.dtype} differs from the input's ${x.dtype}`);
  return composed([x, source], () => {
    const used = leading(source, index.shape);
    return reshape(
      indexAdd(reshape(x, [x.size]), 0, flatOffsets(x.shape, a, index), reshape(used, [used.size])),
      x.shape,
    );
  });
}

/**
 * torch.scatter: a copy of `x` with `out[i][index[i][j][k]][k] = source[i][j][k]` (for `axis` 1);
 * `source` may be a number. `index` should not name a target twice: PyTorch leaves the winner
 * unspecified, and here such a target receives the sum of its sources (use `scatterAdd` to mean
 * that). float32 and int32 inputs. The gradient is `x`'s where not overwritten, and `source`'s
 * gathered from the targets.
 */
export function scatter(x: Tensor, axis: number, index: Tensor, source: Tensor | number): Tensor {
  const src = typeof source === 'number' ? undefined : source;
  if (src !== undefined) assertTensor('scatter', src, 'source');
  else if (typeof source !== 'number')
    throw new ArgumentError(`scatter: source must be a Tensor or a number, got ${describeValue(source)}`);
  const a = checkIndex('scatter', x, axis, index, src);
  if (x.dtype === 'bool') throw new DTypeError('scatter: expected a float32 or int32 input, got bool');
  if (src && src.dtype !== x.dtype)
    throw new DTypeError(`scatter: source dtype ${src.dtype} differs from the input's ${x.dtype}`);
  return composed([x, src], () => {
    const flat = reshape(x, [x.size]);
    const offsets = flatOffsets(x.shape, a, index);
    const values = src
      ? reshape(leading(src, index.shape), [index.size])
      : full([index.size], source as number, { dtype: x.dtype, device: x.device });
    const hits = indexAdd(
      zeros([x.size], { dtype: 'int32', device: x.device }),
      0,
      offsets,
      full([index.size], 1, { dtype: 'int32', device: x.device }),
    );
    const placed = indexAdd(zeros([x.size], { dtype: x.dtype, device: x.device }), 0, offsets, values);
    return reshape(where(gt(hits, 0), placed, flat), x.shape);
  });
}

/** The leading block of `t` of `shape` (the whole tensor when they already agree). */
function leading(t: Tensor, shape: Shape): Tensor {
  return shapesEqual(t.shape, shape)
    ? t
    : slice(
        t,
        shape.map((d): SliceRange => [0, d]),
      );
}

/**
 * torch.masked_fill: `value` where `mask` (bool, broadcastable to `x`'s shape) holds, `x` elsewhere.
 * The value is converted to `x`'s dtype; a tensor value must have one element.
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number | Tensor): Tensor {
  assertTensor('maskedFill', x);
  assertTensor('maskedFill', mask, 'mask');
  if (mask.dtype !== 'bool') throw new DTypeError(`maskedFill: mask must be bool, got ${mask.dtype}`);
  if (!shapesEqual(broadcastShapes('maskedFill', mask.shape, x.shape), x.shape))
    throw new ShapeError(
      `maskedFill: mask ${formatShape(mask.shape)} must broadcast to the input's shape ${formatShape(x.shape)}`,
    );
  if (value instanceof Tensor) {
    if (value.size !== 1)
      throw new ShapeError(
        `maskedFill: a tensor value must have one element, got ${formatShape(value.shape)}`,
      );
  } else if (typeof value !== 'number')
    throw new ArgumentError(
      `maskedFill: value must be a number or a one-element Tensor, got ${describeValue(value)}`,
    );
  return composed([x, value], () => {
    const fill = value instanceof Tensor ? reshape(value, []) : scalarOf(value, x);
    return where(mask, fill, x);
  });
}

/** Padding modes of `pad`, as torch.nn.functional.pad names them. */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

const PAD_MODES: readonly PadMode[] = ['constant', 'reflect', 'replicate', 'circular'];

/**
 * torch.nn.functional.pad: `pad` lists (before, after) pairs starting from the LAST dimension,
 * `[left, right, top, bottom, …]`. Modes: 'constant' (fill with `value`; negative pads crop),
 * 'reflect' (mirror without the edge, each pad < the dimension), 'replicate' (repeat the edge),
 * 'circular' (wrap around, each pad ≤ the dimension). Unlike PyTorch, every mode pads any number of
 * trailing dimensions, without a batch dimension requirement.
 */
export function pad(x: Tensor, pad: readonly number[], mode: PadMode = 'constant', value = 0): Tensor {
  assertTensor('pad', x);
  const p = intList('pad', 'pad', pad);
  if (typeof pad === 'number' || p.length % 2 !== 0 || p.length / 2 > x.rank)
    throw new ArgumentError(
      `pad: pad must be an array of (before, after) pairs for at most ${x.rank} dimensions, got ${describeValue(pad)}`,
    );
  if (!PAD_MODES.includes(mode))
    throw new ArgumentError(
      `pad: unknown mode ${describeValue(mode)} (expected ${PAD_MODES.map((m) => `'${m}'`).join(', ')})`,
    );
  if (typeof value !== 'number')
    throw new ArgumentError(`pad: value must be a number, got ${describeValue(value)}`);
  if (mode !== 'constant' && value !== 0)
    throw new ArgumentError(`pad: value applies to mode 'constant' only, got ${value} with mode '${mode}'`);
  for (let i = 0; i < p.length / 2; i++) {
    const axis = x.rank - 1 - i;
    const n = x.shape[axis];
    for (const amount of [p[2 * i], p[2 * i + 1]]) {
      if (mode === 'constant') {
        if (-amount > n)
          throw new ArgumentError(
            `pad: cropping ${-amount} entries from axis ${axis} of size ${n} leaves less than nothing`,
          );
        continue;
      }
      const limit = mode === 'reflect' ? n - 1 : mode === 'circular' ? n : Number.POSITIVE_INFINITY;
      if (amount < 0 || (amount > 0 && (n === 0 || amount > limit)))
        throw new ArgumentError(
          `pad: ${mode} padding of ${amount} on axis ${axis} of size ${n} is out of range (expected ${mode === 'replicate' ? 'a non-negative pad of a non-empty axis' : `0..${Math.max(limit, 0)}`})`,
        );
    }
  }
  return composed([x], () => {
    let out = x;
    for (let i = 0; i < p.length / 2; i++)
      out = padAxis(out, x.rank - 1 - i, p[2 * i], p[2 * i + 1], mode, value);
    return out === x ? reshape(x, x.shape) : out;
  });
}

function padAxis(
  x: Tensor,
  axis: number,
  before: number,
  after: number,
  mode: PadMode,
  value: number,
): Tensor {
  const n = x.shape[axis];
  const cropped = along(x, axis, [Math.max(0, -before), n - Math.max(0, -after)]);
  const block = (count: number, side: 'before' | 'after'): Tensor => {
    if (mode === 'constant') {
      const shape = [...x.shape];
      shape[axis] = count;
      return full(shape, value, { dtype: x.dtype, device: x.device });
    }
    if (mode === 'reflect')
      return flip(
        side === 'before' ? along(x, axis, [1, count + 1]) : along(x, axis, [n - 1 - count, n - 1]),
        axis,
      );
    if (mode === 'circular')
      return side === 'before' ? along(x, axis, [n - count, n]) : along(x, axis, [0, count]);
    const edge = side === 'before' ? along(x, axis, [0, 1]) : along(x, axis, [n - 1, n]);
    const shape = [...x.shape];
    shape[axis] = count;
    return broadcastTo(edge, shape);
  };
  const parts = [
    ...(before > 0 ? [block(before, 'before')] : []),
    cropped,
    ...(after > 0 ? [block(after, 'after')] : []),
  ];
  return parts.length === 1 ? cropped : concat(parts, axis);
}

/**
 * All axes reversed: what `t.T` returns. For a matrix it is the transpose; for other ranks it is
 * PyTorch's deprecated `.T` (`permute(rank-1, …, 0)`); a scalar or vector comes back as a view.
 */
export function transposeAll(x: Tensor): Tensor {
  assertTensor('transposeAll', x);
  return permute(
    x,
    x.shape.map((_, i) => x.rank - 1 - i),
  );
}

/** The last two dimensions swapped (PyTorch's `.mT`): a batch of matrices transposed. Needs rank ≥ 2. */
export function matrixTranspose(x: Tensor): Tensor {
  assertTensor('matrixTranspose', x);
  if (x.rank < 2)
    throw new ShapeError(
      `matrixTranspose: expected a tensor of at least 2 dimensions, got ${formatShape(x.shape)}`,
    );
  return transpose(x, -2, -1);
}
