import { ENGINE } from '../engine/engine.js';
import { DTypeError } from '../errors.js';
import { fromArray } from '../ops/creation.js';
import { Generator } from '../random/generator.js';
import type { Tensor } from '../tensor.js';
import { valueAndGrad } from './functional.js';
import { noGrad } from './grad-mode.js';

export interface GradcheckOptions {
  /** Finite-difference step. Float32 evaluation wants a step near 1e-3 (rounding error grows as it shrinks). */
  eps?: number;
  atol?: number;
  rtol?: number;
}

export interface GradcheckMismatch {
  input: number;
  index: number;
  analytic: number;
  numeric: number;
}

export interface GradcheckResult {
  passed: boolean;
  /** Largest |analytic − numeric| over all checked elements. */
  maxAbsError: number;
  mismatches: GradcheckMismatch[];
}

/**
 * Compares autograd's gradients of `fn` with central finite differences, the difference quotient
 * taken in float64. A non-scalar output is reduced with fixed random weights (a random
 * vector–Jacobian product), so every output element counts.
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckResult {
  const { eps = 1e-3, atol = 1e-2, rtol = 1e-2 } = options;
  for (const x of inputs)
    if (x.dtype !== 'float32') throw new DTypeError(`gradcheck: inputs must be float32, got ${x.dtype}`);
  return ENGINE.tidy(() => {
    const probe = noGrad(() => fn(...inputs));
    const weights = new Float64Array(probe.size);
    const generator = new Generator(1234);
    for (let i = 0; i < weights.length; i++) weights[i] = 0.5 + generator.uniform();
    const weightTensor = fromArray(Float32Array.from(weights), probe.shape, { device: probe.device });
    const objective = (...xs: Tensor[]) =>
      fn(...xs)
        .mul(weightTensor)
        .sum();
    const evaluate = (xs: Tensor[]): number => {
      const out = noGrad(() => fn(...xs));
      const values = out.dataSync();
      let total = 0;
      for (let i = 0; i < values.length; i++) total += values[i] * weights[i];
      return total;
    };
    const { grads } = valueAndGrad(objective)(...inputs);
    const mismatches: GradcheckMismatch[] = [];
    let maxAbsError = 0;
    inputs.forEach((x, which) => {
      const base = Float64Array.from(x.dataSync());
      const analytic = grads[which].dataSync();
      for (let i = 0; i < base.length; i++) {
        const shifted = (delta: number) => {
          const values = Float32Array.from(base);
          values[i] = base[i] + delta;
          return fromArray(values, x.shape, { device: x.device });
        };
        // The step actually taken is what float32 can represent around the value.
        const up = Math.fround(base[i] + eps) - base[i];
        const down = Math.fround(base[i] - eps) - base[i];
        const xs = [...inputs];
        xs[which] = shifted(up);
        const plus = evaluate(xs);
        xs[which] = shifted(down);
        const minus = evaluate(xs);
        const numeric = (plus - minus) / (up - down);
        const error = Math.abs(analytic[i] - numeric);
        maxAbsError = Math.max(maxAbsError, error);
        // Written so that a NaN gradient (or difference quotient) counts as a mismatch, not a pass.
        if (!(error <= atol + rtol * Math.abs(numeric)))
          mismatches.push({ input: which, index: i, analytic: analytic[i], numeric });
      }
    });
    for (const g of grads) g.dispose();
    return { passed: mismatches.length === 0, maxAbsError, mismatches };
  });
}
