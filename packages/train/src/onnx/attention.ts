/**
 * Attention as plain ONNX nodes (MatMul, Softmax, Transpose, Reshape and a causal mask built
 * from the scores' own shape, so the sequence length stays free): `scaledDotProductAttention` and
 * `MultiheadAttention` (self-attention in the transformer layers, or the whole model).
 */
import type * as nn from '@backprop/nn';
import { type EmitContext, linear, linearOf, reduceMean, reshape, scalar, transpose } from './ops.js';

/** Options of {@link emitScaledDotProductAttention}, as `scaledDotProductAttention`'s. */
export interface OnnxAttentionOptions {
  /** Mask out keys after the query's position (top-left aligned, as PyTorch). */
  readonly isCausal?: boolean;
  /** Multiplies the scores (default 1/√E, E the query's last size). */
  readonly scale?: number;
}

/** Scores [..., L, S] with every key after the query's position set to −∞. */
function causal(c: EmitContext, scores: string): string {
  const { g } = c;
  // Ones of the scores' [L, S], their lower triangle (Trilu) as the bool "may attend" mask.
  const ones = g.node('Expand', [scalar(c, 'one', 1), g.node('Shape', [scores], { start: -2 })]);
  const allowed = g.node('Cast', [g.node('Trilu', [ones], { upper: 0 })], { to: 9 });
  return g.node('Where', [allowed, scores, scalar(c, 'neg_inf', Number.NEGATIVE_INFINITY)]);
}

/**
 * Emits softmax(q·kᵀ·scale [+ causal mask])·v for `query` [..., L, E], `keyT` the key already
 * transposed to [..., E, S] and `value` [..., S, Ev]; `e` is E. Returns the output's and the
 * attention weights' names.
 */
function attend(
  c: EmitContext,
  query: string,
  keyT: string,
  value: string,
  e: number,
  options: OnnxAttentionOptions,
): { output: string; weights: string } {
  const { g } = c;
  let scores = g.node('Mul', [
    g.node('MatMul', [query, keyT]),
    scalar(c, 'scale', options.scale ?? 1 / Math.sqrt(e)),
  ]);
  if (options.isCausal) scores = causal(c, scores);
  const weights = g.node('Softmax', [scores], { axis: -1 });
  return { output: g.node('MatMul', [weights, value]), weights };
}

/**
 * The ONNX form of `scaledDotProductAttention(query, key, value, options)` for values of rank
 * `rank` (query [..., L, E], key [..., S, E], value [..., S, Ev]; E = `e`), for the emitter of a
 * module of yours that calls it. Returns the output's name.
 */
export function emitScaledDotProductAttention(
  c: EmitContext,
  query: string,
  key: string,
  value: string,
  { rank, e }: { readonly rank: number; readonly e: number },
  options: OnnxAttentionOptions = {},
): string {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return attend(c, query, transpose(c, key, perm), value, e, options).output;
}

/** The query, key and value of a `MultiheadAttention` call (the same name three times for self-attention). */
export interface AttentionInputs {
  readonly query: string;
  readonly key: string;
  readonly value: string;
}

/**
 * `MultiheadAttention` in evaluation mode, unmasked or causal, on inputs of rank `rank` ([L, N, E],
 * [N, L, E] with `batchFirst`, or unbatched [L, E]). Returns the output's name and, with
 * `needWeights`, that of the weights averaged over heads ([N, L, S], or [L, S] unbatched), as the
 * layer's default returns.
 */
export function emitMultiheadAttention(
  c: EmitContext,
  l: nn.MultiheadAttention,
  inputs: AttentionInputs,
  {
    rank,
    isCausal,
    needWeights,
  }: { readonly rank: number; readonly isCausal: boolean; readonly needWeights: boolean },
): { output: string; weights: string | null } {
  const { g } = c;
  const e = l.embedDim;
  const batchMajor = (x: string) => {
    if (rank === 2) return g.node('Unsqueeze', [x, g.int64s('axes', [0])]);
    return l.batchFirst ? x : transpose(c, x, [1, 0, 2]);
  };
  const w = c.values(l.in_proj_weight);
  const b = l.in_proj_bias ? c.values(l.in_proj_bias) : null;
  // Projection k (query, key, value) of `x`, split into heads and transposed by `perm`.
  const heads = (x: string, k: number, perm: readonly number[]): string => {
    const bias = b === null ? null : b.subarray(k * e, (k + 1) * e);
    const projected = linearOf(c, batchMajor(x), w.subarray(k * e * e, (k + 1) * e * e), [e, e], bias);
    return transpose(c, reshape(c, projected, [0, 0, l.numHeads, l.headDim]), perm);
  };
  const attended = attend(
    c,
    heads(inputs.query, 0, [0, 2, 1, 3]),
    heads(inputs.key, 1, [0, 2, 3, 1]),
    heads(inputs.value, 2, [0, 2, 1, 3]),
    l.headDim,
    { isCausal },
  );
  const merged = reshape(c, transpose(c, attended.output, [0, 2, 1, 3]), [0, 0, e]);
  const out = linear(c, merged, l.out_proj.weight, l.out_proj.bias);
  // [N, heads, L, S] averaged over the heads.
  const weights = needWeights ? reduceMean(c, attended.weights, [1], false) : null;
  if (rank === 2) {
    const squeeze = (x: string) => g.node('Squeeze', [x, g.int64s('axes', [0])]);
    return { output: squeeze(out), weights: weights === null ? null : squeeze(weights) };
  }
  return { output: l.batchFirst ? out : transpose(c, out, [1, 0, 2]), weights };
}
