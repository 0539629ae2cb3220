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

type Fn = (...inputs: Tensor[]) => Tensor;

function checkInputs(op: string, inputs: readonly Tensor[]): void {
  for (const x of inputs)
    if (x.dtype !== 'float32') throw new DTypeError(`${op}: inputs must be float32, got ${x.dtype}`);
}

/** The fixed random weights of the vector–Jacobian product, one per output element. */
function vjpWeights(size: number): Float64Array {
  const weights = new Float64Array(size);
  const generator = new Generator(1234);
  for (let i = 0; i < weights.length; i++) weights[i] = 0.5 + generator.uniform();
  return weights;
}

/** Autograd's gradients of Σ w·fn(inputs), kept alive past the enclosing scope; and the weights. */
function analyticGradients(fn: Fn, inputs: readonly Tensor[]): { weights: Float64Array; grads: Tensor[] } {
  return ENGINE.tidy(() => {
    const probe = noGrad(() => fn(...inputs));
    const weights = vjpWeights(probe.size);
    const weightTensor = fromArray(Float32Array.from(weights), probe.shape, { device: probe.device });
    const objective = (...xs: Tensor[]) =>
      fn(...xs)
        .mul(weightTensor)
        .sum();
    return { weights, grads: valueAndGrad(objective)(...inputs).grads };
  });
}

/** The steps actually taken around `value`: what float32 can represent near value ± eps. */
function steps(value: number, eps: number): { up: number; down: number } {
  return { up: Math.fround(value + eps) - value, down: Math.fround(value - eps) - value };
}

/** `inputs` with input `which` replaced by its values `base` with element `i` moved by `delta`. */
function shiftedInputs(
  inputs: readonly Tensor[],
  which: number,
  base: Float64Array,
  i: number,
  delta: number,
): Tensor[] {
  const x = inputs[which];
  const values = Float32Array.from(base);
  values[i] = base[i] + delta;
  const xs = [...inputs];
  xs[which] = fromArray(values, x.shape, { device: x.device });
  return xs;
}

/**
 * fn at the shifted inputs, freeing what it made on the way; `owned` says whether the output was
 * made here (fn may return a tensor it did not make, which the caller must not free).
 */
function evaluateShifted(
  fn: Fn,
  inputs: readonly Tensor[],
  which: number,
  base: Float64Array,
  i: number,
  delta: number,
): { out: Tensor; owned: boolean } {
  return ENGINE.tidy(() => {
    const xs = shiftedInputs(inputs, which, base, i, delta);
    const out = noGrad(() => fn(...xs));
    // Tensor ids grow: anything made from the shifted input on has a larger id.
    return { out, owned: out.id >= xs[which].id };
  });
}

/** Σ w·values, in float64. */
function weightedSum(values: ArrayLike<number>, weights: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i] * weights[i];
  return total;
}

/** Collects the comparison of analytic and numeric derivatives. */
class Comparison {
  readonly mismatches: GradcheckMismatch[] = [];
  maxAbsError = 0;

  constructor(
    private readonly atol: number,
    private readonly rtol: number,
  ) {}

  add(input: number, index: number, analytic: number, numeric: number): void {
    const error = Math.abs(analytic - numeric);
    this.maxAbsError = Math.max(this.maxAbsError, error);
    // Written so that a NaN gradient (or difference quotient) counts as a mismatch, not a pass.
    if (!(error <= this.atol + this.rtol * Math.abs(numeric)))
      this.mismatches.push({ input, index, analytic, numeric });
  }

  result(): GradcheckResult {
    return {
      passed: this.mismatches.length === 0,
      maxAbsError: this.maxAbsError,
      mismatches: this.mismatches,
    };
  }
}

/**
 * Compares autograd's gradients of `fn` with central finite differences, the difference quotient
 * taken in float64. A non-scalar output is reduced with fixed random weights (a random
 * vector–Jacobian product), so every output element counts. Reads synchronously: on a backend
 * that reads back only asynchronously (WebGPU) use `gradcheckAsync`.
 */
export function gradcheck(
  fn: Fn,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckResult {
  const { eps = 1e-3, atol = 1e-2, rtol = 1e-2 } = options;
  checkInputs('gradcheck', inputs);
  const { weights, grads } = analyticGradients(fn, inputs);
  const comparison = new Comparison(atol, rtol);
  try {
    inputs.forEach((x, which) => {
      const base = Float64Array.from(x.dataSync());
      const analytic = grads[which].dataSync();
      for (let i = 0; i < base.length; i++) {
        const { up, down } = steps(base[i], eps);
        const evaluate = (delta: number): number =>
          ENGINE.tidy(() =>
            weightedSum(
              noGrad(() => fn(...shiftedInputs(inputs, which, base, i, delta))).dataSync(),
              weights,
            ),
          );
        comparison.add(which, i, analytic[i], (evaluate(up) - evaluate(down)) / (up - down));
      }
    });
  } finally {
    for (const g of grads) g.dispose();
  }
  return comparison.result();
}

/** Output elements read back at once by `gradcheckAsync` (bounds the memory its batched reads hold). */
const ASYNC_BATCH_ELEMENTS = 1 << 20;

/**
 * `gradcheck` for every backend, those that read back only asynchronously (WebGPU) included: the
 * same comparison and result, with the shifted evaluations of a batch of elements queued on the
 * backend and read back together.
 */
export async function gradcheckAsync(
  fn: Fn,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): Promise<GradcheckResult> {
  const { eps = 1e-3, atol = 1e-2, rtol = 1e-2 } = options;
  checkInputs('gradcheckAsync', inputs);
  const { weights, grads } = analyticGradients(fn, inputs);
  const comparison = new Comparison(atol, rtol);
  try {
    for (let which = 0; which < inputs.length; which++) {
      const base = Float64Array.from(await inputs[which].data());
      const analytic = await grads[which].data();
      // Two evaluations per element, each of weights.length outputs.
      const batch = Math.max(1, Math.floor(ASYNC_BATCH_ELEMENTS / (2 * Math.max(1, weights.length))));
      for (let start = 0; start < base.length; start += batch) {
        const end = Math.min(base.length, start + batch);
        const outs: { out: Tensor; owned: boolean }[] = [];
        try {
          for (let i = start; i < end; i++) {
            const { up, down } = steps(base[i], eps);
            for (const delta of [up, down]) outs.push(evaluateShifted(fn, inputs, which, base, i, delta));
          }
          const values = await Promise.all(outs.map(({ out }) => out.data()));
          for (let i = start; i < end; i++) {
            const { up, down } = steps(base[i], eps);
            const k = 2 * (i - start);
            const numeric =
              (weightedSum(values[k], weights) - weightedSum(values[k + 1], weights)) / (up - down);
            comparison.add(which, i, analytic[i], numeric);
          }
        } finally {
          for (const { out, owned } of outs) if (owned) out.dispose();
        }
      }
    }
  } finally {
    for (const g of grads) g.dispose();
  }
  return comparison.result();
}
