import {
  ArgumentError,
  add,
  checkOptions,
  DTypeError,
  formatShape,
  fromArray,
  matmul,
  mul,
  ShapeError,
  softmax,
  type Tensor,
  transpose,
  where,
} from '@backprop/core';
import { checkProbability, checkReal, checkTensor } from '../validate.js';
import { dropout } from './layers.js';

export interface AttentionOptions {
  /**
   * Which keys each query may attend to, broadcast against [..., L, S]: a bool mask (true = attend,
   * as PyTorch's `scaled_dot_product_attention`) or a float mask added to the scores.
   */
  attnMask?: Tensor | null;
  /** Mask out keys after the query's own position (top-left aligned, as PyTorch); not with `attnMask`. */
  isCausal?: boolean;
  /** Dropout on the attention weights (default 0). */
  dropoutP?: number;
  /** Multiplies the scores (default 1/√E). */
  scale?: number;
}

/** The lower-triangular [L, S] bool mask of causal attention. */
export function causalMask(queries: number, keys: number, device?: string): Tensor {
  const values = new Uint8Array(queries * keys);
  for (let i = 0; i < queries; i++) for (let j = 0; j <= Math.min(i, keys - 1); j++) values[i * keys + j] = 1;
  return fromArray(values, [queries, keys], { device, dtype: 'bool' });
}

/** Attention output and the weights it used ([..., L, Ev] and [..., L, S]). */
export interface AttentionResult {
  output: Tensor;
  weights: Tensor;
}

/** `scaledDotProductAttention`, also returning the attention weights (what `MultiheadAttention` reports). */
export function attentionWithWeights(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  options: AttentionOptions = {},
): AttentionResult {
  const op = 'scaledDotProductAttention';
  const opts = checkOptions<AttentionOptions>(op, options, ['attnMask', 'isCausal', 'dropoutP', 'scale']);
  checkTensor(op, 'query', query);
  checkTensor(op, 'key', key);
  checkTensor(op, 'value', value);
  const e = query.shape[query.rank - 1];
  if (
    query.rank < 2 ||
    key.rank < 2 ||
    value.rank < 2 ||
    key.shape[key.rank - 1] !== e ||
    key.shape[key.rank - 2] !== value.shape[value.rank - 2]
  ) {
    throw new ShapeError(
      `${op}: expected query [..., L, E], key [..., S, E] and value [..., S, Ev], got ${formatShape(query.shape)}, ${formatShape(key.shape)} and ${formatShape(value.shape)}`,
    );
  }
  const scale = checkReal(op, 'scale', opts.scale ?? 1 / Math.sqrt(e));
  const p = checkProbability(op, 'dropoutP', opts.dropoutP ?? 0);
  const mask = opts.attnMask ?? null;
  if (opts.isCausal && mask !== null)
    throw new ArgumentError(`${op}: give either attnMask or isCausal, not both`);
  let scores = mul(matmul(query, transpose(key, -1, -2)), scale);
  const l = query.shape[query.rank - 2];
  const s = key.shape[key.rank - 2];
  const boolMask = opts.isCausal ? causalMask(l, s, query.device) : mask;
  if (boolMask !== null) {
    checkTensor(op, 'attnMask', boolMask);
    if (boolMask.dtype === 'bool') scores = where(boolMask, scores, Number.NEGATIVE_INFINITY);
    else if (boolMask.dtype === 'float32') scores = add(scores, boolMask);
    else throw new DTypeError(`${op}: attnMask must be bool or float32, got ${boolMask.dtype}`);
  }
  let weights = softmax(scores, -1);
  if (p > 0) weights = dropout(weights, p, true);
  return { output: matmul(weights, value), weights };
}

/**
 * Attention (Vaswani et al., 2017; PyTorch's `F.scaled_dot_product_attention`):
 * softmax(query·keyᵀ·scale + mask)·value for query [..., L, E], key [..., S, E], value [..., S, Ev].
 */
export function scaledDotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  options: AttentionOptions = {},
): Tensor {
  return attentionWithWeights(query, key, value, options).output;
}
