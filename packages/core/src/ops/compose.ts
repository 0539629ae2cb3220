import { isGradEnabled } from '../autograd/grad-mode.js';
import { ENGINE } from '../engine/engine.js';
import type { Tensor } from '../tensor.js';

/**
 * Runs an op written as a composition of other ops. When no input needs a gradient the
 * intermediates are freed at once (a `tidy` around the composition); otherwise they stay on the
 * tape, which is how the composition's gradient comes for free.
 */
export function composed<T>(inputs: readonly (Tensor | number | undefined)[], build: () => T): T {
  const taped = isGradEnabled() && inputs.some((t) => typeof t === 'object' && t !== null && t.requiresGrad);
  return taped ? build() : ENGINE.tidy(build);
}

/** The op library's argument check for tensors, re-exported so the composed ops import it from one place. */
export { assertTensor } from './operands.js';
