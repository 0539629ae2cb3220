/**
 * Attention as plain ONNX nodes (MatMul, Softmax, Transpose, Reshape and a causal mask built
 * from the scores' own shape, so the sequence length stays free): `scaledDotProductAttention` and
 * the self-attention of `MultiheadAttention` inside the transformer layers.
 */
import type * as nn from '@backprop/nn';
import { type EmitContext, linear, linearOf, reshape, scalar, transpose } from './ops.js';

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
 * transposed to [..., E, S] and `value` [..., S, Ev]; `e` is E. Returns the output's name.
 */
function attend(
  c: EmitContext,
  query: string,
  keyT: string,
  value: string,
  e: number,
  options: OnnxAttentionOptions,
): string {
  const { g } = c;
  let scores = g.node('Mul', [
    g.node('MatMul', [query, keyT]),
    scalar(c, 'scale', options.scale ?? 1 / Math.sqrt(e)),
  ]);
  if (options.isCausal) scores = causal(c, scores);
  return g.node('MatMul', [g.node('Softmax', [scores], { axis: -1 }), value]);
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
  return attend(c, query, transpose(c, key, perm), value, e, options);
}

/**
 * `MultiheadAttention` attending `x` to itself ([L, N, E], [N, L, E] with `batchFirst`, or
 * unbatched [L, E]; rank `rank`), causal or unmasked, in evaluation mode. Returns the output's name.
 */
export function emitSelfAttention(
  c: EmitContext,
  l: nn.MultiheadAttention,
  x: string,
  rank: number,
  isCausal: boolean,
): string {
  const { g } = c;
  const e = l.embedDim;
  let xb = x;
  if (rank === 2) xb = g.node('Unsqueeze', [x, g.int64s('axes', [0])]);
  else if (!l.batchFirst) xb = transpose(c, x, [1, 0, 2]);
  const w = c.values(l.in_proj_weight);
  const b = l.in_proj_bias ? c.values(l.in_proj_bias) : null;
  // Projection k (query, key, value) split into heads and transposed by `perm`.
  const heads = (k: number, perm: readonly number[]): string => {
    const bias = b === null ? null : b.subarray(k * e, (k + 1) * e);
    const projected = linearOf(c, xb, w.subarray(k * e * e, (k + 1) * e * e), [e, e], bias);
    return transpose(c, reshape(c, projected, [0, 0, l.numHeads, l.headDim]), perm);
  };
  const attended = attend(
    c,
    heads(0, [0, 2, 1, 3]),
    heads(1, [0, 2, 3, 1]),
    heads(2, [0, 2, 1, 3]),
    l.headDim,
    {
      isCausal,
    },
  );
  const merged = reshape(c, transpose(c, attended, [0, 2, 1, 3]), [0, 0, e]);
  const out = linear(c, merged, l.out_proj.weight, l.out_proj.bias);
  if (rank === 2) return g.node('Squeeze', [out, g.int64s('axes', [0])]);
  return l.batchFirst ? out : transpose(c, out, [1, 0, 2]);
}
