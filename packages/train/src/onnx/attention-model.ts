/**
 * A `MultiheadAttention` exported as the whole model: self-attention from one input, or
 * cross-attention from `query`, `key` and `value`; outputs `output` and `weights` (averaged over
 * heads), unmasked, as the layer returns them by default.
 */
import { noGrad, type Tensor, tidy } from '@backprop/core';
import type * as nn from '@backprop/nn';
import { emitMultiheadAttention } from './attention.js';
import { GraphBuilder, type ValueSpec } from './graph.js';
import type { EmitContext } from './ops.js';

/** What the caller has already settled: the opset, the weights' values and whether axes stay free. */
export interface AttentionModelSpec {
  readonly opset: number;
  readonly dynamic: boolean;
  readonly outputName: string;
  values(t: Tensor): Float32Array;
}

/** Input axes' names: the query's sequence is `sequence`, the key's and value's `key_sequence`. */
function axes(l: nn.MultiheadAttention, rank: number, sequence: string): string[] {
  if (rank === 2) return [sequence];
  return l.batchFirst ? ['batch', sequence] : [sequence, 'batch'];
}

function dims(shape: readonly number[], names: readonly string[], dynamic: boolean): (number | string)[] {
  return shape.map((d, i) => (dynamic && i < names.length ? names[i] : d));
}

/** The model's bytes for `l` on `samples` ([input] or [query, key, value]). */
export function attentionModel(
  l: nn.MultiheadAttention,
  samples: readonly Tensor[],
  spec: AttentionModelSpec,
): Uint8Array {
  const names = samples.length === 1 ? ['input'] : ['query', 'key', 'value'];
  const [query, key, value] = samples.length === 1 ? [names[0], names[0], names[0]] : names;
  const [q, k, v] = samples.length === 1 ? [samples[0], samples[0], samples[0]] : samples;
  const [out, weights] = noGrad(() => tidy(() => l.call(q, k, v))) as [Tensor, Tensor];
  const rank = q.shape.length;
  const g = new GraphBuilder();
  const c: EmitContext = {
    g,
    x: query,
    inShape: q.shape,
    outShape: out.shape,
    opset: spec.opset,
    values: spec.values,
  };
  const emitted = emitMultiheadAttention(
    c,
    l,
    { query, key, value },
    { rank, isCausal: false, needWeights: true },
  );
  g.outputAs(emitted.output, spec.outputName);
  g.outputAs(emitted.weights as string, 'weights');
  const weightAxes = rank === 2 ? ['sequence', 'key_sequence'] : ['batch', 'sequence', 'key_sequence'];
  const outputs: ValueSpec[] = [
    {
      name: spec.outputName,
      elemType: 'float32',
      dims: dims(out.shape, axes(l, rank, 'sequence'), spec.dynamic),
    },
    { name: 'weights', elemType: 'float32', dims: dims(weights.shape, weightAxes, spec.dynamic) },
  ];
  const inputs: ValueSpec[] = samples.map((t, i) => ({
    name: names[i],
    elemType: 'float32',
    dims: dims(t.shape, axes(l, rank, i === 0 ? 'sequence' : 'key_sequence'), spec.dynamic),
  }));
  out.dispose();
  weights.dispose();
  return g.model({ opset: spec.opset, producer: 'backprop', inputs, outputs });
}
