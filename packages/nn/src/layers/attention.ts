import {
  ArgumentError,
  add,
  checkBoolean,
  checkOptions,
  DTypeError,
  formatShape,
  mean,
  narrow,
  reshape,
  ShapeError,
  type Tensor,
  transpose,
  where,
  zeros,
} from '@backprop/core';
import { attentionWithWeights, causalMask } from '../functional/attention.js';
import * as F from '../functional/index.js';
import { constant, xavierUniform } from '../init.js';
import { Module } from '../module.js';
import { type Parameter, parameter } from '../parameter.js';
import { checkProbability, checkSize, checkTensor } from '../validate.js';
import { Linear } from './linear.js';

export interface MultiheadAttentionOptions {
  /** Dropout on the attention weights while training (default 0). */
  dropout?: number;
  /** Learn the input and output projection biases (default true). */
  bias?: boolean;
  /** Input and output as [N, L, E] instead of [L, N, E] (default false). */
  batchFirst?: boolean;
}

export interface MultiheadAttentionCallOptions {
  /** [N, S]: keys to ignore, bool (true = ignore, as PyTorch) or float (added to the scores). */
  keyPaddingMask?: Tensor | null;
  /** [L, S] or [N·heads, L, S]: bool (true = not allowed, as PyTorch's `nn.MultiheadAttention`) or float (added). */
  attnMask?: Tensor | null;
  /** Mask out later keys (builds the causal mask when `attnMask` is not given). */
  isCausal?: boolean;
  /** Return the attention weights (default true). */
  needWeights?: boolean;
  /** Average the returned weights over heads (default true). */
  averageAttnWeights?: boolean;
}

/** A bool "true = masked out" mask as an additive float mask; a float mask as is. */
function additive(op: string, name: string, mask: Tensor): Tensor {
  checkTensor(op, name, mask);
  if (mask.dtype === 'bool') return where(mask, Number.NEGATIVE_INFINITY, 0);
  if (mask.dtype === 'float32') return mask;
  throw new DTypeError(`${op}: ${name} must be bool or float32, got ${mask.dtype}`);
}

/**
 * Multi-head attention (PyTorch's `nn.MultiheadAttention`, self- or cross-attention with
 * kdim = vdim = embedDim): parameters `in_proj_weight` [3E, E], `in_proj_bias` [3E] and `out_proj`
 * (a Linear E → E), initialised as PyTorch does (Xavier-uniform input projection, zero biases).
 * `forward(query, key, value, options)` returns [output, weights or null].
 */
export class MultiheadAttention extends Module<
  [Tensor, Tensor, Tensor, MultiheadAttentionCallOptions?],
  [Tensor, Tensor | null]
> {
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  in_proj_weight: Parameter;
  in_proj_bias: Parameter | null;
  out_proj: Linear;

  constructor(
    readonly embedDim: number,
    readonly numHeads: number,
    options: MultiheadAttentionOptions = {},
  ) {
    super();
    const what = 'MultiheadAttention';
    checkSize(what, 'embedDim', embedDim);
    checkSize(what, 'numHeads', numHeads);
    if (embedDim % numHeads !== 0)
      throw new ArgumentError(`${what}: embedDim (${embedDim}) must be divisible by numHeads (${numHeads})`);
    const checked = checkOptions<MultiheadAttentionOptions>(what, options, ['dropout', 'bias', 'batchFirst']);
    this.headDim = embedDim / numHeads;
    this.dropout = checkProbability(what, 'dropout', checked.dropout ?? 0);
    this.batchFirst = checkBoolean(what, 'batchFirst', checked.batchFirst) ?? false;
    const bias = checkBoolean(what, 'bias', checked.bias) ?? true;
    this.in_proj_weight = parameter(zeros([3 * embedDim, embedDim]));
    this.in_proj_bias = bias ? parameter(zeros([3 * embedDim])) : null;
    this.out_proj = new Linear(embedDim, embedDim, { bias });
    this.resetParameters();
  }

  /** PyTorch's initialisation: Xavier-uniform input projection, zero biases, the output projection as a Linear. */
  resetParameters(): void {
    xavierUniform(this.in_proj_weight);
    if (this.in_proj_bias) constant(this.in_proj_bias, 0);
    this.out_proj.resetParameters();
    if (this.out_proj.bias) constant(this.out_proj.bias, 0);
  }

  /** Projection `k` (0 query, 1 key, 2 value) of `x` [N, L, E], split into heads: [N, heads, L, d]. */
  private project(x: Tensor, k: number): Tensor {
    const e = this.embedDim;
    const w = narrow(this.in_proj_weight, 0, k * e, e);
    const b = this.in_proj_bias ? narrow(this.in_proj_bias, 0, k * e, e) : null;
    const [n, l] = x.shape;
    return transpose(reshape(F.linear(x, w, b), [n, l, this.numHeads, this.headDim]), 1, 2);
  }

  /** Reads query/key/value in the layer's layout as batch-first [N, L, E]. */
  private batchMajor(name: string, x: Tensor, unbatched: boolean): Tensor {
    checkTensor('MultiheadAttention', name, x);
    if (x.rank !== (unbatched ? 2 : 3) || x.shape[x.rank - 1] !== this.embedDim) {
      throw new ShapeError(
        `MultiheadAttention: ${name} must be ${unbatched ? '[L' : this.batchFirst ? '[N, L' : '[L, N'}, ${this.embedDim}], got ${formatShape(x.shape)}`,
      );
    }
    if (unbatched) return reshape(x, [1, ...x.shape]);
    return this.batchFirst ? x : transpose(x, 0, 1);
  }

  forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    options: MultiheadAttentionCallOptions = {},
  ): [Tensor, Tensor | null] {
    const what = 'MultiheadAttention';
    const opts = checkOptions<MultiheadAttentionCallOptions>(what, options, [
      'keyPaddingMask',
      'attnMask',
      'isCausal',
      'needWeights',
      'averageAttnWeights',
    ]);
    checkTensor(what, 'query', query);
    const unbatched = query.rank === 2;
    const q = this.batchMajor('query', query, unbatched);
    const k = this.batchMajor('key', key, unbatched);
    const v = this.batchMajor('value', value, unbatched);
    const [n, l] = q.shape;
    const s = k.shape[1];
    let mask: Tensor | null = null;
    if (opts.attnMask != null) {
      const m = additive(what, 'attnMask', opts.attnMask);
      const ok2 = m.rank === 2 && m.shape[0] === l && m.shape[1] === s;
      const ok3 = m.rank === 3 && m.shape[0] === n * this.numHeads && m.shape[1] === l && m.shape[2] === s;
      if (!ok2 && !ok3)
        throw new ShapeError(
          `${what}: attnMask must be [${l}, ${s}] or [${n * this.numHeads}, ${l}, ${s}], got ${formatShape(m.shape)}`,
        );
      mask = ok3 ? reshape(m, [n, this.numHeads, l, s]) : m;
    } else if (opts.isCausal) {
      mask = where(causalMask(l, s, query.device), 0, Number.NEGATIVE_INFINITY);
    }
    if (opts.keyPaddingMask != null) {
      const kpm = additive(what, 'keyPaddingMask', opts.keyPaddingMask);
      const expected = unbatched ? [s] : [n, s];
      if (kpm.rank !== expected.length || kpm.shape.some((d, i) => d !== expected[i]))
        throw new ShapeError(
          `${what}: keyPaddingMask must be ${formatShape(expected)}, got ${formatShape(kpm.shape)}`,
        );
      const padding = reshape(kpm, [n, 1, 1, s]);
      mask = mask ? add(mask, padding) : padding;
    }
    const { output, weights } = attentionWithWeights(
      this.project(q, 0),
      this.project(k, 1),
      this.project(v, 2),
      {
        attnMask: mask,
        dropoutP: this.training ? this.dropout : 0,
      },
    );
    const merged = reshape(transpose(output, 1, 2), [n, l, this.embedDim]);
    let out = this.out_proj.call(merged);
    if (unbatched) out = reshape(out, [l, this.embedDim]);
    else if (!this.batchFirst) out = transpose(out, 0, 1);
    if (opts.needWeights === false) return [out, null];
    let w = (opts.averageAttnWeights ?? true) ? mean(weights, 1) : weights;
    if (unbatched) w = reshape(w, w.shape.slice(1));
    return [out, w];
  }

  override extraRepr(): string {
    return `embedDim=${this.embedDim}, numHeads=${this.numHeads}, dropout=${this.dropout}, batchFirst=${this.batchFirst}`;
  }
}
