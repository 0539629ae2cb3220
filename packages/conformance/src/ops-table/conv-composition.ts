/**
 * conv2d composed of required kernels only (a gather through a window table, then one matmul per
 * group), as core composes it on a backend without the `im2col` kernel: what the fused check
 * compares a backend's `im2col` (through core's conv2d) against.
 */
import type { Conv2dOptions, Tensor } from '@backprop/core';
import * as core from '@backprop/core';

type PairArg = number | readonly [number, number] | undefined;

function pairOf(value: PairArg, fallback: number): [number, number] {
  if (value === undefined) return [fallback, fallback];
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

/** The flat input position each tap of each window reads, `H·W` (a zero slot) in the padding. */
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
