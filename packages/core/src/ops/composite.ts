import { noGrad } from '../autograd/grad-mode.js';
import { ENGINE } from '../engine/engine.js';
import type { Tensor } from '../tensor.js';
import { record } from './kernel.js';

/**
 * An op whose forward composes other ops (run without taping, intermediates freed) and whose
 * backward is given directly: one tape node instead of many, and a gradient that stays exact
 * where the composition's own would not (at kinks, for huge inputs).
 */
export function composite(
  name: string,
  inputs: readonly Tensor[],
  forward: () => Tensor,
  backward: (grad: Tensor, output: Tensor) => readonly (Tensor | null)[],
): Tensor {
  const output = ENGINE.tidy(() => noGrad(forward));
  return record(name, output, inputs, (g) => backward(g, output));
}
