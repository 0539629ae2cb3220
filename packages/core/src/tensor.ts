import type { Backend, TensorInfo } from './backend/backend.js';
import type { DType, TypedArray } from './dtype.js';
import { ENGINE } from './engine/engine.js';
import type { Storage } from './engine/storage.js';
import { BackendError, ShapeError } from './errors.js';
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

/**
 * An n-dimensional array on a backend, with reverse-mode autograd. Ops return at once; the data
 * stays on the backend until read with `await t.data()` (or `dataSync()` where the backend can).
 * Fluent methods (`t.add(u)`, `t.sum()`, …) are bound from the op modules.
 */
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
    ENGINE.trackTensor(this, storage.backend.name);
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

  /** The name of the backend that holds the data. */
  get device(): string {
    return this.backend.name;
  }

  /** Internal: the storage, shared with views. */
  get sharedStorage(): Storage {
    return this.live('storage');
  }

  /** What kernels receive. */
  info(): TensorInfo {
    return { dataId: this.live('info').dataId, shape: this.shape, dtype: this.dtype };
  }

  /** Reads the elements, flat, in row-major order. */
  async data(): Promise<TypedArray> {
    const storage = this.live('data');
    return storage.backend.read(this.info());
  }

  /** Reads the elements synchronously, where the backend can. */
  dataSync(): TypedArray {
    return this.live('dataSync').backend.readSync(this.info());
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
    const next = source.sharedStorage;
    if (next.backend !== this.backend) {
      throw new BackendError(
        `assign: source is on '${next.backend.name}' but the target is on '${this.device}'; move it with .to()`,
      );
    }
    ENGINE.retainStorage(next);
    ENGINE.releaseStorage(this.live('assign'));
    this.storage = next;
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
    const values = source.backend.readSync(this.info());
    this.storage = ENGINE.newStorage(target, target.write(values, this.shape, this.dtype), values.byteLength);
    ENGINE.releaseStorage(source);
    ENGINE.recountTensor(source.backend.name, target.name);
    this.grad?.moveTo(device);
    return this;
  }

  /** Frees the data (once its views are disposed too) and this tensor's gradient. Safe to call twice. */
  dispose(): void {
    if (this.storage === null) return;
    const storage = this.storage;
    this.storage = null;
    ENGINE.untrackTensor(this, storage.backend.name);
    ENGINE.releaseStorage(storage);
    this.gradFn = null;
    this.grad?.dispose();
    this.grad = null;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  toString(): string {
    const body = this.isDisposed ? '<disposed>' : safeFormat(this);
    return `Tensor(${body}, shape=${formatShape(this.shape)}, dtype=${this.dtype}, device=${this.storage?.backend.name ?? '-'}${this.requiresGrad ? ', requiresGrad=true' : ''})`;
  }

  private live(what: string): Storage {
    if (this.storage === null) {
      throw new BackendError(`${what}: tensor ${this.id} (shape ${formatShape(this.shape)}) was disposed`);
    }
    return this.storage;
  }
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
