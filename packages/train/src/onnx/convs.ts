/** Conv1d, Conv2d and ConvTranspose2d as ONNX Conv/ConvTranspose (unbatched input gets a batch axis of 1 around them). */
import * as nn from '@backprop/nn';
import { type EmitContext, type Emitter, pair } from './ops.js';

/** ONNX pads (all begins, then all ends) for a convolution's `padding`. */
function convPads(
  kernel: readonly number[],
  dilation: readonly number[],
  padding: readonly number[] | 'same',
): number[] {
  if (padding !== 'same') return [...padding, ...padding];
  // Total d·(k−1) per axis, the odd one after, as PyTorch.
  const total = kernel.map((k, i) => dilation[i] * (k - 1));
  const before = total.map((t) => Math.floor(t / 2));
  return [...before, ...total.map((t, i) => t - before[i])];
}

/** `op` on c.x with the layer's weight and bias; an unbatched input (rank `spatial` + 1) is run as a batch of 1. */
function conv(
  c: EmitContext,
  op: 'Conv' | 'ConvTranspose',
  l: { weight: nn.Parameter; bias: nn.Parameter | null },
  spatial: number,
  attributes: Record<string, number | number[]>,
): string {
  const { g } = c;
  const unbatched = c.inShape.length === spatial + 1;
  const x = unbatched ? g.node('Unsqueeze', [c.x, g.int64s('axes', [0])]) : c.x;
  const inputs = [x, g.floats('weight', c.values(l.weight), l.weight.shape)];
  if (l.bias !== null) inputs.push(g.floats('bias', c.values(l.bias), l.bias.shape));
  const y = g.node(op, inputs, { kernel_shape: l.weight.shape.slice(2), ...attributes });
  return unbatched ? g.node('Squeeze', [y, g.int64s('axes', [0])]) : y;
}

function conv2d(l: nn.Conv2d, c: EmitContext): string {
  const { stride, padding, dilation, groups = 1 } = l.options;
  const d = pair(dilation, 1);
  const p = padding === 'same' ? 'same' : padding === 'valid' ? [0, 0] : pair(padding, 0);
  return conv(c, 'Conv', l, 2, {
    strides: pair(stride, 1),
    pads: convPads(l.kernelSize, d, p),
    dilations: d,
    group: groups,
  });
}

function conv1d(l: nn.Conv1d, c: EmitContext): string {
  const { stride = 1, padding = 0, dilation = 1, groups = 1 } = l.options;
  const p = padding === 'same' ? 'same' : padding === 'valid' ? [0] : [padding];
  return conv(c, 'Conv', l, 1, {
    strides: [stride],
    pads: convPads([l.kernelSize], [dilation], p),
    dilations: [dilation],
    group: groups,
  });
}

function convTranspose2d(l: nn.ConvTranspose2d, c: EmitContext): string {
  const { stride, padding, outputPadding, dilation, groups = 1 } = l.options;
  const p = pair(padding, 0);
  // Output size s·(in − 1) + output_padding + d·(k − 1) + 1 − both pads, as PyTorch's.
  return conv(c, 'ConvTranspose', l, 2, {
    strides: pair(stride, 1),
    pads: [...p, ...p],
    output_padding: pair(outputPadding, 0),
    dilations: pair(dilation, 1),
    group: groups,
  });
}

/** The convolution layers. */
export const convEmitters: readonly [unknown, Emitter][] = [
  [nn.Conv1d, conv1d as Emitter],
  [nn.Conv2d, conv2d as Emitter],
  [nn.ConvTranspose2d, convTranspose2d as Emitter],
];
