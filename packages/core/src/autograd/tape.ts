/**
 * The autograd tape: how an op's output remembers where it came from. It sits below every op; the
 * gradient rules sit above them and register themselves here by name, so no op module imports a
 * gradient and no gradient can create an import circle.
 */
import { ENGINE } from '../engine/engine.js';
import { BackpropError } from '../errors.js';
import type { GradNode, Tensor } from '../tensor.js';
import { isGradEnabled, noGrad } from './grad-mode.js';

/** What a gradient rule sees of the recorded call: its inputs, its output and the call's attributes. */
export interface RecordedCall<A = unknown> {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly attrs: A;
}

/** Maps the output's gradient to one gradient (or null) per input, written in core ops. */
export type GradientRule<A = unknown> = (grad: Tensor, call: RecordedCall<A>) => readonly (Tensor | null)[];

const rules = new Map<string, GradientRule>();

/** Registers the gradient rule of the primitive `key` (e.g. `unary/exp`); core's rule tables do this once at import. */
export function registerGradient<A>(key: string, rule: GradientRule<A>): void {
  rules.set(key, rule as GradientRule);
}

function ruleFor(key: string): GradientRule {
  const rule = rules.get(key);
  if (!rule) {
    throw new BackpropError(
      `backward: no gradient rule is registered for '${key}' (import '@backprop/core', whose index registers the rule tables)`,
    );
  }
  return rule;
}

function needsTape(inputs: readonly Tensor[]): boolean {
  return isGradEnabled() && inputs.some((t) => t.requiresGrad);
}

/**
 * Records `output` as made by the primitive `key` from `inputs` (when grad mode is on and some
 * input needs a gradient). The rule is looked up by name when backward runs.
 */
export function recordPrimitive<A>(key: string, output: Tensor, inputs: readonly Tensor[], attrs: A): Tensor {
  if (!needsTape(inputs)) return output;
  output.requiresGrad = true;
  const call: RecordedCall<A> = { inputs, output, attrs };
  output.gradFn = { name: key, inputs, backward: (g) => ruleFor(key)(g, call) };
  return output;
}

/**
 * Records `output` with an explicit `backward` closure: the escape hatch for library code
 * (`composite`); core's own ops record primitives with rules from the tables instead.
 */
export function record(
  name: string,
  output: Tensor,
  inputs: readonly Tensor[],
  backward: GradNode['backward'],
): Tensor {
  if (!needsTape(inputs)) return output;
  output.requiresGrad = true;
  output.gradFn = { name, inputs, backward };
  return output;
}

/**
 * An op computed by `forward` (a backend's fused kernel, or a composition run untaped with its
 * intermediates freed) and recorded as one node whose gradient is the rule registered as `key`:
 * how fused kernels and the few composites whose numerics need an exact gradient are taped.
 */
export function recordComposite<A>(
  key: string,
  inputs: readonly Tensor[],
  attrs: A,
  forward: () => Tensor,
): Tensor {
  const output = ENGINE.tidy(() => noGrad(forward));
  return recordPrimitive(key, output, inputs, attrs);
}
