import { encodeWord, VOCAB_SIZE } from './vocabulary.js';

/**
 * A count-based bigram model of characters: P(next | previous) from the training words' pair
 * counts (`.` before the first letter and after the last), each count plus `smoothing` so a pair
 * never seen keeps a small probability (makemore's +1).
 */
export class BigramModel {
  /** Row-major [VOCAB_SIZE, VOCAB_SIZE] log-probabilities: row previous, column next. */
  readonly logProbabilities: Float64Array;

  constructor(words: readonly string[], smoothing = 1) {
    const counts = new Float64Array(VOCAB_SIZE * VOCAB_SIZE).fill(smoothing);
    for (const w of words) {
      let prev = 0;
      for (const c of [...encodeWord(w), 0]) {
        counts[prev * VOCAB_SIZE + c]++;
        prev = c;
      }
    }
    this.logProbabilities = new Float64Array(counts.length);
    for (let r = 0; r < VOCAB_SIZE; r++) {
      let total = 0;
      for (let c = 0; c < VOCAB_SIZE; c++) total += counts[r * VOCAB_SIZE + c];
      for (let c = 0; c < VOCAB_SIZE; c++)
        this.logProbabilities[r * VOCAB_SIZE + c] = Math.log(counts[r * VOCAB_SIZE + c] / total);
    }
  }

  /** Mean negative log-likelihood of `words`, in nats per predicted character (letters and the end). */
  lossPerCharacter(words: readonly string[]): number {
    let nats = 0;
    let characters = 0;
    for (const w of words) {
      let prev = 0;
      for (const c of [...encodeWord(w), 0]) {
        nats -= this.logProbabilities[prev * VOCAB_SIZE + c];
        characters++;
        prev = c;
      }
    }
    return nats / characters;
  }
}
