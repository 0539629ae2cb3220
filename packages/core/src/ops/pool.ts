/**
 * 2-D pooling in PyTorch's NCHW layout, composed from core's ops over the windows of windows.ts:
 * max pooling selects each window's first maximum (its gradient goes to that element alone, as
 * PyTorch's does), average pooling sums and divides by PyTorch's per-window divisor. A backend's
 * `maxPoolIndices` kernel replaces the windows of max pooling: the values are then one gather.
 */
import { ArgumentError, ShapeError } from '../errors.js';
import { runKernel } from '../primitives/run.js';
import { formatShape } from '../shape.js';
import { type Tensor, tensorInfo } from '../tensor.js';
import { checkBoolean, checkOptions } from '../validate.js';
import { add, div, mul } from './arithmetic.js';
import { eq, where } from './compare.js';
import { arange, fromArray } from './creation.js';
import { gather } from './gather.js';
import { reshape } from './movement.js';
import { argmax, sum } from './reduce.js';
import {
  type AxisWindow,
  asBatched,
  gatherWindows,
  type Pair,
  pair,
  strideGeometry,
  strideWindow,
  tiledWindows,
  windowPositions,
} from './windows.js';

/** Options of `maxPool2d` (PyTorch's `F.max_pool2d`). */
export interface MaxPool2dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Pair;
  /** Implicit −∞ on both sides (default 0; at most half the kernel). */
  padding?: Pair;
  /** Spacing between window taps (default 1). */
  dilation?: Pair;
  /** Round the output size up, so a last partial window is kept (default false). */
  ceilMode?: boolean;
}

/** Options of `avgPool2d` (PyTorch's `F.avg_pool2d`). */
export interface AvgPool2dOptions {
  stride?: Pair;
  /** Implicit zeros on both sides (default 0; at most half the kernel). */
  padding?: Pair;
  ceilMode?: boolean;
  /** Count the padding zeros in each window's divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
  /** Divide every window by this instead. */
  divisorOverride?: number;
}

/** A max pooling's values and, for each, the flat index into its input plane H·W (int32), as PyTorch returns them. */
export interface PoolWithIndices {
  values: Tensor;
  indices: Tensor;
}

/** PyTorch's pooling output size (pooling_output_shape), refusing windows that do not fit. */
function pooledLength(
  op: string,
  size: number,
  taps: number,
  stride: number,
  pad: number,
  dilation: number,
  ceilMode: boolean,
): number {
  if (pad > Math.floor(taps / 2))
    throw new ArgumentError(`${op}: padding ${pad} must be at most half the kernel size ${taps}`);
  const span = size + 2 * pad - dilation * (taps - 1) - 1 + (ceilMode ? stride - 1 : 0);
  let out = Math.floor(span / stride) + 1;
  if (ceilMode && (out - 1) * stride >= size + pad) out--;
  if (out < 1)
    throw new ShapeError(
      `${op}: input size ${size} (padded ${size + 2 * pad}) is smaller than the kernel size ${dilation * (taps - 1) + 1}`,
    );
  return out;
}

interface PoolGeometry {
  h: AxisWindow;
  w: AxisWindow;
  stride: [number, number];
  padding: [number, number];
  kernel: [number, number];
  /** Whether the windows tile the input exactly (see `tiledWindows`). */
  tiles: boolean;
}

function geometry(
  op: string,
  x4: Tensor,
  kernelSize: Pair,
  options: { stride?: Pair; padding?: Pair; dilation?: Pair; ceilMode?: boolean },
): PoolGeometry {
  const kernel = pair(op, 'kernelSize', kernelSize, 1);
  const stride = pair(op, 'stride', options.stride ?? kernel, 1);
  const padding = pair(op, 'padding', options.padding ?? 0, 0);
  const dilation = pair(op, 'dilation', options.dilation ?? 1, 1);
  const ceil = checkBoolean(op, 'ceilMode', options.ceilMode) ?? false;
  const [, , height, width] = x4.shape;
  const axis = (i: 0 | 1, size: number) =>
    strideWindow(
      size,
      pooledLength(op, size, kernel[i], stride[i], padding[i], dilation[i], ceil),
      kernel[i],
      {
        stride: stride[i],
        dilation: dilation[i],
        padLow: padding[i],
      },
    );
  const h = axis(0, height);
  const w = axis(1, width);
  const tiles =
    [0, 1].every((i) => stride[i] === kernel[i] && padding[i] === 0 && dilation[i] === 1) &&
    h.out * kernel[0] === height &&
    w.out * kernel[1] === width;
  return { h, w, stride, padding, kernel, tiles };
}

const MAX_OPTIONS = ['stride', 'padding', 'dilation', 'ceilMode'];

interface MaxPooled {
  values: Tensor;
  /** Each maximum's flat index h·W + w in its input plane (int32, shaped as `values`), made on demand. */
  indices: () => Tensor;
}

/**
 * The entries of `x4` [N, C, H, W] at `indices` [N, C, …] (flat positions within each plane): one
 * gather, whose gradient (indexAdd) sends each output's gradient to the element it read alone.
 */
function gatherFromPlanes(x4: Tensor, indices: Tensor): Tensor {
  const [n, c, height, width] = x4.shape;
  const plane = height * width;
  const planes = n * c;
  const starts = arange(0, planes * plane, plane, { device: x4.device, dtype: 'int32' });
  const flat = add(reshape(indices, [planes, indices.size / planes]), reshape(starts, [planes, 1]));
  return gather(reshape(x4, [x4.size]), reshape(flat, [flat.size]), 0);
}

function maxPool(x: Tensor, kernelSize: Pair, options: MaxPool2dOptions): MaxPooled {
  const op = 'maxPool2d';
  const opts = checkOptions<MaxPool2dOptions>(op, options, MAX_OPTIONS);
  const { x4, unbatched } = asBatched(op, x);
  const { h, w, tiles } = geometry(op, x4, kernelSize, opts);
  const [n, c] = x4.shape;
  const shape = unbatched ? [c, h.out, w.out] : [n, c, h.out, w.out];
  const strided = strideGeometry(h, w);
  if (strided !== null && x4.size > 0 && x4.backend.maxPoolIndices) {
    const indices = runKernel(op, [x4], shape, 'int32', (b) => b.maxPoolIndices!(tensorInfo(x4), strided));
    return { values: reshape(gatherFromPlanes(x4, indices), shape), indices: () => indices };
  }
  const taps = h.taps * w.taps;
  const windows = tiles
    ? tiledWindows(x4, h.taps, w.taps)
    : gatherWindows(x4, h, w, Number.NEGATIVE_INFINITY);
  const winner = argmax(windows, 2, { keepDims: true });
  // Selecting the winner (rather than reducing with max) sends the gradient to it alone.
  const tapIds = reshape(arange(0, taps, 1, { device: x4.device, dtype: 'int32' }), [taps, 1]);
  const values = reshape(sum(where(eq(winner, tapIds), windows, 0), 2), shape);
  const indices = () => {
    const positions = h.out * w.out;
    const table = fromArray(windowPositions(h, w), [taps * positions], { device: x.device, dtype: 'int32' });
    const column = arange(0, positions, 1, { device: x.device, dtype: 'int32' });
    const flat = add(mul(reshape(winner, [winner.size / positions, positions]), positions), column);
    return reshape(gather(table, flat, 0), shape);
  };
  return { values, indices };
}

/**
 * Max pooling with indices (PyTorch's `F.max_pool2d(..., return_indices=True)`): for `x` [N, C, H, W]
 * (or [C, H, W]) the window maxima [N, C, oH, oW] and the flat index (h·W + w) of each in its input plane.
 * A backend's `maxPoolIndices` kernel finds the maxima where it has one, else core's window composition.
 */
export function maxPool2dWithIndices(
  x: Tensor,
  kernelSize: Pair,
  options: MaxPool2dOptions = {},
): PoolWithIndices {
  const { values, indices } = maxPool(x, kernelSize, options);
  return { values, indices: indices() };
}

/** Max pooling (PyTorch's `F.max_pool2d`) of `x` [N, C, H, W] (or [C, H, W]) over `kernelSize` windows. */
export function maxPool2d(x: Tensor, kernelSize: Pair, options: MaxPool2dOptions = {}): Tensor {
  return maxPool(x, kernelSize, options).values;
}

/** Average pooling (PyTorch's `F.avg_pool2d`) of `x` [N, C, H, W] (or [C, H, W]) over `kernelSize` windows. */
export function avgPool2d(x: Tensor, kernelSize: Pair, options: AvgPool2dOptions = {}): Tensor {
  const op = 'avgPool2d';
  const opts = checkOptions<AvgPool2dOptions>(op, options, [
    ...MAX_OPTIONS.slice(0, 2),
    'ceilMode',
    'countIncludePad',
    'divisorOverride',
  ]);
  const { x4, unbatched } = asBatched(op, x);
  const includePad = checkBoolean(op, 'countIncludePad', opts.countIncludePad) ?? true;
  const override = opts.divisorOverride;
  if (
    override !== undefined &&
    (typeof override !== 'number' || !Number.isFinite(override) || override === 0)
  )
    throw new ArgumentError(`${op}: divisorOverride must be a non-zero number, got ${String(override)}`);
  const { h, w, stride, padding, kernel, tiles } = geometry(op, x4, kernelSize, opts);
  const [n, c, height, width] = x4.shape;
  // PyTorch's divisor: the window clipped to the padded input, or to the input itself without countIncludePad.
  const extent = (o: number, i: 0 | 1, size: number) => {
    const start = o * stride[i] - padding[i];
    const end = Math.min(start + kernel[i], size + padding[i]);
    return includePad ? end - start : Math.min(end, size) - Math.max(start, 0);
  };
  const divisor = new Float32Array(h.out * w.out);
  for (let oh = 0; oh < h.out; oh++)
    for (let ow = 0; ow < w.out; ow++)
      divisor[oh * w.out + ow] = override ?? extent(oh, 0, height) * extent(ow, 1, width);
  const sums = sum(tiles ? tiledWindows(x4, h.taps, w.taps) : gatherWindows(x4, h, w, 0), 2);
  const y = div(sums, fromArray(divisor, [h.out * w.out], { device: x4.device }));
  return reshape(y, unbatched ? [c, h.out, w.out] : [n, c, h.out, w.out]);
}

/** One axis of adaptive pooling: window o covers [⌊o·size/out⌋, ⌈(o+1)·size/out⌉). */
function adaptiveAxis(size: number, out: number): { axis: AxisWindow; lengths: number[] } {
  const start = (o: number) => Math.floor((o * size) / out);
  const end = (o: number) => Math.ceil(((o + 1) * size) / out);
  const lengths = Array.from({ length: out }, (_, o) => end(o) - start(o));
  const taps = Math.max(...lengths);
  return {
    axis: { size, out, taps, position: (o, k) => (k < lengths[o] ? start(o) + k : -1) },
    lengths,
  };
}

/**
 * Adaptive average pooling (PyTorch's `F.adaptive_avg_pool2d`): `x` [N, C, H, W] (or [C, H, W]) to
 * [N, C, oH, oW], each output the mean of the window ⌊o·H/oH⌋ … ⌈(o+1)·H/oH⌉ − 1 (and likewise in width).
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: Pair): Tensor {
  const op = 'adaptiveAvgPool2d';
  const { x4, unbatched } = asBatched(op, x);
  const [oh, ow] = pair(op, 'outputSize', outputSize, 1);
  const [n, c, height, width] = x4.shape;
  if (height === 0 || width === 0)
    throw new ShapeError(`${op}: input ${formatShape(x4.shape)} has an empty spatial dimension`);
  const rows = adaptiveAxis(height, oh);
  const cols = adaptiveAxis(width, ow);
  const divisor = new Float32Array(oh * ow);
  for (let i = 0; i < oh; i++)
    for (let j = 0; j < ow; j++) divisor[i * ow + j] = rows.lengths[i] * cols.lengths[j];
  const sums = sum(gatherWindows(x4, rows.axis, cols.axis, 0), 2);
  const y = div(sums, fromArray(divisor, [oh * ow], { device: x4.device }));
  return reshape(y, unbatched ? [c, oh, ow] : [n, c, oh, ow]);
}
