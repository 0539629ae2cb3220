/**
 * Sliding windows over the two spatial axes of an NCHW tensor, as one `gather`: the shared step of
 * convolution (im2col) and pooling. A host-side table names, for every kernel offset and output
 * position, the flat input position it reads, or one extra "fill" slot (0 for convolution, −∞ for
 * max pooling) where the window reaches into padding. Gathering through that table is the whole
 * forward pass, and gather's gradient (indexAdd) sums the overlaps back, so convolution and pooling
 * get their gradients from the primitives on every backend.
 */
import { describeValue } from '../describe.js';
import { ArgumentError, DTypeError, ShapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { fromArray, full } from './creation.js';
import { gather } from './gather.js';
import { concat } from './join.js';
import { permute, reshape } from './movement.js';

/** One spatial axis of a window: which virtual positions a window at output `o`, kernel tap `k` reads. */
export interface AxisWindow {
  /** Input length on this axis. */
  readonly size: number;
  /** Output length on this axis. */
  readonly out: number;
  /** Kernel taps on this axis (the largest, for adaptive windows). */
  readonly taps: number;
  /**
   * The input position read at output `o`, tap `k`, or −1 where it falls outside the input
   * (padding, or the unused taps of a shorter adaptive window).
   */
  readonly position: (o: number, k: number) => number;
}

/** Integer pairs (height, width) as PyTorch takes them: one number for both, or a pair. */
export type Pair = number | readonly [number, number];

/** Reads a pair argument of `op`, each a integer ≥ `min`. */
export function pair(op: string, name: string, value: Pair, min: number): [number, number] {
  const both = typeof value === 'number' ? [value, value] : value;
  if (
    !Array.isArray(both) ||
    both.length !== 2 ||
    both.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < min)
  ) {
    throw new ArgumentError(
      `${op}: ${name} must be an integer >= ${min} or a pair of them, got ${describeValue(value)}`,
    );
  }
  return [both[0], both[1]];
}

/** The usual window axis: stride, dilation and padding before the input (`padLow`), with `inputStride` zeros between inputs (transposed convolution). */
export function strideWindow(
  size: number,
  out: number,
  taps: number,
  { stride = 1, dilation = 1, padLow = 0, inputStride = 1 } = {},
): AxisWindow {
  return {
    size,
    out,
    taps,
    position: (o, k) => {
      const v = o * stride + k * dilation - padLow;
      if (v < 0 || v % inputStride !== 0) return -1;
      const p = v / inputStride;
      return p < size ? p : -1;
    },
  };
}

/** Throws unless `value` is a float32 Tensor, naming the op and the argument. */
export function assertFloatTensor(op: string, value: unknown, name = 'input'): asserts value is Tensor {
  if (!(value instanceof Tensor))
    throw new ArgumentError(`${op}: ${name} must be a Tensor, got ${describeValue(value)}`);
  if (value.dtype !== 'float32') throw new DTypeError(`${op}: ${name} must be float32, got ${value.dtype}`);
}

/** Checks that `x` is [N, C, H, W] (or [C, H, W], read as one sample) and returns it 4-D with whether it was unbatched. */
export function asBatched(op: string, x: Tensor, spatial = 2): { x4: Tensor; unbatched: boolean } {
  assertFloatTensor(op, x);
  const rank = spatial + 2;
  if (x.rank !== rank && x.rank !== rank - 1) {
    throw new ShapeError(
      `${op}: expected a ${rank}-D input [N, C, ${spatial === 2 ? 'H, W' : 'L'}] or an unbatched ${rank - 1}-D one, got ${formatShape(x.shape)}`,
    );
  }
  if (x.rank === rank) return { x4: x, unbatched: false };
  return { x4: reshape(x, [1, ...x.shape]), unbatched: true };
}

/** The gather table [kH·kW, oH·oW]: flat input positions, `H·W` for the fill slot. */
function windowTable(h: AxisWindow, w: AxisWindow): Int32Array {
  const fillSlot = h.size * w.size;
  const positions = h.out * w.out;
  const table = new Int32Array(h.taps * w.taps * positions);
  for (let kh = 0; kh < h.taps; kh++) {
    for (let kw = 0; kw < w.taps; kw++) {
      const row = (kh * w.taps + kw) * positions;
      for (let oh = 0; oh < h.out; oh++) {
        const ih = h.position(oh, kh);
        for (let ow = 0; ow < w.out; ow++) {
          const iw = ih < 0 ? -1 : w.position(ow, kw);
          table[row + oh * w.out + ow] = iw < 0 ? fillSlot : ih * w.size + iw;
        }
      }
    }
  }
  return table;
}

/** The windows of `x` [N, C, H, W]: [N, C, kH·kW, oH·oW], `fill` where a window leaves the input. */
export function gatherWindows(x: Tensor, h: AxisWindow, w: AxisWindow, fill: number): Tensor {
  const [n, c] = x.shape;
  const table = fromArray(windowTable(h, w), [h.taps * w.taps, h.out * w.out], {
    device: x.device,
    dtype: 'int32',
  });
  const flat = reshape(x, [n, c, h.size * w.size]);
  const fillSlot = full([n, c, 1], fill, { device: x.device, dtype: x.dtype });
  return gather(concat([flat, fillSlot], 2), table, 2);
}

/** The input position each window tap reads, as [kH·kW, oH·oW] flat indices (−1 for the fill slot): max pooling's indices. */
export function windowPositions(h: AxisWindow, w: AxisWindow): Int32Array {
  const table = windowTable(h, w);
  const fillSlot = h.size * w.size;
  return table.map((v) => (v === fillSlot ? -1 : v));
}

/**
 * The windows of `x` [N, C, H, W] as `gatherWindows` lays them out, by a reshape and a transpose
 * alone, when kH×kW windows tile the input exactly (stride = kernel, no padding or dilation, H and
 * W multiples of the kernel): no index table, and a transpose instead of indexAdd in the gradient.
 */
export function tiledWindows(x: Tensor, kh: number, kw: number): Tensor {
  const [n, c, h, w] = x.shape;
  const tiles = reshape(x, [n, c, h / kh, kh, w / kw, kw]);
  return reshape(permute(tiles, [0, 1, 3, 5, 2, 4]), [n, c, kh * kw, (h / kh) * (w / kw)]);
}
