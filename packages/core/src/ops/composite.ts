import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/tape.js';
import { ENGINE } from '../engine/engine.js';
import type { Tensor } from '../tensor.js';

/**
 * For libraries outside core: an op whose forward composes other ops (run without taping,
 * intermediates freed) and whose backward is given directly, as one tape node. Core's own ops do
 * not use it: their gradients are rules in core's tables, and a composition of core ops gets its
 * gradient without one.
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
