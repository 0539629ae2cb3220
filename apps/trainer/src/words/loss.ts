import { noGrad, type Tensor, tidy } from '@backprop/core';
import { crossEntropy } from '@backprop/losses';
import type { Module } from '@backprop/nn';
import { lengthBuckets, wordTensors } from './batches.js';
import { encodeBatch } from './data.js';
import { IGNORE, VOCAB_SIZE } from './vocabulary.js';

/** Mean cross-entropy in nats over the real characters of [N, T, V] logits against [N, T] targets. */
export function characterLoss(logits: Tensor, target: Tensor): Tensor {
  const rows = target.shape[0] * target.shape[1];
  return crossEntropy(logits.reshape([rows, VOCAB_SIZE]), target.reshape([rows]), { ignoreIndex: IGNORE });
}

/**
 * The model's held-out loss in nats per character, exactly: the summed negative log-likelihood of
 * every letter and closing `.` of `words` over their count (batches of similar length, no gradients).
 */
export async function lossPerCharacter(
  model: Module,
  words: readonly string[],
  batchSize = 256,
): Promise<number> {
  const wasTraining = model.training;
  model.eval();
  let nats = 0;
  let characters = 0;
  try {
    for (const group of lengthBuckets(words, batchSize, 0)) {
      const count = encodeBatch(group, IGNORE).characters;
      const mean = noGrad(() =>
        tidy(() => {
          const { x, y } = wordTensors(group);
          return characterLoss(model.call(x), y);
        }),
      );
      nats += (await mean.data())[0] * count;
      characters += count;
      mean.dispose();
    }
  } finally {
    model.train(wasTraining);
  }
  return nats / characters;
}
