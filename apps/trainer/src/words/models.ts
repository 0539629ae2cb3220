import { add, arange, type Tensor } from '@backprop/core';
import { DecoderOnlyBlock, Embedding, GRU, LayerNorm, Linear, LSTM, Module, RNN } from '@backprop/nn';
import { VOCAB_SIZE } from './vocabulary.js';

/** The character-level language models: a decoder-only transformer and three recurrent nets. */
export const LM_MODELS = ['gpt', 'rnn', 'lstm', 'gru'] as const;
export type LmModelName = (typeof LM_MODELS)[number];

/** The shape of a character-level language model, saved in its checkpoint. */
export interface LmModelConfig {
  readonly architecture: LmModelName;
  /** Positions the model reads (the GPT's learned position table): the longest word + 1. */
  readonly blockSize: number;
  /** Embedding width (the GPT's model width; the recurrent nets' input size). */
  readonly width: number;
  /** Transformer blocks or stacked recurrent layers. */
  readonly layers: number;
  /** Attention heads (the GPT only; the width must divide by it). */
  readonly heads: number;
  /** Hidden state size of the recurrent nets (the GPT's feed-forward block is 4× its width). */
  readonly hidden: number;
}

/**
 * A GPT-style character model (makemore's transformer): token plus learned position embeddings,
 * `layers` pre-norm causal `DecoderOnlyBlock`s, a final LayerNorm and a linear head to the next
 * character's logits. Reads int32 [N, T] indices, returns [N, T, VOCAB_SIZE].
 */
export class CharTransformer extends Module {
  tokens: Embedding;
  positions: Embedding;
  blocks: DecoderOnlyBlock[];
  norm: LayerNorm;
  head: Linear;

  constructor(
    readonly blockSize: number,
    width: number,
    layers: number,
    heads: number,
  ) {
    super();
    this.tokens = new Embedding(VOCAB_SIZE, width);
    this.positions = new Embedding(blockSize, width);
    this.blocks = Array.from({ length: layers }, () => new DecoderOnlyBlock(width, heads));
    this.norm = new LayerNorm(width);
    this.head = new Linear(width, VOCAB_SIZE);
  }

  forward(indices: Tensor): Tensor {
    const steps = indices.shape[1];
    let x = add(
      this.tokens.call(indices),
      this.positions.call(arange(steps, undefined, 1, { dtype: 'int32' })),
    );
    for (const block of this.blocks) x = block.call(x);
    return this.head.call(this.norm.call(x));
  }
}

/**
 * A recurrent character model: token embedding, a stacked RNN, LSTM or GRU (batch first) and a
 * linear head on every step's state. Reads int32 [N, T] indices, returns [N, T, VOCAB_SIZE].
 */
export class CharRecurrent extends Module {
  tokens: Embedding;
  cell: RNN | LSTM | GRU;
  head: Linear;

  constructor(kind: 'rnn' | 'lstm' | 'gru', width: number, hidden: number, layers: number) {
    super();
    this.tokens = new Embedding(VOCAB_SIZE, width);
    const options = { numLayers: layers, batchFirst: true };
    this.cell =
      kind === 'rnn'
        ? new RNN(width, hidden, options)
        : kind === 'lstm'
          ? new LSTM(width, hidden, options)
          : new GRU(width, hidden, options);
    this.head = new Linear(hidden, VOCAB_SIZE);
  }

  forward(indices: Tensor): Tensor {
    const [states] = this.cell.call(this.tokens.call(indices));
    return this.head.call(states);
  }
}

/** Builds the model a configuration describes (weights from the global generator). */
export function buildLanguageModel(c: LmModelConfig): CharTransformer | CharRecurrent {
  if (c.architecture === 'gpt') return new CharTransformer(c.blockSize, c.width, c.layers, c.heads);
  return new CharRecurrent(c.architecture, c.width, c.hidden, c.layers);
}

/** `GPT 2 layers × 4 heads, width 64` or `LSTM 2 layers, hidden 128, embedding 32`. */
export function describeLanguageModel(c: LmModelConfig): string {
  if (c.architecture === 'gpt')
    return `GPT ${c.layers} layer${c.layers === 1 ? '' : 's'} × ${c.heads} heads, width ${c.width}, context ${c.blockSize}`;
  return `${c.architecture.toUpperCase()} ${c.layers} layer${c.layers === 1 ? '' : 's'}, hidden ${c.hidden}, embedding ${c.width}`;
}
