/**
 * conv2d and max pooling composed of required kernels only (a gather through a window table, then
 * one matmul per group, or a max and an argmax over the taps), as core composes them on a backend
 * without the `im2col` or `maxPoolIndices` kernel: what the fused checks compare a backend's
 * kernels (through core's ops) against.
 */
import type { Conv2dOptions, MaxPool2dOptions, Tensor } from '@backprop/core';
import * as core from '@backprop/core';
import { pooled, type RefPair } from '../reference/conv.js';

type PairArg = number | readonly [number, number] | undefined;

function pairOf(value: PairArg, fallback: number): [number, number] {
  if (value === undefined) return [fallback, fallback];
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

/** The flat input position each tap of each window reads, `H·W` (the fill slot) in the padding. */
function windowTable(
  [height, width]: [number, number],
  [kh, kw]: [number, number],
  [oh, ow]: [number, number],
  stride: [number, number],
  dilation: [number, number],
  padLow: [number, number],
): Int32Array {
  const positions = oh * ow;
  const table = new Int32Array(kh * kw * positions);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      for (let r = 0; r < oh; r++) {
        for (let s = 0; s < ow; s++) {
          const row = r * stride[0] + i * dilation[0] - padLow[0];
          const col = s * stride[1] + j * dilation[1] - padLow[1];
          const inside = row >= 0 && row < height && col >= 0 && col < width;
          table[(i * kw + j) * positions + r * ow + s] = inside ? row * width + col : height * width;
        }
      }
    }
  }
  return table;
}

/** `core.conv2d(x, w, b, args)` without the `im2col` kernel. */
export function conv2dByGather([x, w, b]: Tensor[], args: Conv2dOptions): Tensor {
  const [n, c, height, width] = x.shape;
  const [out, perGroup, kh, kw] = w.shape;
  const groups = args.groups ?? 1;
  const stride = pairOf(args.stride, 1);
  const dilation = pairOf(args.dilation, 1);
  const span = (i: 0 | 1) => dilation[i] * ([kh, kw][i] - 1);
  let padLow: [number, number];
  let outSize: [number, number];
  if (args.padding === 'same') {
    padLow = [Math.floor(span(0) / 2), Math.floor(span(1) / 2)];
    outSize = [height, width];
  } else {
    const pad = args.padding === 'valid' ? [0, 0] : pairOf(args.padding, 0);
    padLow = [pad[0], pad[1]];
    outSize = [
      Math.floor((height + 2 * pad[0] - span(0) - 1) / stride[0]) + 1,
      Math.floor((width + 2 * pad[1] - span(1) - 1) / stride[1]) + 1,
    ];
  }
  const table = windowTable([height, width], [kh, kw], outSize, stride, dilation, padLow);
  const plane = height * width;
  const positions = outSize[0] * outSize[1];
  const padded = core.concat(
    [core.reshape(x, [n, c, plane]), core.zeros([n, c, 1], { device: x.device })],
    2,
  );
  const cols = core.gather(
    padded,
    core.fromArray(table, [table.length], { device: x.device, dtype: 'int32' }),
    2,
  );
  const grouped = core.reshape(cols, [n, groups, perGroup * kh * kw, positions]);
  const kernel = core.reshape(w, [groups, out / groups, perGroup * kh * kw]);
  const y = core.reshape(core.matmul(kernel, grouped), [n, out, outSize[0], outSize[1]]);
  return b ? core.add(y, core.reshape(b, [out, 1, 1])) : y;
}

/** What the pooling cases pass: the kernel size and `maxPool2d`'s options. */
export interface MaxPoolArgs {
  kernel: RefPair;
  options?: MaxPool2dOptions;
}

/** `core.maxPool2dWithIndices(x, kernel, options)` without the `maxPoolIndices` kernel: [values, indices]. */
export function maxPool2dByWindows([x]: Tensor[], { kernel, options = {} }: MaxPoolArgs): [Tensor, Tensor] {
  const [n, c, height, width] = x.shape;
  const k = pairOf(kernel, 1);
  const stride = options.stride === undefined ? k : pairOf(options.stride, 1);
  const padding = pairOf(options.padding, 0);
  const dilation = pairOf(options.dilation, 1);
  const ceil = options.ceilMode ?? false;
  const out: [number, number] = [
    pooled(height, k[0], stride[0], padding[0], dilation[0], ceil),
    pooled(width, k[1], stride[1], padding[1], dilation[1], ceil),
  ];
  const table = windowTable([height, width], k, out, stride, dilation, padding);
  const taps = k[0] * k[1];
  const positions = out[0] * out[1];
  const device = { device: x.device };
  const padded = core.concat(
    [core.reshape(x, [n, c, height * width]), core.full([n, c, 1], Number.NEGATIVE_INFINITY, device)],
    2,
  );
  const tableTensor = core.fromArray(table, [table.length], { ...device, dtype: 'int32' });
  const windows = core.reshape(core.gather(padded, tableTensor, 2), [n, c, taps, positions]);
  const values = core.reshape(core.max(windows, 2), [n, c, ...out]);
  const column = core.arange(0, positions, 1, { ...device, dtype: 'int32' });
  const flat = core.add(core.mul(core.argmax(windows, 2), positions), column);
  const indices = core.gather(tableTensor, core.reshape(flat, [flat.size]), 0);
  return [values, core.reshape(indices, [n, c, ...out])];
}
