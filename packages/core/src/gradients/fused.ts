/**
 * The fused gradient passes that rules call: each runs the backend's kernel when it has one, else
 * core's composition of required kernels (the same values; the conformance suite checks both).
 */
import type { FusedActivation } from '../backend/backend.js';
import { mul, sub } from '../ops/arithmetic.js';
import { oneHot } from '../ops/gather.js';
import { unsqueeze } from '../ops/movement.js';
import { softmax } from '../ops/softmax.js';
import { sign, square } from '../ops/unary.js';
import { runKernel } from '../primitives/run.js';
import { type Tensor, tensorInfo } from '../tensor.js';

/** `g` times d activation / dz, read from the activation's output `y` (the shape of `g`). */
export function activationGrad(g: Tensor, y: Tensor, activation: FusedActivation): Tensor {
  if (activation === 'none') return g;
  const fused = g.backend.activationGrad;
  if (fused && g.dtype === 'float32' && y.dtype === 'float32') {
    return runKernel('activationGrad', [g, y], g.shape, 'float32', (b) =>
      b.activationGrad!(tensorInfo(g), tensorInfo(y), activation),
    );
  }
  if (activation === 'relu') return mul(g, sign(y));
  if (activation === 'sigmoid') return mul(g, mul(y, sub(1, y)));
  return mul(g, sub(1, square(y)));
}

/** The gradient of `softmaxCrossEntropy(logits, labels)` for its logits, given `g` [N] for its losses. */
export function softmaxCrossEntropyGrad(logits: Tensor, labels: Tensor, g: Tensor): Tensor {
  if (logits.backend.softmaxCrossEntropyGrad) {
    return runKernel('softmaxCrossEntropyGrad', [logits, labels, g], logits.shape, 'float32', (b) =>
      b.softmaxCrossEntropyGrad!(tensorInfo(logits), tensorInfo(labels), tensorInfo(g)),
    );
  }
  return mul(sub(softmax(logits, 1), oneHot(labels, logits.shape[1])), unsqueeze(g, 1));
}
