/**
 * The characters of the words task: `.` (index 0) marks both the start and the end of a word, as
 * in makemore, and `a`–`z` are 1–26. Every word of the list is lower-case a–z.
 */
export const BOUNDARY = '.';
export const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
/** `.` then a–z: the model's input and output classes. */
export const VOCABULARY = `${BOUNDARY}${ALPHABET}`;
export const VOCAB_SIZE = VOCABULARY.length;
/** The target value of padded positions, skipped by the loss (crossEntropy's `ignoreIndex`). */
export const IGNORE = -1;

/** The index of each character of `word`, throwing on anything outside a–z. */
export function encodeWord(word: string): number[] {
  return Array.from(word, (c) => {
    const i = ALPHABET.indexOf(c);
    if (i < 0 || c.length !== 1) throw new Error(`the word '${word}' holds '${c}', not one of a-z`);
    return i + 1;
  });
}

/** The word spelled by character indices 1–26. */
export function decodeWord(indices: readonly number[]): string {
  return indices.map((i) => VOCABULARY[i]).join('');
}
