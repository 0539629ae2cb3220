/**
 * Exact gradient rules of the few composites whose composed gradient would be wrong in floating
 * point; every other composite gets its gradient from its primitives.
 */
import type { RecordedCall } from '../autograd/tape.js';
import { sigmoid } from '../ops/activation.js';
import { div, maximum, mul, sub } from '../ops/arithmetic.js';
import { bceTerms } from '../ops/binary-cross-entropy.js';
import type { Tensor } from '../tensor.js';

export type CompositeOp = 'softplus' | 'binaryCrossEntropy';

/** PyTorch's BCE backward divides by max(p(1−p), 1e−12). */
const BCE_GRAD_EPS = 1e-12;

export type CompositeGradRule = (g: Tensor, call: RecordedCall) => readonly (Tensor | null)[];

export const COMPOSITE_GRADIENTS: Record<CompositeOp, CompositeGradRule> = {
  // max(x, 0) + log1p(e^−|x|) composes to slope 0 at x = 0 (both kinks' one-sided zeros); the true slope is sigmoid(x).
  softplus: (g, { inputs: [x] }) => [mul(g, sigmoid(x))],
  binaryCrossEntropy: (g, { inputs: [p, t] }) => {
    const dInput = div(mul(g, sub(p, t)), maximum(mul(p, sub(1, p)), BCE_GRAD_EPS));
    const [logP, log1mP] = bceTerms(p);
    return [dInput, t.requiresGrad ? mul(g, sub(log1mP, logP)) : null];
  },
};
