import { recordComposite } from '../autograd/tape.js';
import { ShapeError } from '../errors.js';
import { formatShape, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, clamp, mul, sub } from './arithmetic.js';
import { assertFloat } from './operands.js';
import { log, neg } from './unary.js';

/** PyTorch clamps BCE's log terms at −100, so a probability of exactly 0 or 1 gives a finite loss. */
export const BCE_LOG_FLOOR = -100;

/** BCE's two log terms of probabilities p: log p and log(1 − p), each clamped at −100. */
export function bceTerms(input: Tensor): [logP: Tensor, log1mP: Tensor] {
  return [clamp(log(input), BCE_LOG_FLOOR), clamp(log(sub(1, input)), BCE_LOG_FLOOR)];
}

/**
 * Elementwise binary cross-entropy of probabilities `input` against `target` (float32, same
 * shape): `−(t·log p + (1−t)·log(1−p))`, each log clamped at −100, unreduced. Its gradient is
 * PyTorch's, `(p − t) / max(p(1 − p), 1e−12)`, exact and finite at p = 0 and p = 1, where the
 * composition's would be 0/0.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor): Tensor {
  assertFloat('binaryCrossEntropy', input);
  assertFloat('binaryCrossEntropy', target);
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ShapeError(
      `binaryCrossEntropy: input ${formatShape(input.shape)} and target ${formatShape(target.shape)} must have the same shape`,
    );
  }
  return recordComposite('composite/binaryCrossEntropy', [input, target], undefined, () => {
    const [logP, log1mP] = bceTerms(input);
    return neg(add(mul(target, logP), mul(sub(1, target), log1mP)));
  });
}
