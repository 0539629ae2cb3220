/**
 * Convolutions in PyTorch's NCHW layout, composed from core's ops: the input's sliding windows are
 * gathered into columns (im2col, see windows.ts) and multiplied by the weight with one batched
 * matmul per group. No gradient is written here: gather, matmul, reshape and add carry their own,
 * so every backend gets convolution and its gradient from the primitives it already has.
 */
import { describeValue } from '../describe.js';
import { ArgumentError, ShapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkOptions } from '../validate.js';
import { add } from './arithmetic.js';
import { matmul } from './matmul.js';
import { permute, reshape } from './movement.js';
import { slice } from './slice.js';
import {
  type AxisWindow,
  asBatched,
  assertFloatTensor,
  gatherWindows,
  type Pair,
  pair,
  strideWindow,
} from './windows.js';

export type { Pair } from './windows.js';

/** Options of `conv2d` (PyTorch's arguments of `F.conv2d`). */
export interface Conv2dOptions {
  /** Step between windows (default 1). */
  stride?: Pair;
  /**
   * Zeros added on both sides of each spatial axis (default 0), or `'valid'` (none) or `'same'`
   * (output as large as the input; stride 1 only; an odd total puts the extra zero after, as PyTorch).
   */
  padding?: Pair | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
  /** Input and output channels split into this many independent groups (default 1). */
  groups?: number;
}

/** Options of `conv1d`: as `conv2d`'s, one number per option. */
export interface Conv1dOptions {
  stride?: number;
  padding?: number | 'same' | 'valid';
  dilation?: number;
  groups?: number;
}

/** Options of `convTranspose2d` (PyTorch's `F.conv_transpose2d`). */
export interface ConvTranspose2dOptions {
  /** Step between the input's positions in the output (default 1). */
  stride?: Pair;
  /** Rows and columns removed from each side of the full output (default 0). */
  padding?: Pair;
  /** Extra rows and columns added at the end of the output (default 0; less than stride or dilation). */
  outputPadding?: Pair;
  dilation?: Pair;
  groups?: number;
}

const CONV_OPTIONS = ['stride', 'padding', 'dilation', 'groups'];

function checkGroups(op: string, groups: unknown): number {
  if (typeof groups !== 'number' || !Number.isInteger(groups) || groups < 1)
    throw new ArgumentError(`${op}: groups must be a positive integer, got ${describeValue(groups)}`);
  return groups;
}

/** Checks input, weight and bias of a convolution whose weight is [out, in/groups, ...kernel]. */
function checkOperands(
  op: string,
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  groups: number,
  spatial: number,
): void {
  assertFloatTensor(op, weight, 'weight');
  if (weight.rank !== spatial + 2)
    throw new ShapeError(
      `${op}: weight must be ${spatial + 2}-D [out, in/groups, ${spatial === 2 ? 'kH, kW' : 'k'}], got ${formatShape(weight.shape)}`,
    );
  const channels = x.shape[1];
  const [out, perGroup] = weight.shape;
  if (channels % groups !== 0 || out % groups !== 0 || perGroup * groups !== channels) {
    throw new ShapeError(
      `${op}: input ${formatShape(x.shape)} with ${channels} channels, weight ${formatShape(weight.shape)} and groups=${groups} do not fit (expected weight [out, ${channels}/${groups}, ...] with out divisible by ${groups})`,
    );
  }
  if (bias != null) {
    assertFloatTensor(op, bias, 'bias');
    if (bias.rank !== 1 || bias.shape[0] !== out)
      throw new ShapeError(`${op}: bias must have shape [${out}], got ${formatShape(bias.shape)}`);
  }
}

/** Output length on one axis; a window that does not fit is a ShapeError. */
function outputLength(
  op: string,
  size: number,
  taps: number,
  stride: number,
  dilation: number,
  pad: number,
): number {
  const out = Math.floor((size + pad - dilation * (taps - 1) - 1) / stride) + 1;
  if (out < 1) {
    throw new ShapeError(
      `${op}: input size ${size} (padded ${size + pad}) is smaller than the dilated kernel size ${dilation * (taps - 1) + 1}`,
    );
  }
  return out;
}

/** Columns times weight: x [N, C, H, W] windowed by `h`/`w`, weight [O, C/G, kH, kW], bias [O]. */
function convolve(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  h: AxisWindow,
  w: AxisWindow,
  groups: number,
): Tensor {
  const [n, c] = x.shape;
  const out = weight.shape[0];
  const taps = h.taps * w.taps;
  const cols = gatherWindows(x, h, w, 0);
  const positions = h.out * w.out;
  const grouped = reshape(cols, [n, groups, (c / groups) * taps, positions]);
  const kernel = reshape(weight, [groups, out / groups, (c / groups) * taps]);
  const y = reshape(matmul(kernel, grouped), [n, out, h.out, w.out]);
  return bias != null ? add(y, reshape(bias, [out, 1, 1])) : y;
}

function readPadding(op: string, padding: Pair | 'same' | 'valid'): [number, number] | 'same' {
  if (padding === 'same') return 'same';
  if (padding === 'valid') return [0, 0];
  return pair(op, 'padding', padding, 0);
}

/**
 * 2-D convolution (cross-correlation, as PyTorch's `F.conv2d`) of `x` [N, C, H, W] (or [C, H, W])
 * with `weight` [out, C/groups, kH, kW], plus `bias` [out]: [N, out, oH, oW] with
 * oH = ⌊(H + 2·padding − dilation·(kH − 1) − 1) / stride⌋ + 1.
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  const op = 'conv2d';
  const opts = checkOptions<Conv2dOptions>(op, options, CONV_OPTIONS);
  const { x4, unbatched } = asBatched(op, x);
  const groups = checkGroups(op, opts.groups ?? 1);
  checkOperands(op, x4, weight, bias, groups, 2);
  const [sh, sw] = pair(op, 'stride', opts.stride ?? 1, 1);
  const [dh, dw] = pair(op, 'dilation', opts.dilation ?? 1, 1);
  const padding = readPadding(op, opts.padding ?? 0);
  const [, , kh, kw] = weight.shape;
  const [, , height, width] = x4.shape;
  let axes: [AxisWindow, AxisWindow];
  if (padding === 'same') {
    if (sh !== 1 || sw !== 1)
      throw new ArgumentError(`${op}: padding 'same' needs stride 1, got stride [${sh}, ${sw}]`);
    axes = [
      strideWindow(height, height, kh, { dilation: dh, padLow: Math.floor((dh * (kh - 1)) / 2) }),
      strideWindow(width, width, kw, { dilation: dw, padLow: Math.floor((dw * (kw - 1)) / 2) }),
    ];
  } else {
    const [ph, pw] = padding;
    axes = [
      strideWindow(height, outputLength(op, height, kh, sh, dh, 2 * ph), kh, {
        stride: sh,
        dilation: dh,
        padLow: ph,
      }),
      strideWindow(width, outputLength(op, width, kw, sw, dw, 2 * pw), kw, {
        stride: sw,
        dilation: dw,
        padLow: pw,
      }),
    ];
  }
  const y = convolve(x4, weight, bias, axes[0], axes[1], groups);
  return unbatched ? reshape(y, y.shape.slice(1)) : y;
}

function single(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number')
    throw new ArgumentError(`${op}: ${name} must be an integer, got ${describeValue(value)}`);
  return value;
}

/**
 * 1-D convolution (PyTorch's `F.conv1d`) of `x` [N, C, L] (or [C, L]) with `weight` [out, C/groups, k]
 * plus `bias` [out]: [N, out, oL]. It is `conv2d` on a height of 1.
 */
export function conv1d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv1dOptions = {}): Tensor {
  const op = 'conv1d';
  const opts = checkOptions<Conv1dOptions>(op, options, CONV_OPTIONS);
  const { x4: x3, unbatched } = asBatched(op, x, 1);
  assertFloatTensor(op, weight, 'weight');
  if (weight.rank !== 3)
    throw new ShapeError(`${op}: weight must be 3-D [out, in/groups, k], got ${formatShape(weight.shape)}`);
  const padding = opts.padding ?? 0;
  const y = conv2d(
    reshape(x3, [x3.shape[0], x3.shape[1], 1, x3.shape[2]]),
    reshape(weight, [weight.shape[0], weight.shape[1], 1, weight.shape[2]]),
    bias,
    {
      stride: [1, single(op, 'stride', opts.stride ?? 1)],
      padding: typeof padding === 'string' ? padding : [0, single(op, 'padding', padding)],
      dilation: [1, single(op, 'dilation', opts.dilation ?? 1)],
      groups: opts.groups ?? 1,
    },
  );
  const [n, out, , length] = y.shape;
  return reshape(y, unbatched ? [out, length] : [n, out, length]);
}

/**
 * Transposed 2-D convolution (PyTorch's `F.conv_transpose2d`, the gradient of `conv2d` with
 * respect to its input) of `x` [N, C, H, W] with `weight` [C, out/groups, kH, kW] plus `bias` [out]:
 * [N, out, oH, oW] with oH = (H − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1.
 * Composed as a stride-1 convolution of the input spread `stride` apart with the flipped kernel.
 */
export function convTranspose2d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: ConvTranspose2dOptions = {},
): Tensor {
  const op = 'convTranspose2d';
  const opts = checkOptions<ConvTranspose2dOptions>(op, options, [
    'stride',
    'padding',
    'outputPadding',
    'dilation',
    'groups',
  ]);
  const { x4, unbatched } = asBatched(op, x);
  const groups = checkGroups(op, opts.groups ?? 1);
  assertFloatTensor(op, weight, 'weight');
  const [n, channels, height, width] = x4.shape;
  if (weight.rank !== 4 || weight.shape[0] !== channels || channels % groups !== 0) {
    throw new ShapeError(
      `${op}: weight must be [${channels}, out/groups, kH, kW] for input ${formatShape(x4.shape)} and groups=${groups}, got ${formatShape(weight.shape)}`,
    );
  }
  const [, outPerGroup, kh, kw] = weight.shape;
  const out = outPerGroup * groups;
  if (bias != null) {
    assertFloatTensor(op, bias, 'bias');
    if (bias.rank !== 1 || bias.shape[0] !== out)
      throw new ShapeError(`${op}: bias must have shape [${out}], got ${formatShape(bias.shape)}`);
  }
  const [sh, sw] = pair(op, 'stride', opts.stride ?? 1, 1);
  const [dh, dw] = pair(op, 'dilation', opts.dilation ?? 1, 1);
  const [ph, pw] = pair(op, 'padding', opts.padding ?? 0, 0);
  const [oph, opw] = pair(op, 'outputPadding', opts.outputPadding ?? 0, 0);
  if (oph >= Math.max(sh, dh) || opw >= Math.max(sw, dw)) {
    throw new ArgumentError(
      `${op}: outputPadding [${oph}, ${opw}] must be smaller than stride or dilation (stride [${sh}, ${sw}], dilation [${dh}, ${dw}])`,
    );
  }
  const oh = (height - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1;
  const ow = (width - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1;
  if (oh < 1 || ow < 1)
    throw new ShapeError(`${op}: padding [${ph}, ${pw}] leaves no output for input ${formatShape(x4.shape)}`);
  // The equivalent convolution's weight: [out, C/groups, kH, kW], each kernel flipped in both axes.
  const flipped = slice(weight, [null, null, [null, null, -1], [null, null, -1]]);
  const swapped = permute(reshape(flipped, [groups, channels / groups, outPerGroup, kh * kw]), [0, 2, 1, 3]);
  const kernel = reshape(swapped, [out, channels / groups, kh, kw]);
  const h = strideWindow(height, oh, kh, { dilation: dh, padLow: dh * (kh - 1) - ph, inputStride: sh });
  const w = strideWindow(width, ow, kw, { dilation: dw, padLow: dw * (kw - 1) - pw, inputStride: sw });
  const y = convolve(x4, kernel, bias, h, w, groups);
  return unbatched ? reshape(y, [out, oh, ow]) : reshape(y, [n, out, oh, ow]);
}
