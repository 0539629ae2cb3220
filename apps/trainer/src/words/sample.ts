import { ArgumentError, fromArray, Generator, noGrad, tidy } from '@backprop/core';
import type { Module } from '@backprop/nn';
import { decodeWord, VOCAB_SIZE } from './vocabulary.js';

/** How `sampleWords` draws. */
export interface SampleOptions {
  readonly count: number;
  /** Divides the logits: below 1 picks likelier characters, above 1 more surprising ones. */
  readonly temperature: number;
  readonly seed: number;
}

/**
 * Generates `count` words from a character model: every word starts as `.`, and each next
 * character is drawn from the softmax of the last position's logits over `temperature` with a
 * generator seeded by `seed` (so the same seed gives the same words), until the model writes `.`
 * or the word fills the context (`blockSize` − 1 letters). The words are generated side by side.
 */
export async function sampleWords(
  model: Module,
  blockSize: number,
  options: SampleOptions,
): Promise<string[]> {
  const { count, temperature, seed } = options;
  if (!Number.isInteger(count) || count < 1)
    throw new ArgumentError(`sampleWords: count must be a positive integer, got ${count}`);
  if (!(temperature > 0) || !Number.isFinite(temperature))
    throw new ArgumentError(`sampleWords: temperature must be a finite number > 0, got ${temperature}`);
  const g = new Generator(seed);
  const words: number[][] = Array.from({ length: count }, () => []);
  let open = words.map((_, i) => i);
  const wasTraining = model.training;
  model.eval();
  try {
    // A word has at most blockSize − 1 letters: the start token takes the first position.
    for (let t = 1; t < blockSize && open.length > 0; t++) {
      const input = new Int32Array(open.length * t);
      open.forEach((w, r) => {
        input.set(words[w], r * t + 1);
      });
      const probabilities = noGrad(() =>
        tidy(() => {
          const logits = model.call(fromArray(input, [open.length, t], { dtype: 'int32' }));
          return logits
            .narrow(1, t - 1, 1)
            .reshape([open.length, VOCAB_SIZE])
            .div(temperature)
            .softmax(-1);
        }),
      );
      const p = await probabilities.data();
      probabilities.dispose();
      const still: number[] = [];
      open.forEach((w, r) => {
        const next = draw(p, r * VOCAB_SIZE, g.uniform());
        if (next === 0) return;
        words[w].push(next);
        still.push(w);
      });
      open = still;
    }
  } finally {
    model.train(wasTraining);
  }
  return words.map(decodeWord);
}

/** The index whose cumulative probability first exceeds `u` in the row starting at `offset`. */
function draw(p: ArrayLike<number>, offset: number, u: number): number {
  let total = 0;
  for (let i = 0; i < VOCAB_SIZE; i++) total += p[offset + i];
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < VOCAB_SIZE; i++) {
    if (p[offset + i] === 0) continue;
    cumulative += p[offset + i] / total;
    last = i;
    if (u < cumulative) return i;
  }
  // Rounding left the sum just below u: the last character that had any probability.
  return last;
}
