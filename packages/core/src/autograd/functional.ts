import { ENGINE } from '../engine/engine.js';
import { ArgumentError } from '../errors.js';
import { zerosLike } from '../ops/creation.js';
import { reshape } from '../ops/movement.js';
import type { Tensor } from '../tensor.js';
import { backward } from './backward.js';
import { noGrad } from './grad-mode.js';

export interface ValueAndGrads {
  value: Tensor;
  grads: Tensor[];
}

/**
 * Returns a function that evaluates `fn` (which must return a one-element tensor) and its gradient
 * with respect to every argument. No tensor's `.grad` is touched (not even that of parameters `fn` closes over).
 */
export function valueAndGrad(fn: (...inputs: Tensor[]) => Tensor): (...inputs: Tensor[]) => ValueAndGrads {
  return (...inputs) => {
    const leaves = noGrad(() => inputs.map((x) => reshape(x, x.shape)));
    for (const leaf of leaves) leaf.requiresGrad = true;
    const value = fn(...leaves);
    if (value.size !== 1)
      throw new ArgumentError(
        `valueAndGrad: the function must return a one-element tensor, got ${value.size} elements`,
      );
    if (value.requiresGrad) backward(value, undefined, { inputs: leaves });
    const grads = leaves.map((leaf) => {
      const g = leaf.grad ?? ENGINE.keep(zerosLike(leaf));
      leaf.grad = null;
      return g;
    });
    const result = noGrad(() => reshape(value, value.shape));
    value.dispose();
    for (const leaf of leaves) leaf.dispose();
    return { value: result, grads };
  };
}

/** Returns a function that computes the gradients of `fn` with respect to each argument. */
export function grad(fn: (...inputs: Tensor[]) => Tensor): (...inputs: Tensor[]) => Tensor[] {
  const both = valueAndGrad(fn);
  return (...inputs) => {
    const { value, grads } = both(...inputs);
    value.dispose();
    return grads;
  };
}
