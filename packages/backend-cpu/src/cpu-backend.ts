import {
  type AdamUpdateScalars,
  type ArgReduceOp,
  allocArray,
  type Backend,
  type BinaryOp,
  type DataId,
  type DType,
  type FusedActivation,
  type GradActivation,
  type ReduceOp,
  type SgdMomentumScalars,
  type SgdScalars,
  type Shape,
  sizeOf,
  type TensorInfo,
  type TypedArray,
  type UnaryOp,
  type WindowGeometry,
} from '@backprop/core';
import { binaryKernel } from './kernels/binary.js';
import {
  activationGradKernel,
  linearKernel,
  logSoftmaxKernel,
  softmaxCrossEntropyGradKernel,
  softmaxCrossEntropyKernel,
  softmaxKernel,
} from './kernels/fused.js';
import { gatherKernel, indexAddKernel } from './kernels/gather.js';
import { matmulKernel } from './kernels/matmul.js';
import { broadcastToKernel, concatKernel, sliceKernel, transposeKernel } from './kernels/movement.js';
import { adamKernel, sgdKernel, sgdMomentumKernel } from './kernels/optimizer-updates.js';
import { argReduceKernel, reduceKernel } from './kernels/reduce.js';
import { unaryKernel } from './kernels/unary.js';
import { whereKernel } from './kernels/where.js';
import { col2imKernel, im2colKernel, maxPoolIndicesKernel } from './kernels/windows.js';
import { ArrayRecycler } from './recycler.js';
import { CpuData, cpuData, floatsOf, intsOf, valuesOf } from './storage.js';
import { type Threading, ThreadingSetup } from './threads/threading.js';

/** Options of `cpuBackend()`. */
export interface CpuBackendOptions {
  /**
   * Threads for the heavy kernels (matmul, the fused linear, softmax over rows), the calling thread included.
   * Default: the environment variable `BACKPROP_CPU_THREADS` where there is one, else the cores
   * available. 1 runs everything on the calling thread; where workers with shared memory are
   * unavailable (a page that is not cross-origin isolated) the backend runs on one thread and
   * `threading.note` says why.
   */
  threads?: number;
  /**
   * Multiply-adds each thread must get before a product is split: smaller products use fewer
   * threads or stay on the calling thread, where the hand-off would cost more than it saves.
   * Default 2²²; 0 splits every product (the threaded conformance suite uses it).
   */
  minWorkPerThread?: number;
}

/**
 * The reference backend: every tensor is a dense typed array in this thread and every kernel a
 * plain loop over it. Reads are synchronous; data written to it is kept, not copied.
 */
export class CpuBackend implements Backend {
  readonly name = 'cpu';
  private readonly threadSetup: ThreadingSetup;
  private readonly recycler = new ArrayRecycler();

  constructor(options: CpuBackendOptions = {}) {
    this.threadSetup = new ThreadingSetup(options.threads, options.minWorkPerThread);
  }

  /** How many threads the heavy kernels use, and why fewer than asked for when that is so. */
  get threading(): Threading {
    return this.threadSetup.status();
  }

  /** Stops the worker pool (the tensors stay readable; later products run on the calling thread). */
  destroy(): void {
    this.threadSetup.close();
    this.recycler.clear();
  }

  floatPrecision(): 32 {
    return 32;
  }

  /** Data lives in this process's memory, so core may read small inputs to validate them. */
  readonly syncReadIsCheap = true;

  /** A kept array of a disposed tensor where one fits (see `ArrayRecycler`), for `fromArray` to fill. */
  allocate(dtype: DType, size: number): TypedArray {
    return this.recycler.take(dtype, size);
  }

  write(values: TypedArray, _shape?: Shape, _dtype?: DType): DataId {
    // Core hands over a fresh array it no longer touches (or one from `allocate`), so keeping it
    // saves a copy, and it is ours to reuse once the tensor is disposed.
    return new CpuData(values);
  }

  async read(info: TensorInfo): Promise<TypedArray> {
    return this.readSync(info);
  }

  readSync(info: TensorInfo): TypedArray {
    // A copy, so the caller may change it without touching the tensor.
    return valuesOf(info).slice();
  }

  dispose(dataId: DataId): void {
    const data = cpuData(dataId);
    const values = data.release();
    if (values !== null) this.recycler.give(values);
  }

  fill(shape: Shape, value: number, dtype: DType): DataId {
    const values = allocArray(dtype, sizeOf(shape));
    // Typed-array stores already truncate for int32; bool needs `value != 0` rather than its low byte.
    values.fill(dtype === 'bool' ? Number(value !== 0) : value);
    return new CpuData(values);
  }

  cast(x: TensorInfo, dtype: DType): DataId {
    const source = valuesOf(x);
    const out = allocArray(dtype, source.length);
    // Int32Array stores convert with ToInt32, which truncates toward zero; bool is `x != 0` (NaN included).
    if (dtype === 'bool') for (let i = 0; i < source.length; i++) out[i] = source[i] !== 0 ? 1 : 0;
    else out.set(source);
    return new CpuData(out);
  }

  unary(op: UnaryOp, x: TensorInfo): DataId {
    return new CpuData(unaryKernel(op, valuesOf(x), this.recycler.take));
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape, outDtype: DType): DataId {
    return new CpuData(
      binaryKernel(op, valuesOf(a), a.shape, valuesOf(b), b.shape, outShape, outDtype, this.recycler.take),
    );
  }

  where(condition: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): DataId {
    const flags = valuesOf(condition) as Uint8Array;
    return new CpuData(
      whereKernel(
        flags,
        condition.shape,
        valuesOf(a),
        a.shape,
        valuesOf(b),
        b.shape,
        outShape,
        this.recycler.take,
      ),
    );
  }

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataId {
    return new CpuData(reduceKernel(op, valuesOf(x), x.shape, axes, this.recycler.take));
  }

  argReduce(op: ArgReduceOp, x: TensorInfo, axis: number): DataId {
    return new CpuData(argReduceKernel(op, valuesOf(x), x.shape, axis));
  }

  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): DataId {
    return new CpuData(
      matmulKernel(
        floatsOf(a),
        a.shape,
        floatsOf(b),
        b.shape,
        transposeA,
        transposeB,
        this.threadSetup,
        this.recycler.take,
      ),
    );
  }

  transpose(x: TensorInfo, perm: readonly number[]): DataId {
    return new CpuData(transposeKernel(valuesOf(x), x.shape, perm, this.recycler.take));
  }

  broadcastTo(x: TensorInfo, shape: Shape): DataId {
    return new CpuData(broadcastToKernel(valuesOf(x), x.shape, shape, this.recycler.take));
  }

  slice(x: TensorInfo, begin: readonly number[], step: readonly number[], outShape: Shape): DataId {
    return new CpuData(sliceKernel(valuesOf(x), x.shape, begin, step, outShape, this.recycler.take));
  }

  concat(xs: readonly TensorInfo[], axis: number): DataId {
    return new CpuData(
      concatKernel(
        xs.map((x) => ({ values: valuesOf(x), shape: x.shape })),
        axis,
        this.recycler.take,
      ),
    );
  }

  gather(x: TensorInfo, indices: TensorInfo, axis: number): DataId {
    return new CpuData(gatherKernel(valuesOf(x), x.shape, intsOf(indices), axis, this.recycler.take));
  }

  indexAdd(x: TensorInfo, axis: number, indices: TensorInfo, source: TensorInfo): DataId {
    return new CpuData(indexAddKernel(valuesOf(x), x.shape, axis, intsOf(indices), valuesOf(source)));
  }

  im2col(x: TensorInfo, geometry: WindowGeometry, fill: number): DataId {
    return new CpuData(
      im2colKernel(floatsOf(x), x.shape[0] * x.shape[1], geometry, fill, this.recycler.take),
    );
  }

  col2im(cols: TensorInfo, geometry: WindowGeometry): DataId {
    return new CpuData(
      col2imKernel(floatsOf(cols), cols.shape[0] * cols.shape[1], geometry, this.recycler.takeZeroed),
    );
  }

  maxPoolIndices(x: TensorInfo, geometry: WindowGeometry): DataId {
    return new CpuData(
      maxPoolIndicesKernel(floatsOf(x), x.shape[0] * x.shape[1], geometry, this.recycler.take),
    );
  }

  softmax(x: TensorInfo, axis: number): DataId {
    return new CpuData(softmaxKernel(floatsOf(x), x.shape, axis, this.threadSetup, this.recycler.take));
  }

  logSoftmax(x: TensorInfo, axis: number): DataId {
    return new CpuData(logSoftmaxKernel(floatsOf(x), x.shape, axis, this.threadSetup, this.recycler.take));
  }

  linear(x: TensorInfo, weight: TensorInfo, bias: TensorInfo | null, activation: FusedActivation): DataId {
    return new CpuData(
      linearKernel(
        floatsOf(x),
        x.shape,
        floatsOf(weight),
        weight.shape,
        bias === null ? null : floatsOf(bias),
        activation,
        this.threadSetup,
        this.recycler.take,
      ),
    );
  }

  softmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo): DataId {
    return new CpuData(softmaxCrossEntropyKernel(floatsOf(logits), logits.shape, intsOf(labels)));
  }

  activationGrad(g: TensorInfo, y: TensorInfo, activation: GradActivation): DataId {
    return new CpuData(activationGradKernel(floatsOf(g), floatsOf(y), activation, this.recycler.take));
  }

  softmaxCrossEntropyGrad(logits: TensorInfo, labels: TensorInfo, g: TensorInfo): DataId {
    return new CpuData(
      softmaxCrossEntropyGradKernel(
        floatsOf(logits),
        logits.shape,
        intsOf(labels),
        floatsOf(g),
        this.threadSetup,
        this.recycler.take,
      ),
    );
  }

  sgdUpdate(param: TensorInfo, grad: TensorInfo, scalars: SgdScalars): DataId {
    return new CpuData(sgdKernel(floatsOf(param), floatsOf(grad), scalars, this.recycler.take));
  }

  sgdMomentumUpdate(
    param: TensorInfo,
    grad: TensorInfo,
    momentumBuffer: TensorInfo,
    scalars: SgdMomentumScalars,
  ): [DataId, DataId] {
    const outputs = sgdMomentumKernel(
      floatsOf(param),
      floatsOf(grad),
      floatsOf(momentumBuffer),
      scalars,
      this.recycler.take,
    );
    return [new CpuData(outputs[0]), new CpuData(outputs[1])];
  }

  adamUpdate(
    param: TensorInfo,
    grad: TensorInfo,
    expAvg: TensorInfo,
    expAvgSq: TensorInfo,
    scalars: AdamUpdateScalars,
  ): [DataId, DataId, DataId] {
    const outputs = adamKernel(
      floatsOf(param),
      floatsOf(grad),
      floatsOf(expAvg),
      floatsOf(expAvgSq),
      scalars,
      this.recycler.take,
    );
    return [new CpuData(outputs[0]), new CpuData(outputs[1]), new CpuData(outputs[2])];
  }
}

/**
 * Makes a new CPU backend (the factory registered as `cpu`, with the default options).
 *
 * @example
 * registerBackend('cpu-1', () => cpuBackend({ threads: 1 }));
 */
export function cpuBackend(options: CpuBackendOptions = {}): CpuBackend {
  return new CpuBackend(options);
}
