import {
  ArgumentError,
  checkOptions,
  DTypeError,
  detach,
  eq,
  fromArray,
  gather,
  globalGenerator,
  type Tensor,
  unsqueeze,
  where,
  zeros,
} from '@backprop/core';
import { Module } from '../module.js';
import { type Parameter, parameter } from '../parameter.js';
import { checkReal, checkSize, checkTensor } from '../validate.js';

export interface EmbeddingOptions {
  /** An index whose row starts at zero and gets no gradient (a padding token). Negative counts from the end. */
  paddingIdx?: number;
}

/**
 * A lookup table: int32 indices of any shape → their rows of `weight` [numEmbeddings, embeddingDim],
 * output shape `indices.shape + [embeddingDim]`. Rows start N(0, 1), as PyTorch.
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    checkSize('Embedding', 'numEmbeddings', numEmbeddings);
    checkSize('Embedding', 'embeddingDim', embeddingDim);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    const { paddingIdx } = checkOptions<EmbeddingOptions>('Embedding', options, ['paddingIdx']);
    let pad: number | null = null;
    if (paddingIdx !== undefined) {
      checkReal('Embedding', 'paddingIdx', paddingIdx, { integer: true });
      pad = paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
      if (!Number.isInteger(pad) || pad < 0 || pad >= numEmbeddings) {
        throw new ArgumentError(
          `Embedding: paddingIdx ${paddingIdx} is out of range for ${numEmbeddings} embeddings`,
        );
      }
    }
    this.paddingIdx = pad;
    this.weight = parameter(zeros([numEmbeddings, embeddingDim]));
    this.resetParameters();
  }

  /** Re-draws the rows from N(0, 1) and zeroes the padding row. */
  resetParameters(): void {
    const values = new Float32Array(this.weight.size);
    for (let i = 0; i < values.length; i++) values[i] = globalGenerator.normal();
    if (this.paddingIdx !== null)
      values.fill(0, this.paddingIdx * this.embeddingDim, (this.paddingIdx + 1) * this.embeddingDim);
    const fresh = fromArray(values, this.weight.shape, { device: this.weight.device });
    this.weight.assign(fresh);
    fresh.dispose();
  }

  forward(indices: Tensor): Tensor {
    checkTensor('Embedding', 'indices', indices);
    if (indices.dtype !== 'int32')
      throw new DTypeError(`Embedding: indices must be int32, got ${indices.dtype}`);
    const rows = gather(this.weight, indices, 0);
    if (this.paddingIdx === null) return rows;
    // The padding row's value is returned but gets no gradient: `where` sends the gradient only to
    // the branch it picks, and the padding positions pick a detached copy.
    return where(unsqueeze(eq(indices, this.paddingIdx), -1), detach(rows), rows);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : ''}`;
  }
}
