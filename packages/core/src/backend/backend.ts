import type { DType, TypedArray } from '../dtype.js';
import type { Shape } from '../shape.js';

/** A backend's own handle to a tensor's data (a typed array, a texture, a buffer). Core never looks inside. */
export type DataId = object;

/** What a kernel gets for each input: the data handle with its shape and dtype. Data is always dense row-major. */
export interface TensorInfo {
  readonly dataId: DataId;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** Elementwise unary kernels. Float kernels get float32 input; `neg`, `abs`, `sign` also get int32. */
export const UNARY_OPS = [
  'neg',
  'abs',
  'sign',
  'exp',
  'log',
  'sqrt',
  'reciprocal',
  'square',
  'sin',
  'cos',
  'tanh',
  'sigmoid',
  'relu',
  'erf',
  'floor',
  'ceil',
  'round',
  'log1p',
  'expm1',
  'asin',
  'atan',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/** Elementwise binary kernels with NumPy broadcasting. Comparisons output bool. */
export const BINARY_OPS = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

export const COMPARISON_OPS: ReadonlySet<BinaryOp> = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

export const REDUCE_OPS = ['sum', 'max', 'min', 'prod'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

export type ArgReduceOp = 'argmax' | 'argmin';

/** Activations a fused linear kernel may apply. */
export type FusedActivation = 'none' | 'relu' | 'sigmoid' | 'tanh';

/** The activations whose gradient a fused `activationGrad` kernel computes. */
export type GradActivation = Exclude<FusedActivation, 'none'>;

/** The scalar of a fused plain SGD update (see `sgdUpdate` in core). */
export interface SgdScalars {
  readonly lr: number;
}

/** The scalars of a fused SGD-with-momentum update (see `sgdMomentumUpdate` in core). */
export interface SgdMomentumScalars {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
}

/** The scalars of a fused Adam update (see `adamUpdate` in core). */
export interface AdamUpdateScalars {
  readonly beta1: number;
  readonly beta2: number;
  /** lr / (1 − β₁ᵗ). */
  readonly stepSize: number;
  /** √(1 − β₂ᵗ). */
  readonly biasCorrection2Sqrt: number;
  readonly eps: number;
}

/**
 * Sliding windows over the two spatial axes of an NCHW tensor, as the optional `im2col` and
 * `col2im` kernels take them: window (oh, ow) at tap (kh, kw) reads input row
 * `oh·stride[0] + kh·dilation[0] − padLow[0]` and likewise the column; positions outside the input
 * are padding.
 */
export interface WindowGeometry {
  /** Input height and width. */
  readonly size: readonly [number, number];
  /** Output (window) positions per axis. */
  readonly out: readonly [number, number];
  /** Kernel taps per axis. */
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  /** Padding before the input on each axis (windows may also reach past its end). */
  readonly padLow: readonly [number, number];
}

/**
 * The contract a compute backend implements. Core does shapes, dtypes, broadcasting rules, autograd
 * and memory accounting; a backend only stores data and runs forward kernels on it. Each kernel
 * returns the handle of a new dense output whose shape and dtype core has already worked out and
 * passes in where the kernel needs them.
 *
 * Required: storage (`write`, `read`, `dispose`), `fill`, `cast`, `unary`, `binary`, `where`,
 * `reduce`, `argReduce`, `matmul`, `transpose`, `broadcastTo`, `slice`, `concat`, `gather`, `indexAdd`.
 * Optional fused kernels (`softmax`, `logSoftmax`, `linear`, `softmaxCrossEntropy`, the
 * convolution windows `im2col` and `col2im`, `maxPoolIndices`, the optimizer updates `sgdUpdate`,
 * `sgdMomentumUpdate` and `adamUpdate`, and the gradient passes `activationGrad` and
 * `softmaxCrossEntropyGrad`) are used when present; otherwise core
 * composes the required ones, and the conformance suite checks that both agree.
 * Every gradient is a rule in core, keyed by the kernel's name; a rule may call a fused gradient
 * pass, which is a plain computation on its inputs like any other kernel.
 */
export interface Backend {
  /** The name it is registered under, e.g. `cpu`. */
  readonly name: string;
  /** Bits of mantissa-bearing float precision the kernels compute in: 32 for float32, 16 for half floats. */
  floatPrecision(): 16 | 32;
  /**
   * Optional capability: true when `readSync` is cheap (the data is in this process's memory, as on
   * the CPU backend). Core then reads small inputs to validate their values (indices in range,
   * probabilities in [0, 1]); absent or false, it skips those checks instead of forcing a GPU read.
   */
  readonly syncReadIsCheap?: boolean;
  /**
   * Optional capability: true when the backend reads back only asynchronously (`readSync` throws),
   * as WebGPU does. Core then checks index ranges on the device, and reading a tensor made from
   * out-of-range indices rejects with the ArgumentError other backends throw at once.
   */
  readonly readsAsyncOnly?: boolean;

  /**
   * Optional capability: an array of `size` elements of `dtype`, contents unspecified, for core to
   * fill entirely and hand to `write` (as `fromArray` does). A backend that keeps disposed tensors'
   * arrays hands one back, so that a batch made every step allocates nothing; absent, core makes a
   * new array.
   */
  allocate?(dtype: DType, size: number): TypedArray;
  /** Stores `values` (already of `dtype`'s array type) and returns its handle. The backend may keep `values` itself. */
  write(values: TypedArray, shape: Shape, dtype: DType): DataId;
  /** Reads data back as a new array of `dtype`'s type (Float32Array, Int32Array, Uint8Array) that the caller owns. */
  read(info: TensorInfo): Promise<TypedArray>;
  /** Synchronous read; a backend that cannot read synchronously throws a BackendError that says to `await t.data()`. */
  readSync(info: TensorInfo): TypedArray;
  /** Frees the data. Called once per handle, when its last tensor is disposed. */
  dispose(dataId: DataId): void;

  /** A new tensor of `shape` with every element `value`. */
  fill(shape: Shape, value: number, dtype: DType): DataId;
  /** Converts to `dtype`: float→int32 truncates toward zero, anything→bool is `x != 0`. */
  cast(x: TensorInfo, dtype: DType): DataId;
  unary(op: UnaryOp, x: TensorInfo): DataId;
  /** `a` and `b` broadcast to `outShape`; both inputs have the same dtype, the output has `outDtype`. */
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape, outDtype: DType): DataId;
  /** Picks `a` where `condition` (bool) is 1, else `b`; all three broadcast to `outShape`. */
  where(condition: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): DataId;
  /** Reduces over `axes` (sorted, unique, non-empty); the output shape drops them. Sum of nothing is 0, prod 1, max -Infinity, min Infinity. */
  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataId;
  /** Index (int32) of the first maximum / minimum along `axis`; the output shape drops it. */
  argReduce(op: ArgReduceOp, x: TensorInfo, axis: number): DataId;
  /**
   * Batched matrix product of float32 3-D tensors: `a` is [B, M, K] (or [B, K, M] when `transposeA`),
   * `b` is [B, K, N] (or [B, N, K] when `transposeB`); the output is [B, M, N].
   */
  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): DataId;
  /** Output axis i is input axis `perm[i]`. */
  transpose(x: TensorInfo, perm: readonly number[]): DataId;
  /** Repeats size-1 (or missing leading) dimensions up to `shape`. */
  broadcastTo(x: TensorInfo, shape: Shape): DataId;
  /** Strided slice: output element i along axis d is input element `begin[d] + i * step[d]` (step may be negative). */
  slice(x: TensorInfo, begin: readonly number[], step: readonly number[], outShape: Shape): DataId;
  /** Joins tensors of equal rank along `axis`. */
  concat(xs: readonly TensorInfo[], axis: number): DataId;
  /** Selects entries along `axis` at `indices` (int32, 1-D, in range): the output's `axis` has `indices.length` entries. */
  gather(x: TensorInfo, indices: TensorInfo, axis: number): DataId;
  /** A copy of `x` with slice j of `source` along `axis` added into slice `indices[j]`; repeated indices accumulate. */
  indexAdd(x: TensorInfo, axis: number, indices: TensorInfo, source: TensorInfo): DataId;

  /** Optional fused softmax over `axis`, stable for large inputs. */
  softmax?(x: TensorInfo, axis: number): DataId;
  /** Optional fused log-softmax over `axis`. */
  logSoftmax?(x: TensorInfo, axis: number): DataId;
  /** Optional fused `activation(x · wᵀ + bias)` with x [M, K], weight [N, K], bias [N]. */
  linear?(x: TensorInfo, weight: TensorInfo, bias: TensorInfo | null, activation: FusedActivation): DataId;
  /** Optional fused per-row cross-entropy of logits [N, C] against int32 class indices [N]: output [N]. */
  softmaxCrossEntropy?(logits: TensorInfo, labels: TensorInfo): DataId;
  /**
   * Optional fused gradient of an activation, read from its output `y` (float32, the shape of `g`):
   * `g · sign(y)` for relu, `g · y(1 − y)` for sigmoid, `g · (1 − y²)` for tanh, each operation
   * rounded to float32 as core's composition rounds it. The gradient rules of `relu`, `sigmoid`,
   * `tanh` and a fused `linear` call it: one pass where the composition makes two or three.
   */
  activationGrad?(g: TensorInfo, y: TensorInfo, activation: GradActivation): DataId;
  /**
   * Optional fused gradient of `softmaxCrossEntropy` for its logits [N, C]: `(softmax(logits) −
   * onehot(labels)) · g[:, None]`, with `g` [N] the gradient of the per-row losses (output [N, C]).
   * The labels are in range: the forward op checked them.
   */
  softmaxCrossEntropyGrad?(logits: TensorInfo, labels: TensorInfo, g: TensorInfo): DataId;
  /**
   * Optional fused im2col of float32 `x` [N, C, H, W]: output [N, C, kH·kW, oH·oW], entry
   * (n, c, tap, position) the input value that tap of that window reads, `fill` where it reads
   * padding (0 for convolution, −∞ for max pooling). Core composes it as a `gather` otherwise.
   */
  im2col?(x: TensorInfo, geometry: WindowGeometry, fill: number): DataId;
  /**
   * Optional fused col2im, the adjoint of `im2col`: `cols` [N, C, kH·kW, oH·oW] summed back into
   * [N, C, H, W] (overlapping windows accumulate; entries that read padding are dropped). Core
   * composes it as an `indexAdd` otherwise.
   */
  col2im?(cols: TensorInfo, geometry: WindowGeometry): DataId;
  /**
   * Optional fused max-pooling argmax of float32 `x` [N, C, H, W]: int32 [N, C, oH·oW], for each
   * window the flat index h·W + w in its input plane of the first maximum (taps in row-major
   * order; a NaN counts as the maximum), never a tap in the padding. Core composes it from the
   * windows and `argReduce` otherwise.
   */
  maxPoolIndices?(x: TensorInfo, geometry: WindowGeometry): DataId;
  /**
   * Optional fused plain SGD update of float32 tensors of one shape: the new param W − lr·g (core's
   * `sgdUpdate`), with lr rounded to float32 and the product rounded before the subtraction, as in
   * the composition.
   */
  sgdUpdate?(param: TensorInfo, grad: TensorInfo, scalars: SgdScalars): DataId;
  /**
   * Optional fused SGD-with-momentum update of float32 tensors of one shape: new [param, buffer]
   * (core's `sgdMomentumUpdate` says what it computes). Every intermediate is float32, with the
   * scalars rounded to float32 first, as in the composition.
   */
  sgdMomentumUpdate?(
    param: TensorInfo,
    grad: TensorInfo,
    momentumBuffer: TensorInfo,
    scalars: SgdMomentumScalars,
  ): readonly [DataId, DataId];
  /** Optional fused Adam update, likewise: new [param, expAvg, expAvgSq] (core's `adamUpdate`). */
  adamUpdate?(
    param: TensorInfo,
    grad: TensorInfo,
    expAvg: TensorInfo,
    expAvgSq: TensorInfo,
    scalars: AdamUpdateScalars,
  ): readonly [DataId, DataId, DataId];

  /** Releases everything the backend holds (compiled kernels, contexts). */
  destroy?(): void;
}

/** Builds a backend; may be async (a GPU context, a WebAssembly module). */
export type BackendFactory = () => Backend | Promise<Backend>;
