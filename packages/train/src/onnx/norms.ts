/** GroupNorm and RMSNorm, composed from ReduceMean, Sub, Mul, Sqrt and Div (no single ONNX op before opset 18/23). */
import * as nn from '@backprop/nn';
import { type EmitContext, type Emitter, reduceMean, reshape, scalar } from './ops.js';

/** Per-channel weights [C] shaped [C, 1, …] to broadcast over [N, C, ...spatial]. */
function perChannel(c: EmitContext, name: string, values: Float32Array, channels: number): string {
  return c.g.floats(name, values, [channels, ...c.inShape.slice(2).map(() => 1)]);
}

function groupNorm(l: nn.GroupNorm, c: EmitContext): string {
  const { g } = c;
  // [N, G, rest]; every group normalised over its channels and positions with the biased variance.
  const grouped = reshape(c, c.x, [0, l.numGroups, -1]);
  const centred = g.node('Sub', [grouped, reduceMean(c, grouped, [2])]);
  const variance = reduceMean(c, g.node('Mul', [centred, centred]), [2]);
  const normed = g.node('Div', [
    centred,
    g.node('Sqrt', [g.node('Add', [variance, scalar(c, 'eps', l.eps)])]),
  ]);
  // Back to the input's shape, taken from the input itself so the batch axis stays free.
  let y = g.node('Reshape', [normed, g.node('Shape', [c.x])]);
  if (l.weight) y = g.node('Mul', [y, perChannel(c, 'scale', c.values(l.weight), l.numChannels)]);
  if (l.bias) y = g.node('Add', [y, perChannel(c, 'bias', c.values(l.bias), l.numChannels)]);
  return y;
}

function rmsNorm(l: nn.RMSNorm, c: EmitContext): string {
  const { g } = c;
  const k = l.normalizedShape.length;
  const axes = Array.from({ length: k }, (_, i) => -k + i);
  const meanSquare = reduceMean(c, g.node('Mul', [c.x, c.x]), axes);
  const y = g.node('Div', [c.x, g.node('Sqrt', [g.node('Add', [meanSquare, scalar(c, 'eps', l.eps)])])]);
  return l.weight ? g.node('Mul', [y, g.floats('scale', c.values(l.weight), l.weight.shape)]) : y;
}

/** The normalisation layers beyond LayerNorm and BatchNorm. */
export const normEmitters: readonly [unknown, Emitter][] = [
  [nn.GroupNorm, groupNorm as Emitter],
  [nn.RMSNorm, rmsNorm as Emitter],
];
