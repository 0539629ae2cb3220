/** TransformerEncoderLayer (post- or pre-norm, ReLU or GELU) and the causal DecoderOnlyBlock, in evaluation mode (dropout is the identity). */
import * as nn from '@backprop/nn';
import { emitMultiheadAttention } from './attention.js';
import { type EmitContext, type Emitter, geluExact, layerNorm, linear } from './ops.js';

function encoderLayer(l: nn.TransformerEncoderLayer, c: EmitContext, isCausal: boolean): string {
  const { g } = c;
  const rank = c.inShape.length;
  const norm = (n: nn.LayerNorm, x: string) => layerNorm(c, x, n.normalizedShape, n.weight, n.bias, n.eps);
  const attention = (x: string) =>
    emitMultiheadAttention(
      c,
      l.self_attn,
      { query: x, key: x, value: x },
      { rank, isCausal, needWeights: false },
    ).output;
  const feedForward = (x: string) => {
    const hidden = linear(c, x, l.linear1.weight, l.linear1.bias);
    const act = l.activation === 'gelu' ? geluExact(c, hidden) : g.node('Relu', [hidden]);
    return linear(c, act, l.linear2.weight, l.linear2.bias);
  };
  if (l.normFirst) {
    const x = g.node('Add', [c.x, attention(norm(l.norm1, c.x))]);
    return g.node('Add', [x, feedForward(norm(l.norm2, x))]);
  }
  const x = norm(l.norm1, g.node('Add', [c.x, attention(c.x)]));
  return norm(l.norm2, g.node('Add', [x, feedForward(x)]));
}

/** The transformer layers (exact classes: a DecoderOnlyBlock is always causal, an encoder layer unmasked). */
export const transformerEmitters: readonly [unknown, Emitter][] = [
  [nn.TransformerEncoderLayer, ((l: nn.TransformerEncoderLayer, c) => encoderLayer(l, c, false)) as Emitter],
  [nn.DecoderOnlyBlock, ((l: nn.DecoderOnlyBlock, c) => encoderLayer(l, c, true)) as Emitter],
];
