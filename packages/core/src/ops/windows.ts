/**
 * Sliding windows over the two spatial axes of an NCHW tensor, as one `gather`: the shared step of
 * convolution (im2col) and pooling. A host-side table names, for every kernel offset and output
 * position, the flat input position it reads, or one extra "fill" slot (0 for convolution, −∞ for
 * max pooling) where the window reaches into padding. Gathering through that table is the whole
 * forward pass, and gather's gradient (indexAdd) sums the overlaps back, so convolution and pooling
 * get their gradients from the primitives on every backend. A backend that offers the `im2col` and
 * `col2im` kernels gets the evenly strided windows from them instead, each the other's gradient.
 */
import { recordPrimitive } from '../autograd/tape.js';
import type { WindowGeometry } from '../backend/backend.js';
import { describeValue } from '../describe.js';
import { ArgumentError, DTypeError, ShapeError } from '../errors.js';
import { runKernel } from '../primitives/run.js';
import { formatShape } from '../shape.js';
import { Tensor, tensorInfo } from '../tensor.js';
import { fromArray, full, zeros } from './creation.js';
import { gather, indexAdd } from './gather.js';
import { concat } from './join.js';
import { permute, reshape } from './movement.js';
import { slice } from './slice.js';

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
  /** Set where the windows are evenly strided (position = o·stride + k·dilation − padLow), as `im2col` takes them. */
  readonly step?: { readonly stride: number; readonly dilation: number; readonly padLow: number };
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
    ...(inputStride === 1 ? { step: { stride, dilation, padLow } } : {}),
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

/** The kernels' description of two evenly strided axes; null where either is not (transposed or adaptive windows). */
export function strideGeometry(h: AxisWindow, w: AxisWindow): WindowGeometry | null {
  if (!h.step || !w.step) return null;
  return {
    size: [h.size, w.size],
    out: [h.out, w.out],
    kernel: [h.taps, w.taps],
    stride: [h.step.stride, w.step.stride],
    dilation: [h.step.dilation, w.step.dilation],
    padLow: [h.step.padLow, w.step.padLow],
  };
}

/** The windows of `x` [N, C, H, W]: [N, C, kH·kW, oH·oW], `fill` where a window leaves the input. */
export function gatherWindows(x: Tensor, h: AxisWindow, w: AxisWindow, fill: number): Tensor {
  const geometry = strideGeometry(h, w);
  if (geometry !== null && x.backend.im2col) return im2col(x, geometry, fill);
  return gatherByTable(x, h, w, fill);
}

/** `gatherWindows` composed of required kernels: one gather through the window table. */
function gatherByTable(x: Tensor, h: AxisWindow, w: AxisWindow, fill: number): Tensor {
  const [n, c] = x.shape;
  const table = fromArray(windowTable(h, w), [h.taps * w.taps, h.out * w.out], {
    device: x.device,
    dtype: 'int32',
  });
  const flat = reshape(x, [n, c, h.size * w.size]);
  const fillSlot = full([n, c, 1], fill, { device: x.device, dtype: x.dtype });
  return gather(concat([flat, fillSlot], 2), table, 2);
}

/** The two axes of a geometry, as `strideWindow` makes them. */
function geometryAxes(g: WindowGeometry): [AxisWindow, AxisWindow] {
  const axis = (i: 0 | 1) =>
    strideWindow(g.size[i], g.out[i], g.kernel[i], {
      stride: g.stride[i],
      dilation: g.dilation[i],
      padLow: g.padLow[i],
    });
  return [axis(0), axis(1)];
}

/** What the `im2col` kernel's gradient rule needs. */
export interface Im2colAttrs {
  readonly geometry: WindowGeometry;
}

/**
 * The windows of float32 `x` [N, C, H, W] laid out as [N, C, kH·kW, oH·oW], `fill` where they read
 * padding: the backend's `im2col` kernel where it has one (taped, its gradient `col2im`), else a gather.
 */
export function im2col(x: Tensor, geometry: WindowGeometry, fill: number): Tensor {
  const [kh, kw] = geometry.kernel;
  const [oh, ow] = geometry.out;
  if (!x.backend.im2col) return gatherByTable(x, ...geometryAxes(geometry), fill);
  const shape = [x.shape[0], x.shape[1], kh * kw, oh * ow];
  const out = runKernel('im2col', [x], shape, 'float32', (b) => b.im2col!(tensorInfo(x), geometry, fill));
  return recordPrimitive<Im2colAttrs>('kernel/im2col', out, [x], { geometry });
}

/**
 * `cols` [N, C, kH·kW, oH·oW] summed back into the windows' input [N, C, H, W] (the adjoint of
 * `im2col`): the backend's `col2im` kernel where it has one (taped, its gradient `im2col`), else an indexAdd.
 */
export function col2im(cols: Tensor, geometry: WindowGeometry): Tensor {
  const [n, c] = cols.shape;
  const [height, width] = geometry.size;
  if (cols.backend.col2im) {
    const out = runKernel('col2im', [cols], [n, c, height, width], 'float32', (b) =>
      b.col2im!(tensorInfo(cols), geometry),
    );
    return recordPrimitive<Im2colAttrs>('kernel/col2im', out, [cols], { geometry });
  }
  const [h, w] = geometryAxes(geometry);
  const plane = height * width;
  const table = fromArray(windowTable(h, w), [h.taps * w.taps * h.out * w.out], {
    device: cols.device,
    dtype: 'int32',
  });
  const base = zeros([n, c, plane + 1], { device: cols.device });
  const summed = indexAdd(base, 2, table, reshape(cols, [n, c, table.size]));
  return reshape(slice(summed, [null, null, [0, plane]]), [n, c, height, width]);
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
