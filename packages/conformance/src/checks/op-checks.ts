/** The per-sample checks: forward values, gradients (float32 gradcheck and float64 reference), memory, fused kernels. */
import {
  add,
  type Backend,
  backward,
  concat,
  fromArray,
  gradcheckAsync,
  memory,
  mul,
  noGrad,
  reshape,
  sum,
  type Tensor,
  tidy,
  valueAndGrad,
} from '@backprop/core';
import { isExactDType, mismatch } from '../compare.js';
import { hashString, inputValues, layOut, layOutRef, makeStored, makeStoredRef, prng } from '../inputs.js';
import { refVjp } from '../reference/gradient.js';
import { type RefTensor, store } from '../reference/ndarray.js';
import { scaled } from '../tolerance.js';
import type { OpCase, Sample, ToleranceConfig } from '../types.js';

const list = <T>(x: T | readonly T[]): T[] => (Array.isArray(x) ? [...(x as readonly T[])] : [x as T]);

/** The last samples' values: a sample's checks run one after another, and each draws the same values. */
const recentValues: { c: OpCase; s: Sample; values: readonly (readonly number[])[] }[] = [];
const RECENT_SAMPLES = 2;

/** The sample's stored input values (deterministic in the case and sample names). */
export function sampleValues(c: OpCase, s: Sample): readonly (readonly number[])[] {
  const recent = recentValues.find((r) => r.c === c && r.s === s);
  if (recent) return recent.values;
  const values = s.inputs.map((spec, i) => inputValues(spec, hashString(`${c.name}/${s.name}/${i}`)));
  recentValues.unshift({ c, s, values });
  recentValues.length = Math.min(recentValues.length, RECENT_SAMPLES);
  return values;
}

/** Indices of the inputs whose gradients are checked. */
export function gradInputs(s: Sample): number[] {
  return s.inputs.flatMap((spec, i) => ((spec.grad ?? (spec.dtype ?? 'float32') === 'float32') ? [i] : []));
}

/** Whether gradients are checked for this sample. */
export function hasGrad(c: OpCase, s: Sample): boolean {
  if (!c.grad || s.extended) return false;
  if (gradInputs(s).length === 0) return false;
  if (s.grad !== undefined) return s.grad;
  return s.inputs.every((spec) => spec.shape.reduce((p, d) => p * d, 1) <= 64);
}

function runCase(c: OpCase, s: Sample, stored: Tensor[]): Tensor[] {
  return list(
    c.run(
      stored.map((t, i) => layOut(s.inputs[i], t)),
      s.args as never,
    ),
  );
}

function referenceOf(c: OpCase, s: Sample, stored: RefTensor[]): RefTensor[] {
  return list(
    c.reference(
      stored.map((r, i) => layOutRef(s.inputs[i], r)),
      s.args as never,
    ),
  );
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Compares tensors read from the backend with reference arrays: shape, dtype, then values. */
export async function compareOutputs(
  outs: readonly Tensor[],
  refs: readonly RefTensor[],
  tol: { atol: number; rtol: number },
  what: string,
): Promise<void> {
  if (outs.length !== refs.length)
    throw new Error(`${what}: expected ${refs.length} outputs, got ${outs.length}`);
  for (let j = 0; j < refs.length; j++) {
    const label = refs.length > 1 ? `${what} (output ${j})` : what;
    const out = outs[j];
    const expected = refs[j];
    if (shapeText(out.shape) !== shapeText(expected.shape)) {
      throw new Error(`${label}: shape ${shapeText(out.shape)}, expected ${shapeText(expected.shape)}`);
    }
    if (out.dtype !== expected.dtype)
      throw new Error(`${label}: dtype ${out.dtype}, expected ${expected.dtype}`);
    const actual = await out.data();
    // The ideal float32 answer is the float64 value rounded to float32 (so overflow to ±Infinity is expected).
    const ideal = expected.data.map((v) => store(v, expected.dtype));
    const problem = mismatch(actual, ideal, tol, isExactDType(expected.dtype));
    if (problem) throw new Error(`${label}: ${problem}`);
  }
}

/** (1) Forward values against the float64 reference. */
export async function checkForward(c: OpCase, s: Sample, tolerances: ToleranceConfig): Promise<void> {
  const values = sampleValues(c, s);
  const refs = referenceOf(
    c,
    s,
    s.inputs.map((spec, i) => makeStoredRef(spec, values[i])),
  );
  const { stored, outs } = tidy(() =>
    noGrad(() => {
      const inputs = s.inputs.map((spec, i) => makeStored(spec, values[i]));
      return { stored: inputs, outs: runCase(c, s, inputs) };
    }),
  );
  try {
    const base = c.toleranceKind === 'random' ? tolerances.random : tolerances.forward;
    await compareOutputs(outs, refs, scaled(base, c.tolerance, s.tolerance), `${c.name} forward, ${s.name}`);
  } finally {
    for (const t of [...stored, ...outs]) t.dispose();
  }
}

/** Weights of the vector–Jacobian product, one array per output. */
function vjpWeights(c: OpCase, s: Sample, refs: readonly RefTensor[]): Float64Array[] {
  const random = prng(hashString(`weights/${c.name}/${s.name}`));
  return refs.map((r) => Float64Array.from({ length: r.data.length }, () => Math.fround(0.5 + random())));
}

/** The differentiable inputs as leaves, with the other inputs held fixed: fn(...leaves) → outputs. */
function withLeaves(
  c: OpCase,
  s: Sample,
  stored: Tensor[],
  which: number[],
): (...leaves: Tensor[]) => Tensor[] {
  return (...leaves) => {
    const xs = [...stored];
    which.forEach((k, j) => {
      xs[k] = leaves[j];
    });
    return runCase(c, s, xs);
  };
}

/**
 * (2a) Analytic gradients against float32 central differences (core's `gradcheckAsync`, so that
 * backends that read back only asynchronously run it too).
 */
export async function checkGradcheck(c: OpCase, s: Sample, tolerances: ToleranceConfig): Promise<void> {
  const values = sampleValues(c, s);
  const which = gradInputs(s);
  const tol = scaled(tolerances.gradcheck, c.gradTolerance);
  const stored = s.inputs.map((spec, i) => makeStored(spec, values[i]));
  try {
    const fn = withLeaves(c, s, stored, which);
    const single = (...leaves: Tensor[]): Tensor => {
      const outs = fn(...leaves);
      return outs.length === 1 ? outs[0] : concat(outs.map((o) => reshape(o, [o.size])));
    };
    const result = await gradcheckAsync(
      single,
      which.map((k) => stored[k]),
      { eps: tolerances.gradcheck.eps, atol: tol.atol, rtol: tol.rtol },
    );
    if (!result.passed) {
      const shown = result.mismatches
        .slice(0, 5)
        .map((m) => `input ${which[m.input]}[${m.index}]: analytic ${m.analytic}, numeric ${m.numeric}`)
        .join('; ');
      throw new Error(
        `${c.name} gradcheck, ${s.name}: ${result.mismatches.length} gradient entries differ from central differences (max error ${result.maxAbsError.toExponential(3)}; atol ${tol.atol}, rtol ${tol.rtol}): ${shown}`,
      );
    }
  } finally {
    for (const t of stored) t.dispose();
  }
}

/** (2b) Analytic gradients against the float64 reference gradient (central differences on the reference). */
export async function checkReferenceGrad(c: OpCase, s: Sample, tolerances: ToleranceConfig): Promise<void> {
  const values = sampleValues(c, s);
  const which = gradInputs(s);
  const storedRefs = s.inputs.map((spec, i) => makeStoredRef(spec, values[i]));
  const refs = referenceOf(c, s, storedRefs);
  const weights = vjpWeights(c, s, refs);
  const expected = refVjp((xs) => referenceOf(c, s, xs), storedRefs, weights, which);
  const grads = tidy(() => {
    const stored = s.inputs.map((spec, i) => makeStored(spec, values[i]));
    const fn = withLeaves(c, s, stored, which);
    const w = refs.map((r, j) => fromArray(Float32Array.from(weights[j]), r.shape));
    const objective = (...leaves: Tensor[]): Tensor => {
      const outs = fn(...leaves);
      return outs.map((o, j) => sum(mul(o, w[j]))).reduce((p, q) => add(p, q));
    };
    return valueAndGrad(objective)(...which.map((k) => stored[k])).grads;
  });
  try {
    const tol = scaled(tolerances.referenceGrad, c.gradTolerance);
    for (let j = 0; j < which.length; j++) {
      const g = grads[j];
      const k = which[j];
      const shape = storedRefs[k].shape;
      if (shapeText(g.shape) !== shapeText(shape)) {
        throw new Error(
          `${c.name} gradient, ${s.name}: gradient of input ${k} has shape ${shapeText(g.shape)}, expected ${shapeText(shape)}`,
        );
      }
      const problem = mismatch(await g.data(), expected[j], tol);
      if (problem)
        throw new Error(`${c.name} gradient of input ${k} vs float64 reference, ${s.name}: ${problem}`);
    }
  } finally {
    for (const g of grads) g.dispose();
  }
}

/** (4) Forward and backward inside tidy leave no tensors or bytes behind, and leaf gradients go with their leaves. */
export function checkMemory(c: OpCase, s: Sample, backendName: string, withGrad: boolean): void {
  const values = sampleValues(c, s);
  const which = new Set(withGrad ? gradInputs(s) : []);
  const count = () => {
    const m = memory();
    return { tensors: m.numTensors, bytes: m.backends[backendName]?.numBytes ?? 0 };
  };
  const before = count();
  tidy(() => {
    const stored = s.inputs.map((spec, i) => makeStored(spec, values[i], which.has(i)));
    const outs = runCase(c, s, stored);
    if (withGrad) {
      const loss = outs.map((o) => sum(o)).reduce((p, q) => add(p, q));
      if (loss.requiresGrad) backward(loss);
    }
  });
  tidy(() => {
    noGrad(() =>
      runCase(
        c,
        s,
        s.inputs.map((spec, i) => makeStored(spec, values[i])),
      ),
    );
  });
  const after = count();
  if (after.tensors !== before.tensors || after.bytes !== before.bytes) {
    throw new Error(
      `${c.name} memory, ${s.name}: ${after.tensors - before.tensors} tensors and ${after.bytes - before.bytes} bytes leaked through forward${withGrad ? ' and backward' : ''} inside tidy`,
    );
  }
}

/** (5) A backend's fused kernel against core's composition of required kernels. */
export async function checkFused(c: OpCase, s: Sample, tolerances: ToleranceConfig): Promise<void> {
  if (!c.fused) return;
  const fused = c.fused;
  const values = sampleValues(c, s);
  const { stored, kernel, composed } = tidy(() =>
    noGrad(() => {
      const inputs = s.inputs.map((spec, i) => makeStored(spec, values[i]));
      const laidOut = inputs.map((t, i) => layOut(s.inputs[i], t));
      return {
        stored: inputs,
        kernel: list(c.run(laidOut, s.args as never)),
        composed: list(fused.composition(laidOut, s.args as never)),
      };
    }),
  );
  try {
    const expected: RefTensor[] = [];
    for (const t of composed)
      expected.push({ shape: t.shape, data: Float64Array.from(await t.data()), dtype: t.dtype });
    await compareOutputs(
      kernel,
      expected,
      scaled(tolerances.fused, c.tolerance, s.tolerance),
      `${c.name} fused ${fused.kernel} kernel vs composition, ${s.name}`,
    );
  } finally {
    for (const t of [...stored, ...kernel, ...composed]) t.dispose();
  }
}

/** Whether the backend offers a fused kernel. */
export function hasKernel(backend: Backend, kernel: string): boolean {
  return typeof (backend as unknown as Record<string, unknown>)[kernel] === 'function';
}
