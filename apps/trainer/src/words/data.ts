import { createRequire } from 'node:module';
import { Generator } from '@backprop/core';
import { UsageError } from '../args.js';
import { encodeWord } from './vocabulary.js';

/** Every word of the `an-array-of-english-words` package (about 275,000, lower-case a–z). */
export function englishWords(): readonly string[] {
  const require = createRequire(import.meta.url);
  return require('an-array-of-english-words') as string[];
}

/** The words task's split: which words train and which are held out. */
export interface WordSplit {
  readonly train: readonly string[];
  readonly test: readonly string[];
  /** Positions a model reads: the longest word of the whole list plus its start token. */
  readonly blockSize: number;
  /** Words in the list the split was drawn from. */
  readonly available: number;
}

/**
 * A seeded split by word: the list is shuffled with the run's seed (Fisher–Yates on the project's
 * generator), the first `testSize` words are held out and the next `trainSize` train, so a
 * smaller training set is a subset of a larger one with the same held-out words.
 */
export function splitWords(
  words: readonly string[],
  trainSize: number,
  testSize: number,
  seed: number,
  command = 'train',
): WordSplit {
  if (trainSize + testSize > words.length)
    throw new UsageError(
      `--train-size ${trainSize} + --test-size ${testSize} exceeds the ${words.length.toLocaleString('en-US')} words`,
      command,
    );
  const order = Array.from(words);
  const g = new Generator(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = g.integer(0, i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const blockSize = words.reduce((n, w) => Math.max(n, w.length), 0) + 1;
  const test = order.slice(0, testSize);
  const train = order.slice(testSize, testSize + trainSize);
  // Only the words used need checking (a–z), which keeps a small split of the long list fast.
  for (const w of [...test, ...train]) encodeWord(w);
  return {
    test,
    train,
    blockSize,
    available: words.length,
  };
}

/** A batch of words as the models read them: `[N, T]` inputs and targets, T the longest word + 1. */
export interface WordBatch {
  /** `.` then the word's characters, padded with `.` (int32, row-major [N, T]). */
  readonly input: Int32Array;
  /** The word's characters then `.`, padded with IGNORE. */
  readonly target: Int32Array;
  readonly rows: number;
  readonly steps: number;
  /** Characters predicted (the letters and the closing `.` of every word). */
  readonly characters: number;
}

/** Encodes words into next-character pairs: input `.abc`, target `abc.` (padded to the longest). */
export function encodeBatch(words: readonly string[], ignore: number): WordBatch {
  const steps = words.reduce((n, w) => Math.max(n, w.length), 0) + 1;
  const input = new Int32Array(words.length * steps);
  const target = new Int32Array(words.length * steps).fill(ignore);
  let characters = 0;
  words.forEach((w, r) => {
    const codes = encodeWord(w);
    input.set(codes, r * steps + 1);
    target.set(codes, r * steps);
    target[r * steps + codes.length] = 0;
    characters += codes.length + 1;
  });
  return { input, target, rows: words.length, steps, characters };
}
