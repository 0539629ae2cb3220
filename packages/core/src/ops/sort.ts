/**
 * Sorting and order statistics: sort, argsort, topk, kthvalue, median. The order comes from a
 * bitonic sorting network of compare-exchange steps written in core's primitives (reshape, slice,
 * comparisons, where, concat): an axis of n entries is padded to N = 2^⌈log₂ n⌉ and sorted in
 * log₂N·(log₂N + 1)/2 rounds, O(N log² N) work, with the original positions carried along as int32
 * and used to break ties, so every sort is stable. The network runs on detached values; the
 * values returned are gathered from the input by the sort indices, so gradients flow to the
 * selected elements. NaN sorts after +∞ (first when descending), as in PyTorch.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { describeValue } from '../describe.js';
import { ENGINE } from '../engine/engine.js';
import { ArgumentError, ShapeError } from '../errors.js';
import { formatShape, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkBoolean, checkOptions } from '../validate.js';
import { cast } from './cast.js';
import { eq, ge, gt, logicalNot, lt, ne, where } from './compare.js';
import { assertTensor } from './compose.js';
import { arange, full, tensor } from './creation.js';
import { detach } from './device.js';
import { takeAlongAxis } from './indexing.js';
import { concat } from './join.js';
import { logicalAnd, logicalOr } from './logic.js';
import { broadcastTo, permute, reshape } from './movement.js';
import { type SliceRange, slice } from './slice.js';

export interface SortOptions {
  /** Largest first (default false). */
  descending?: boolean;
  /** Accepted for PyTorch's signature; every sort here is stable. */
  stable?: boolean;
}

export interface TopkOptions {
  /** The k largest (default true) or the k smallest. */
  largest?: boolean;
  /** Accepted for PyTorch's signature; the k entries always come in order. */
  sorted?: boolean;
}

/** Values and their positions along the axis (int32), as PyTorch's sort/topk/kthvalue return them. */
export interface ValuesAndIndices {
  values: Tensor;
  indices: Tensor;
}

function along(x: Tensor, axis: number, range: SliceRange): Tensor {
  const ranges: SliceRange[] = x.shape.map(() => null);
  ranges[axis] = range;
  return slice(x, ranges);
}

/**
 * Whether (a, ia) comes before (b, ib): by value (NaN greatest), then by position. Positions from
 * `n` on are padding, which comes after every element: decided by position, not by a sentinel
 * value, since WGSL may assume there are no NaNs or infinities.
 */
function before(
  a: Tensor,
  ia: Tensor,
  b: Tensor,
  ib: Tensor,
  n: number,
  descending: boolean,
  float: boolean,
): Tensor {
  let first = descending ? gt(a, b) : lt(a, b);
  let same = eq(a, b);
  if (float) {
    const nanA = ne(a, a);
    const nanB = ne(b, b);
    first = descending ? where(nanA, logicalNot(nanB), first) : where(nanB, logicalNot(nanA), first);
    same = where(nanA, nanB, same);
  }
  const byValue = where(same, lt(ia, ib), first);
  const padA = ge(ia, n);
  const padB = ge(ib, n);
  // A padding slot never comes first; a real element comes before a padding slot.
  return where(logicalOr(padA, padB), logicalAnd(lt(ia, ib), padB), byValue);
}

/** The permutation that sorts `x` along `axis` (int32, x's shape), stable. */
function sortPermutation(x: Tensor, axis: number, descending: boolean): Tensor {
  return ENGINE.tidy(() =>
    noGrad(() => {
      const keys = x.dtype === 'bool' ? cast(x, 'int32') : detach(x);
      const float = keys.dtype === 'float32';
      const perm = [...x.shape.keys()].filter((d) => d !== axis).concat(axis);
      const moved = permute(keys, perm);
      const n = x.shape[axis];
      const batch = n === 0 ? 0 : x.size / n;
      let size = 1;
      while (size < n) size *= 2;
      let v = reshape(moved, [batch, n]);
      if (size > n) {
        // The padding's value is irrelevant: `before` orders padding by position.
        v = concat([v, full([batch, size - n], 0, { dtype: keys.dtype, device: x.device })], 1);
      }
      let idx = broadcastTo(arange(0, size, 1, { dtype: 'int32', device: x.device }), [batch, size]);
      for (let k = 2; k <= size; k *= 2) {
        for (let j = k / 2; j >= 1; j /= 2) {
          const blocks = size / (2 * j);
          const split = (t: Tensor) => {
            const r = reshape(t, [batch, blocks, 2, j]);
            return [along(r, 2, [0, 1]), along(r, 2, [1, 2])];
          };
          const [lo, hi] = split(v);
          const [ilo, ihi] = split(idx);
          // Blocks whose bit k is clear sort up, the others down (the bitonic pattern).
          const upMask = Array.from({ length: blocks }, (_, b) => ((b * 2 * j) & k) === 0);
          const up = tensor(upMask, { dtype: 'bool', device: x.device, shape: [1, blocks, 1, 1] });
          const ordered = before(lo, ilo, hi, ihi, n, descending, float);
          const swap = where(up, logicalNot(ordered), ordered);
          v = reshape(concat([where(swap, hi, lo), where(swap, lo, hi)], 2), [batch, size]);
          idx = reshape(concat([where(swap, ihi, ilo), where(swap, ilo, ihi)], 2), [batch, size]);
        }
      }
      const sorted = reshape(size > n ? along(idx, 1, [0, n]) : idx, moved.shape);
      const inverse = perm.map(() => 0);
      perm.forEach((p, i) => {
        inverse[p] = i;
      });
      return permute(sorted, inverse);
    }),
  );
}

function sortAxis(op: string, x: Tensor, axis: number): number {
  assertTensor(op, x);
  if (x.rank === 0) return 0;
  return normalizeAxis(op, axis, x.rank);
}

function sortOptions(op: string, options: unknown): SortOptions {
  const o = checkOptions<SortOptions>(op, options, ['descending', 'stable']);
  checkBoolean(op, 'descending', o.descending);
  checkBoolean(op, 'stable', o.stable);
  return o;
}

/**
 * Sorts along `axis` (the last by default), ascending unless `descending` (torch.sort). Stable:
 * equal values keep their order. Returns the sorted values and their original positions (int32).
 */
export function sort(x: Tensor, axis = -1, options: SortOptions = {}): ValuesAndIndices {
  const a = sortAxis('sort', x, axis);
  const { descending = false } = sortOptions('sort', options);
  if (x.rank === 0)
    return { values: reshape(x, []), indices: full([], 0, { dtype: 'int32', device: x.device }) };
  const indices = sortPermutation(x, a, descending);
  return { values: takeAlongAxis(x, indices, a), indices };
}

/** The positions (int32) that sort `x` along `axis` (torch.argsort); stable. */
export function argsort(x: Tensor, axis = -1, options: SortOptions = {}): Tensor {
  const a = sortAxis('argsort', x, axis);
  const { descending = false } = sortOptions('argsort', options);
  if (x.rank === 0) return full([], 0, { dtype: 'int32', device: x.device });
  return sortPermutation(x, a, descending);
}

/**
 * The `k` largest (or, with `largest: false`, smallest) entries along `axis` and their positions
 * (torch.topk), in order; among equal values the earlier position comes first.
 */
export function topk(x: Tensor, k: number, axis = -1, options: TopkOptions = {}): ValuesAndIndices {
  const a = sortAxis('topk', x, axis);
  const o = checkOptions<TopkOptions>('topk', options, ['largest', 'sorted']);
  checkBoolean('topk', 'largest', o.largest);
  checkBoolean('topk', 'sorted', o.sorted);
  const n = x.rank === 0 ? 1 : x.shape[a];
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > n)
    throw new ArgumentError(
      `topk: k must be an integer in 0..${n} (the size of axis ${a}), got ${describeValue(k)}`,
    );
  if (x.rank === 0) return sort(x);
  const order = sortPermutation(x, a, o.largest ?? true);
  const indices = along(order, a, [0, k]);
  order.dispose();
  return { values: takeAlongAxis(x, indices, a), indices };
}

/**
 * The `k`-th smallest entry (1-based) along `axis` and its position (torch.kthvalue); with
 * `keepDims` the axis stays with size 1.
 */
export function kthvalue(
  x: Tensor,
  k: number,
  axis = -1,
  options: { keepDims?: boolean } = {},
): ValuesAndIndices {
  const a = sortAxis('kthvalue', x, axis);
  const o = checkOptions<{ keepDims?: boolean }>('kthvalue', options, ['keepDims']);
  checkBoolean('kthvalue', 'keepDims', o.keepDims);
  const n = x.rank === 0 ? 1 : x.shape[a];
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > n)
    throw new ArgumentError(
      `kthvalue: k must be an integer in 1..${n} (the size of axis ${a}), got ${describeValue(k)}`,
    );
  if (x.rank === 0) return sort(x);
  return pick(x, a, sortPermutation(x, a, false), () => k - 1, o.keepDims ?? false);
}

/** The entries at sorted position `position(order)` along `axis`, with their indices. */
function pick(
  x: Tensor,
  axis: number,
  order: Tensor,
  choose: (order: Tensor) => number | Tensor,
  keepDims: boolean,
): ValuesAndIndices {
  const at = choose(order);
  const indices = typeof at === 'number' ? along(order, axis, [at, at + 1]) : at;
  order.dispose();
  const values = takeAlongAxis(x, indices, axis);
  if (keepDims) return { values, indices };
  const shape = x.shape.filter((_, i) => i !== axis);
  return { values: reshape(values, shape), indices: reshape(indices, shape) };
}

/**
 * The median along `axis` (of all entries when undefined), as torch.median: for an even count the
 * lower of the two middle values, and NaN where the entries hold a NaN. The gradient goes to the
 * one entry picked (PyTorch spreads it over equal entries when reducing all of them).
 */
export function median(x: Tensor, axis?: number, options: { keepDims?: boolean } = {}): Tensor {
  assertTensor('median', x);
  const o = checkOptions<{ keepDims?: boolean }>('median', options, ['keepDims']);
  checkBoolean('median', 'keepDims', o.keepDims);
  if (axis === undefined) {
    const flat = reshape(x, [x.size]);
    const m = median(flat, 0);
    return o.keepDims
      ? reshape(
          m,
          x.shape.map(() => 1),
        )
      : m;
  }
  const a = sortAxis('median', x, axis);
  if (x.rank === 0) return reshape(x, []);
  const n = x.shape[a];
  if (n === 0)
    throw new ShapeError(`median: cannot take the median over an empty dimension of ${formatShape(x.shape)}`);
  const order = sortPermutation(x, a, false);
  const picked = pick(
    x,
    a,
    order,
    (ord) => {
      const middle = along(ord, a, [(n - 1) >> 1, ((n - 1) >> 1) + 1]);
      if (x.dtype !== 'float32') return middle;
      // NaN sorts last: where the last entry is NaN the median is NaN (that entry's).
      const last = along(ord, a, [n - 1, n]);
      return ENGINE.tidy(() =>
        noGrad(() => {
          const lastValue = takeAlongAxis(detach(x), last, a);
          return where(ne(lastValue, lastValue), last, middle);
        }),
      );
    },
    o.keepDims ?? false,
  );
  picked.indices.dispose();
  return picked.values;
}
