/**
 * RNN, LSTM and GRU as ONNX's own recurrent ops, one node per layer. PyTorch and ONNX order the
 * gates differently (LSTM: PyTorch i, f, g, o, ONNX i, o, f, c; GRU: PyTorch r, z, n, ONNX z, r, h),
 * so the weights are re-stacked; GRU's `linear_before_reset` is PyTorch's form r⊙(W_hn·h + b_hn).
 */
import type { Tensor } from '@backprop/core';
import * as nn from '@backprop/nn';
import { type EmitContext, transpose } from './ops.js';

/** A recurrent layer's graph values: the last layer's outputs and the final states (h_n, and c_n for an LSTM). */
export interface RecurrentValues {
  readonly output: string;
  readonly states: readonly string[];
}

type RecurrentLayer = nn.RNN | nn.LSTM | nn.GRU;

/** For each ONNX gate block, the PyTorch block it comes from. */
function gateOrder(l: RecurrentLayer): readonly number[] {
  if (l instanceof nn.LSTM) return [0, 3, 1, 2];
  if (l instanceof nn.GRU) return [1, 0, 2];
  return [0];
}

/** Rows of `values` ([gates·H, ...]) re-stacked from PyTorch's gate order to ONNX's. */
function regate(
  values: Float32Array,
  order: readonly number[],
  rowsPerGate: number,
  width: number,
): Float32Array {
  const block = rowsPerGate * width;
  const out = new Float32Array(values.length);
  for (const [to, from] of order.entries())
    out.set(values.subarray(from * block, (from + 1) * block), to * block);
  return out;
}

function param(l: RecurrentLayer, name: string, layer: number): Tensor | null {
  return ((l as unknown as Record<string, Tensor | undefined>)[`${name}_l${layer}`] ?? null) as Tensor | null;
}

function op(l: RecurrentLayer): {
  type: string;
  outputs: number;
  attributes: Record<string, number | string[]>;
} {
  const hidden_size = l.hiddenSize;
  if (l instanceof nn.LSTM) return { type: 'LSTM', outputs: 3, attributes: { hidden_size } };
  if (l instanceof nn.GRU)
    return { type: 'GRU', outputs: 2, attributes: { hidden_size, linear_before_reset: 1 } };
  const activations = [(l as nn.RNN).nonlinearity === 'relu' ? 'Relu' : 'Tanh'];
  return { type: 'RNN', outputs: 2, attributes: { hidden_size, activations } };
}

/** Layer `layer`'s W [1, G·H, in], R [1, G·H, H] and B [1, 2·G·H] (or '' without biases), in ONNX's gate order. */
function weights(c: EmitContext, l: RecurrentLayer, layer: number): string[] {
  const order = gateOrder(l);
  const h = l.hiddenSize;
  const g = order.length;
  const input = layer === 0 ? l.inputSize : h;
  const w = regate(c.values(param(l, 'weight_ih', layer) as Tensor), order, h, input);
  const r = regate(c.values(param(l, 'weight_hh', layer) as Tensor), order, h, h);
  const names = [c.g.floats('w', w, [1, g * h, input]), c.g.floats('r', r, [1, g * h, h])];
  const bih = param(l, 'bias_ih', layer);
  const bhh = param(l, 'bias_hh', layer);
  if (bih === null || bhh === null) return [...names, ''];
  const b = new Float32Array(2 * g * h);
  b.set(regate(c.values(bih), order, h, 1));
  b.set(regate(c.values(bhh), order, h, 1), g * h);
  return [...names, c.g.floats('b', b, [1, 2 * g * h])];
}

/** The number of state tensors of `l`: h, and c for an LSTM. */
export function stateCount(l: RecurrentLayer): number {
  return op(l).outputs - 1;
}

/**
 * Emits a recurrent layer over `c.x` ([T, N, in], [N, T, in] with `batchFirst`, or unbatched
 * [T, in]) in evaluation mode (no dropout between layers), from zero initial states or from the
 * values `initial` names (h0, and c0 for an LSTM: [numLayers, N, H], or [numLayers, H] unbatched).
 */
export function emitRecurrent(
  l: RecurrentLayer,
  c: EmitContext,
  initial: readonly string[] = [],
): RecurrentValues {
  const { g } = c;
  const unbatched = c.inShape.length === 2;
  const squeeze = (x: string, axis: number) => g.node('Squeeze', [x, g.int64s('axes', [axis])]);
  let seq = c.x;
  if (unbatched) seq = g.node('Unsqueeze', [c.x, g.int64s('axes', [1])]);
  else if (l.batchFirst) seq = transpose(c, c.x, [1, 0, 2]);
  const batched = initial.map((s) => (unbatched ? g.node('Unsqueeze', [s, g.int64s('axes', [1])]) : s));
  // Layer `layer`'s slice [1, N, H] of each initial state, after ONNX's optional sequence_lens.
  const initialOf = (layer: number) =>
    batched.length === 0
      ? []
      : [
          '',
          ...batched.map((s) =>
            g.node('Slice', [
              s,
              g.int64s('starts', [layer]),
              g.int64s('ends', [layer + 1]),
              g.int64s('axes', [0]),
            ]),
          ),
        ];
  const { type, outputs, attributes } = op(l);
  const finals: string[][] = Array.from({ length: outputs - 1 }, () => []);
  for (let layer = 0; layer < l.numLayers; layer++) {
    // Outputs Y [T, 1, N, H] and the final state(s) [1, N, H] of one direction.
    const inputs = [seq, ...weights(c, l, layer), ...initialOf(layer)];
    const [y, ...states] = g.nodeOutputs(type, inputs, outputs, attributes);
    for (const [i, s] of states.entries()) finals[i].push(s);
    seq = squeeze(y, 1);
  }
  let output = seq;
  if (unbatched) output = squeeze(seq, 1);
  else if (l.batchFirst) output = transpose(c, seq, [1, 0, 2]);
  const states = finals.map((f) => {
    const stacked = f.length === 1 ? f[0] : g.node('Concat', f, { axis: 0 });
    return unbatched ? squeeze(stacked, 1) : stacked;
  });
  return { output, states };
}

/** Whether `layer` is one of the recurrent layers (exact classes). */
export function isRecurrent(layer: object): layer is RecurrentLayer {
  return layer.constructor === nn.RNN || layer.constructor === nn.LSTM || layer.constructor === nn.GRU;
}
