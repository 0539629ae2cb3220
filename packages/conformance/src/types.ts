import type { Backend, DType, Tensor } from '@backprop/core';
import type { RefTensor } from './reference/ndarray.js';

/** How sample values are drawn (deterministically, from a per-sample seed). */
export type Distribution =
  /** Standard normal. */
  | 'normal'
  /** Uniform in [-1, 1). */
  | 'uniform'
  /** Uniform in [0.5, 2): safe for log, sqrt, reciprocal, pow bases. */
  | 'positive'
  /** Normal values kept at least 0.2 away from zero: safe where an op has a kink at 0 (abs, relu, sign). */
  | 'nonzero'
  /** Distinct values at least 0.1 apart (a shuffled grid): safe for max/min/argmax and their gradients. */
  | 'distinct'
  /** Like 'distinct', shifted by 0.025: never within 0.025 of a 'distinct' input (no ties between operands). */
  | 'interleaved'
  /** Values kept 0.1 away from integers and half-integers: safe for floor/ceil/round and their gradients. */
  | 'offgrid'
  /** Uniform in [0.99, 1.01): products of 10^6 of them stay within float32's range. */
  | 'nearone'
  /** Small integers in [-4, 4] (stored exactly; ties for comparisons). */
  | 'int'
  /** 0 or 1. */
  | 'bool';

/** One input of a sample. */
export interface InputSpec {
  /** The logical shape the op receives. */
  readonly shape: readonly number[];
  /** Element type (float32 by default). */
  readonly dtype?: DType;
  /** Explicit values, row-major in the stored layout (see `permute`); otherwise drawn from `dist`. */
  readonly values?: readonly number[];
  /** How to draw values when none are given ('normal' by default; 'int' for int32, 'bool' for bool). */
  readonly dist?: Distribution;
  /**
   * Makes the input non-contiguous: it is stored with its axes reordered and handed to the op
   * through `permute(stored, perm)`, whose result has `shape`. `[1, 0]` is a transposed matrix.
   */
  readonly permute?: readonly number[];
  /** Whether gradients are checked for this input (default: float32 inputs of a case with `grad`). */
  readonly grad?: boolean;
}

/** Per-check multipliers of the precision's base tolerances (e.g. `{ atol: 10 }` for a sum over many terms). */
export interface ToleranceScale {
  readonly atol?: number;
  readonly rtol?: number;
}

/** One sample of an op: inputs and op-specific arguments. */
export interface Sample<A = unknown> {
  /** Short, unique within the case: appears in the test name and in skip keys. */
  readonly name: string;
  readonly inputs: readonly InputSpec[];
  readonly args?: A;
  /** Check gradients for this sample (default: the case's `grad`, for samples with at most 64 elements per input). */
  readonly grad?: boolean;
  /**
   * Run core's float32 gradcheck for this sample (default: same as `grad`). Turn it off where float32
   * central differences cannot resolve the gradient (logits of ±1e4); the float64 reference gradient still runs.
   */
  readonly gradcheck?: boolean;
  /** Forward tolerance multipliers for this sample. */
  readonly tolerance?: ToleranceScale;
  /** Only run with `options.extended` (very large shapes). */
  readonly extended?: boolean;
}

/** The fused kernels a backend may offer. */
export type FusedKernel =
  | 'softmax'
  | 'logSoftmax'
  | 'linear'
  | 'softmaxCrossEntropy'
  | 'activationGrad'
  | 'softmaxCrossEntropyGrad'
  | 'im2col'
  | 'maxPoolIndices'
  | 'sgdUpdate'
  | 'sgdMomentumUpdate'
  | 'adamUpdate';

/**
 * One entry of the op table, in the style of PyTorch's OpInfo: samples, how to run the op with
 * core, an independent float64 reference, whether it has gradients, and tolerances.
 */
// biome-ignore lint/suspicious/noExplicitAny: a table holds cases with different argument types.
export interface OpCase<A = any> {
  /** Unique case name (usually the op's), used in test names and skip keys. */
  readonly name: string;
  /** The describe block it is listed under (arithmetic, unary, reduce, ...). */
  readonly family: string;
  /** Core exports this case covers (for the coverage check). */
  readonly ops: readonly string[];
  readonly samples: readonly Sample<A>[];
  /** Runs the op with core on the (already laid out) inputs. */
  readonly run: (inputs: Tensor[], args: A) => Tensor | readonly Tensor[];
  /** The float64 reference on the same inputs (values already rounded to their dtype). */
  readonly reference: (inputs: RefTensor[], args: A) => RefTensor | readonly RefTensor[];
  /** Whether the op is differentiable in its float inputs (gradient checks run for small samples). */
  readonly grad?: boolean;
  /** Forward tolerance multipliers for every sample. */
  readonly tolerance?: ToleranceScale;
  /** Which base tolerance the forward check uses: `forward` (default) or `random` (seeded draws, exact in float32). */
  readonly toleranceKind?: 'forward' | 'random';
  /** Gradient tolerance multipliers (gradcheck and reference gradients). */
  readonly gradTolerance?: ToleranceScale;
  /**
   * For ops a backend may fuse: the kernel, and the same computation through core ops that avoid
   * it. When the backend has the kernel, its output must match the composition.
   */
  readonly fused?: {
    readonly kernel: FusedKernel;
    readonly composition: (inputs: Tensor[], args: A) => Tensor | readonly Tensor[];
  };
  /** Run the memory check (forward and backward inside tidy return to the baseline). Default true. */
  readonly memory?: boolean;
}

/** A named list of op cases; `describeBackendConformance` accepts extra tables through `options.extraCases`. */
export interface CaseTable {
  readonly name: string;
  readonly cases: readonly OpCase[];
}

/** A bad input and the error class every backend must throw for it. */
export interface ErrorCase {
  readonly name: string;
  /** The expected class name: one of core's error classes. */
  readonly error: 'ShapeError' | 'ArgumentError' | 'DTypeError' | 'BackendError';
  /** Makes inputs (on the active backend) and calls the op; must throw. */
  readonly run: () => unknown;
  /**
   * The error comes from checking input values (indices in range), which core does where the
   * backend declares `syncReadIsCheap` (at once) or `readsAsyncOnly` (on the device: the suite
   * reads the result, which rejects); on other backends the case is skipped.
   */
  readonly needsCheapRead?: boolean;
}

/** Absolute and relative tolerance: |actual − expected| ≤ atol + rtol·|expected|. */
export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

/** Every tolerance the suite uses, derived from `backend.floatPrecision()` unless overridden. */
export interface ToleranceConfig {
  /** Forward values against the float64 reference. */
  readonly forward: Tolerance;
  /** Core's gradcheck: analytic gradients against float32 central differences with step `eps`. */
  readonly gradcheck: Tolerance & { readonly eps: number };
  /** Analytic gradients against float64 reference gradients. */
  readonly referenceGrad: Tolerance;
  /** A fused kernel against core's composition of required kernels. */
  readonly fused: Tolerance;
  /** Seeded random tensors against the generator's numbers (0 where values round-trip exactly). */
  readonly random: Tolerance;
}

/** Options of `describeBackendConformance`. */
export interface ConformanceOptions {
  /**
   * Tests to skip, with the reason (reported as skipped tests, never silently). A key is a case
   * name (`matmul`), a case and check (`matmul/grad`), a case, check and sample
   * (`matmul/forward/67x129x65`), `errors/<name>`, or a whole check: `errors`, `memory`, `random`,
   * `fused`, `training`. A key that matches nothing fails the suite (no stale skips).
   */
  readonly skip?: Readonly<Record<string, string>>;
  /** Overrides of the tolerances derived from the backend's precision. */
  readonly tolerance?: Partial<ToleranceConfig>;
  /** Also run the `extended` samples (very large shapes). Default false. */
  readonly extended?: boolean;
  /** More case tables (losses, optimizers, a backend's own ops) run with the same checks. */
  readonly extraCases?: readonly (CaseTable | OpCase)[];
  /**
   * Run the suite's own cases (the op tables, the study notes' softmax, error parity, seeded
   * training). Default true; false runs only `extraCases` and `extraErrorCases`, as a package above
   * core does to check its own functions on a backend that has already passed the suite.
   */
  readonly builtinCases?: boolean;
  /** More error-parity cases. */
  readonly extraErrorCases?: readonly ErrorCase[];
}

/** What `describeBackendConformance` gets: the backend under test. */
export type BackendFactoryLike = () => Backend | Promise<Backend>;
