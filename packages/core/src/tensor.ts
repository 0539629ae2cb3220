import type { Backend, FusedActivation, TensorInfo } from './backend/backend.js';
import type { DType, TypedArray } from './dtype.js';
import { ENGINE } from './engine/engine.js';
import { releaseIndexChecks, verifyIndexChecks } from './engine/index-checks.js';
import type { Storage } from './engine/storage.js';
import { BackendError, ShapeError } from './errors.js';
import type { Axis, ReduceOptions, SliceRange, VarianceOptions } from './op-options.js';
import { formatShape, type Shape, shapesEqual, sizeOf } from './shape.js';

/** A node of the autograd tape: how to turn the output's gradient into its inputs' gradients. */
export interface GradNode {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  /** Gradients for each input (null where an input needs none), written in core ops. */
  readonly backward: (grad: Tensor) => readonly (Tensor | null)[];
}

/** Nested number arrays, as `array()` returns them. */
export type NestedArray = number | NestedArray[];

declare global {
  /**
   * `Symbol.dispose` is typed by TypeScript's lib `esnext.disposable` (and by @types/node); declared
   * here as well, identically, so that a project on the default lib of `target es2022` compiles
   * against these declarations. Writing `using t = …` still needs that lib.
   */
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** A tensor or a plain number where an op accepts either. */
export type TensorOrScalar = Tensor | number;

export interface BackwardOptions {
  /** Keep the graph so backward can run through it again (it is freed by default, as in PyTorch). */
  retainGraph?: boolean;
  /** Accumulate only into these leaves' `.grad` (all leaves by default), as PyTorch's `inputs=`. */
  inputs?: readonly Tensor[];
}

/**
 * The fluent methods, declared here so that they merge with the class in every build of the
 * declarations (a `declare module` augmentation from another file does not survive bundling);
 * `methods.ts` binds their implementations from the op modules.
 */
export interface Tensor {
  add(other: TensorOrScalar): Tensor;
  sub(other: TensorOrScalar): Tensor;
  mul(other: TensorOrScalar): Tensor;
  div(other: TensorOrScalar): Tensor;
  pow(other: TensorOrScalar): Tensor;
  maximum(other: TensorOrScalar): Tensor;
  minimum(other: TensorOrScalar): Tensor;
  eq(other: TensorOrScalar): Tensor;
  ne(other: TensorOrScalar): Tensor;
  lt(other: TensorOrScalar): Tensor;
  le(other: TensorOrScalar): Tensor;
  gt(other: TensorOrScalar): Tensor;
  ge(other: TensorOrScalar): Tensor;
  neg(): Tensor;
  abs(): Tensor;
  sign(): Tensor;
  exp(): Tensor;
  log(): Tensor;
  sqrt(): Tensor;
  square(): Tensor;
  reciprocal(): Tensor;
  sin(): Tensor;
  cos(): Tensor;
  floor(): Tensor;
  ceil(): Tensor;
  round(): Tensor;
  log1p(): Tensor;
  expm1(): Tensor;
  asin(): Tensor;
  atan(): Tensor;
  erf(): Tensor;
  clamp(min?: number, max?: number): Tensor;
  sigmoid(): Tensor;
  tanh(): Tensor;
  relu(): Tensor;
  softplus(): Tensor;
  softmax(axis?: number): Tensor;
  logSoftmax(axis?: number): Tensor;
  sum(axis?: Axis, options?: ReduceOptions): Tensor;
  mean(axis?: Axis, options?: ReduceOptions): Tensor;
  max(axis?: Axis, options?: ReduceOptions): Tensor;
  min(axis?: Axis, options?: ReduceOptions): Tensor;
  prod(axis?: Axis, options?: ReduceOptions): Tensor;
  var(axis?: Axis, options?: VarianceOptions): Tensor;
  std(axis?: Axis, options?: VarianceOptions): Tensor;
  logsumexp(axis?: Axis, options?: ReduceOptions): Tensor;
  argmax(axis?: number, options?: ReduceOptions): Tensor;
  argmin(axis?: number, options?: ReduceOptions): Tensor;
  matmul(other: Tensor): Tensor;
  dot(other: Tensor): Tensor;
  linear(weight: Tensor, bias?: Tensor | null, activation?: FusedActivation): Tensor;
  reshape(shape: Shape): Tensor;
  view(shape: Shape): Tensor;
  flatten(startDim?: number, endDim?: number): Tensor;
  squeeze(axis?: number): Tensor;
  unsqueeze(axis: number): Tensor;
  transpose(dim0?: number, dim1?: number): Tensor;
  permute(perm: readonly number[]): Tensor;
  broadcastTo(shape: Shape): Tensor;
  expand(shape: Shape): Tensor;
  slice(ranges: readonly SliceRange[]): Tensor;
  narrow(axis: number, start: number, length: number): Tensor;
  split(sizeOrSections: number | readonly number[], axis?: number): Tensor[];
  gather(indices: Tensor, axis?: number): Tensor;
  indexSelect(axis: number, indices: Tensor): Tensor;
  where(condition: Tensor, other: TensorOrScalar): Tensor;
  cast(dtype: DType): Tensor;
  clone(): Tensor;
  detach(): Tensor;
  to(device: string): Tensor;
  toAsync(device: string): Promise<Tensor>;
  /** Reverse-mode autodiff from this tensor (see `backward`). */
  backward(grad?: Tensor, options?: BackwardOptions): void;
  /** Sets `requiresGrad` in place and returns this tensor (PyTorch's `requires_grad_`). */
  requiresGrad_(requiresGrad?: boolean): Tensor;
}

/** The fluent methods of the movement/indexing, scan, order, norm, math and logic ops (bound in `methods-extra.ts`). */
export interface Tensor {
  /** All axes reversed (a matrix's transpose; PyTorch's `.T`, see `transposeAll`). */
  readonly T: Tensor;
  /** The last two axes swapped (PyTorch's `.mT`, see `matrixTranspose`). */
  readonly mT: Tensor;
  flip(dims: number | readonly number[]): Tensor;
  roll(shifts: number | readonly number[], dims?: number | readonly number[]): Tensor;
  repeat(repeats: readonly number[]): Tensor;
  tile(reps: readonly number[]): Tensor;
  tril(diagonal?: number): Tensor;
  triu(diagonal?: number): Tensor;
  scatter(axis: number, index: Tensor, source: Tensor | number): Tensor;
  scatterAdd(axis: number, index: Tensor, source: Tensor): Tensor;
  takeAlongAxis(index: Tensor, axis: number): Tensor;
  maskedFill(mask: Tensor, value: number | Tensor): Tensor;
  cumsum(axis: number): Tensor;
  cumprod(axis: number): Tensor;
  sort(
    axis?: number,
    options?: { descending?: boolean; stable?: boolean },
  ): { values: Tensor; indices: Tensor };
  argsort(axis?: number, options?: { descending?: boolean; stable?: boolean }): Tensor;
  topk(
    k: number,
    axis?: number,
    options?: { largest?: boolean; sorted?: boolean },
  ): { values: Tensor; indices: Tensor };
  kthvalue(k: number, axis?: number, options?: ReduceOptions): { values: Tensor; indices: Tensor };
  median(axis?: number, options?: ReduceOptions): Tensor;
  norm(p?: number | 'fro', axis?: Axis, options?: ReduceOptions): Tensor;
  tan(): Tensor;
  sinh(): Tensor;
  cosh(): Tensor;
  asinh(): Tensor;
  acosh(): Tensor;
  atanh(): Tensor;
  acos(): Tensor;
  /** The angle of (other, this), as torch.atan2(this, other). */
  atan2(other: TensorOrScalar): Tensor;
  log2(): Tensor;
  log10(): Tensor;
  exp2(): Tensor;
  rsqrt(): Tensor;
  trunc(): Tensor;
  fmod(other: TensorOrScalar): Tensor;
  remainder(other: TensorOrScalar): Tensor;
  lerp(end: Tensor, weight: TensorOrScalar): Tensor;
  xlogy(other: TensorOrScalar): Tensor;
  hypot(other: TensorOrScalar): Tensor;
  isnan(): Tensor;
  isinf(): Tensor;
  isfinite(): Tensor;
  logicalAnd(other: Tensor): Tensor;
  logicalOr(other: Tensor): Tensor;
  logicalXor(other: Tensor): Tensor;
  any(axis?: Axis, options?: ReduceOptions): Tensor;
  all(axis?: Axis, options?: ReduceOptions): Tensor;
  isclose(other: TensorOrScalar, options?: { rtol?: number; atol?: number; equalNan?: boolean }): Tensor;
  /** Reads back synchronously (see `allclose`). */
  allclose(other: TensorOrScalar, options?: { rtol?: number; atol?: number; equalNan?: boolean }): boolean;
}

/** Reads a tensor's storage; bound in the class's static block so that the field stays private. */
let storageOf: (t: Tensor, what: string) => Storage;

/**
 * An n-dimensional array on a backend, with reverse-mode autograd. Ops return at once; the data
 * stays on the backend until read with `await t.data()` (or `dataSync()` where the backend can).
 * Fluent methods (`t.add(u)`, `t.sum()`, …) are bound from the op modules.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface above declares the fluent methods that methods.ts assigns onto the prototype.
export class Tensor {
  readonly id: number;
  readonly shape: Shape;
  readonly dtype: DType;
  readonly size: number;
  /** Whether gradients flow to this tensor. Set it on leaves (parameters, inputs you differentiate by). */
  requiresGrad: boolean;
  /** The accumulated gradient of a leaf after `backward()`; owned by the tensor (survives `tidy`). */
  grad: Tensor | null = null;
  /** The op that made this tensor, when it was recorded for autograd; null for leaves. */
  gradFn: GradNode | null = null;
  private storage: Storage | null;

  /** Internal: ops make tensors through `makeTensor`; users through `tensor()`, `zeros()` and friends. */
  constructor(storage: Storage, shape: Shape, dtype: DType, requiresGrad = false) {
    this.id = ENGINE.newTensorId();
    this.storage = storage;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    this.requiresGrad = requiresGrad;
    ENGINE.trackTensor(this, storage.device);
  }

  get rank(): number {
    return this.shape.length;
  }

  get isDisposed(): boolean {
    return this.storage === null;
  }

  /** A leaf is a tensor not produced by a recorded op. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** The backend that holds the data. */
  get backend(): Backend {
    return this.live('backend').backend;
  }

  /** The name of the backend that holds the data, as it was registered (what `.to()` takes). */
  get device(): string {
    return this.live('device').device;
  }

  static {
    storageOf = (t, what) => t.live(what);
  }

  /**
   * Reads the elements, flat, in row-major order. Where the backend reads only asynchronously,
   * rejects with the ArgumentError of an out-of-range index this tensor was made from.
   */
  async data(): Promise<TypedArray> {
    const storage = this.live('data');
    const values = storage.backend.read(tensorInfo(this));
    const checks = verifyIndexChecks(this);
    return checks ? (await Promise.all([values, checks]))[0] : values;
  }

  /** Reads the elements synchronously, where the backend can. */
  dataSync(): TypedArray {
    return this.live('dataSync').backend.readSync(tensorInfo(this));
  }

  /** Reads the elements as nested arrays (a number for a scalar). */
  async array(): Promise<NestedArray> {
    return nest(await this.data(), this.shape);
  }

  arraySync(): NestedArray {
    return nest(this.dataSync(), this.shape);
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1)
      throw new ShapeError(`item: expected a tensor with one element, got shape ${formatShape(this.shape)}`);
    return this.dataSync()[0];
  }

  /** Replaces this tensor's data by `source`'s (same shape and dtype), keeping its identity: how optimizers update parameters. */
  assign(source: Tensor): this {
    if (!shapesEqual(source.shape, this.shape) || source.dtype !== this.dtype) {
      throw new ShapeError(
        `assign: source ${formatShape(source.shape)} ${source.dtype} does not match target ${formatShape(this.shape)} ${this.dtype}`,
      );
    }
    const next = source.live('assign');
    if (next.backend !== this.backend) {
      throw new BackendError(
        `assign: source is on '${next.device}' but the target is on '${this.device}'; move it with .to()`,
      );
    }
    ENGINE.retainStorage(next);
    ENGINE.releaseStorage(this.live('assign'));
    this.storage = next;
    // Checks of the old values (indices checked on the device) no longer describe the data.
    releaseIndexChecks(this);
    return this;
  }

  /**
   * Moves the data to the backend named `device` in place, keeping this tensor's identity (and
   * its gradient's): how `module.to(device)` moves parameters an optimizer already holds.
   */
  moveTo(device: string): this {
    const source = this.live('moveTo');
    const target = ENGINE.backendByName(device);
    if (target === source.backend) return this;
    const values = source.backend.readSync(tensorInfo(this));
    this.storage = ENGINE.newStorage(target, target.write(values, this.shape, this.dtype), values.byteLength);
    ENGINE.releaseStorage(source);
    ENGINE.recountTensor(source.device, this.storage.device);
    this.grad?.moveTo(device);
    return this;
  }

  /** Frees the data (once its views are disposed too) and this tensor's gradient. Safe to call twice. */
  dispose(): void {
    if (this.storage === null) return;
    const storage = this.storage;
    this.storage = null;
    ENGINE.untrackTensor(this, storage.device);
    ENGINE.releaseStorage(storage);
    releaseIndexChecks(this);
    this.gradFn = null;
    this.grad?.dispose();
    this.grad = null;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  toString(): string {
    const body = this.isDisposed ? '<disposed>' : safeFormat(this);
    return `Tensor(${body}, shape=${formatShape(this.shape)}, dtype=${this.dtype}, device=${this.storage?.device ?? '-'}${this.requiresGrad ? ', requiresGrad=true' : ''})`;
  }

  private live(what: string): Storage {
    if (this.storage === null) {
      throw new BackendError(`${what}: tensor ${this.id} (shape ${formatShape(this.shape)}) was disposed`);
    }
    return this.storage;
  }
}

/** What a kernel receives for `t`: its data handle, shape and dtype (for backend authors, via `@backprop/core/backend`). */
export function tensorInfo(t: Tensor): TensorInfo {
  return { dataId: storageOf(t, 'info').dataId, shape: t.shape, dtype: t.dtype };
}

/** The storage `t` shares with its views (for backend authors, via `@backprop/core/backend`). */
export function tensorStorage(t: Tensor): Storage {
  return storageOf(t, 'storage');
}

function safeFormat(t: Tensor): string {
  try {
    return JSON.stringify(t.arraySync());
  } catch {
    return '<on device>';
  }
}

function nest(flat: TypedArray, shape: Shape): NestedArray {
  if (shape.length === 0) return flat[0];
  const build = (offset: number, dim: number): NestedArray[] => {
    const n = shape[dim];
    const stride = sizeOf(shape.slice(dim + 1));
    const out: NestedArray[] = new Array(n);
    for (let i = 0; i < n; i++)
      out[i] = dim === shape.length - 1 ? flat[offset + i] : build(offset + i * stride, dim + 1);
    return out;
  };
  return build(0, 0);
}
