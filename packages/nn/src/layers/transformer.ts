import { ArgumentError, add, checkBoolean, checkOptions, type Tensor } from '@backprop/core';
import * as F from '../functional/index.js';
import { Module } from '../module.js';
import { checkChoice, checkProbability, checkReal, checkSize } from '../validate.js';
import { MultiheadAttention } from './attention.js';
import { Dropout } from './basic.js';
import { Linear } from './linear.js';
import { LayerNorm } from './normalization.js';

export interface TransformerEncoderLayerOptions {
  /** Width of the feed-forward block (default 2048, as PyTorch). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block (default 0.1). */
  dropout?: number;
  /** The feed-forward nonlinearity (default 'relu'). */
  activation?: 'relu' | 'gelu';
  /** LayerNorm's eps (default 1e-5). */
  layerNormEps?: number;
  /** Input [N, L, E] instead of [L, N, E] (default false). */
  batchFirst?: boolean;
  /** Normalise before attention and feed-forward (pre-norm) instead of after (default false). */
  normFirst?: boolean;
  /** Biases in the linear layers and layer norms (default true). */
  bias?: boolean;
}

export interface TransformerCallOptions {
  /** Passed to the self-attention as its `attnMask`. */
  srcMask?: Tensor | null;
  /** Passed to the self-attention as its `keyPaddingMask`. */
  srcKeyPaddingMask?: Tensor | null;
  /** Causal self-attention. */
  isCausal?: boolean;
}

const LAYER_OPTIONS = [
  'dimFeedforward',
  'dropout',
  'activation',
  'layerNormEps',
  'batchFirst',
  'normFirst',
  'bias',
];

/**
 * One transformer encoder layer (PyTorch's `nn.TransformerEncoderLayer`): self-attention and a
 * feed-forward block, each with a residual connection and layer norm (after, or before with
 * `normFirst`). Children `self_attn`, `linear1`, `linear2`, `norm1`, `norm2` as in PyTorch, so
 * their state dicts match.
 */
export class TransformerEncoderLayer extends Module<[Tensor, TransformerCallOptions?]> {
  readonly normFirst: boolean;
  readonly activation: 'relu' | 'gelu';
  self_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;

  constructor(
    readonly dModel: number,
    readonly nhead: number,
    options: TransformerEncoderLayerOptions = {},
    defaults: TransformerEncoderLayerOptions = {},
  ) {
    super();
    const what = new.target.name;
    const o = { ...defaults, ...checkOptions<TransformerEncoderLayerOptions>(what, options, LAYER_OPTIONS) };
    checkSize(what, 'dModel', dModel);
    const ff = checkSize(what, 'dimFeedforward', o.dimFeedforward ?? 2048);
    const p = checkProbability(what, 'dropout', o.dropout ?? 0.1);
    const eps = checkReal(what, 'layerNormEps', o.layerNormEps ?? 1e-5, { above: 0 });
    const bias = checkBoolean(what, 'bias', o.bias) ?? true;
    this.activation = checkChoice(what, 'activation', o.activation ?? 'relu', ['relu', 'gelu']);
    this.normFirst = checkBoolean(what, 'normFirst', o.normFirst) ?? false;
    const batchFirst = checkBoolean(what, 'batchFirst', o.batchFirst) ?? false;
    this.self_attn = new MultiheadAttention(dModel, nhead, { dropout: p, bias, batchFirst });
    this.linear1 = new Linear(dModel, ff, { bias });
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(ff, dModel, { bias });
    this.norm1 = new LayerNorm(dModel, { eps, bias });
    this.norm2 = new LayerNorm(dModel, { eps, bias });
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
  }

  private selfAttention(x: Tensor, options: TransformerCallOptions): Tensor {
    const [out] = this.self_attn.call(x, x, x, {
      attnMask: options.srcMask ?? null,
      keyPaddingMask: options.srcKeyPaddingMask ?? null,
      isCausal: options.isCausal && options.srcMask == null,
      needWeights: false,
    });
    return this.dropout1.call(out);
  }

  private feedForward(x: Tensor): Tensor {
    const act = this.activation === 'gelu' ? F.gelu : F.relu;
    return this.dropout2.call(this.linear2.call(this.dropout.call(act(this.linear1.call(x)))));
  }

  forward(src: Tensor, options: TransformerCallOptions = {}): Tensor {
    if (options === null || typeof options !== 'object')
      throw new ArgumentError(`${this.typeName}: options must be an object`);
    if (this.normFirst) {
      const x = add(src, this.selfAttention(this.norm1.call(src), options));
      return add(x, this.feedForward(this.norm2.call(x)));
    }
    const x = this.norm1.call(add(src, this.selfAttention(src, options)));
    return this.norm2.call(add(x, this.feedForward(x)));
  }

  override extraRepr(): string {
    return `dModel=${this.dModel}, nhead=${this.nhead}, activation=${this.activation}, normFirst=${this.normFirst}`;
  }
}

/**
 * The block of a decoder-only (GPT-style) transformer: a `TransformerEncoderLayer` whose
 * self-attention is always causal, with GPT's defaults (pre-norm, GELU, a feed-forward block 4×
 * as wide, no dropout, batch-first [N, L, E] input). Its state dict is that of PyTorch's
 * `TransformerEncoderLayer(norm_first=True, activation='gelu', batch_first=True)` run with a causal mask.
 */
export class DecoderOnlyBlock extends TransformerEncoderLayer {
  constructor(dModel: number, nhead: number, options: TransformerEncoderLayerOptions = {}) {
    super(dModel, nhead, options, {
      dimFeedforward: 4 * dModel,
      dropout: 0,
      activation: 'gelu',
      batchFirst: true,
      normFirst: true,
    });
  }

  override forward(x: Tensor, options: Omit<TransformerCallOptions, 'isCausal' | 'srcMask'> = {}): Tensor {
    return super.forward(x, { ...options, isCausal: true });
  }
}
