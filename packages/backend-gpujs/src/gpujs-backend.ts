import {
  type ArgReduceOp,
  type Backend,
  BackendError,
  type BinaryOp,
  type DataId,
  type DType,
  type FusedActivation,
  type ReduceOp,
  type Shape,
  sizeOf,
  type TensorInfo,
  type TypedArray,
  type UnaryOp,
} from '@backprop/core';
import * as gpujsModule from 'gpu.js';
import { CPUKernel, GPU, HeadlessGLKernel, WebAssemblyKernel, WebGL2Kernel, WebGLKernel } from 'gpu.js';
import { type CompiledKernel, KernelCache } from './kernel-cache.js';
import { type KernelSpec, MAX_ELEMENTS, shapeKey } from './kernels/codegen.js';
import { binarySpec, castSpec, copySpec, fillSpec, unarySpec, whereSpec } from './kernels/elementwise.js';
import {
  rowStatsSpec,
  softmaxApplySpec,
  softmaxCrossEntropyFromStatsSpec,
  softmaxCrossEntropySpec,
  softmaxDims,
} from './kernels/fused.js';
import {
  kChunksOf,
  linearEpilogueSpec,
  linearSpec,
  type MatmulDims,
  matmulDims,
  matmulSpec,
} from './kernels/matmul.js';
import {
  aroundAxis,
  broadcastSpec,
  concatSpec,
  gatherSpec,
  indexAddSpec,
  sliceSpec,
  transposeSpec,
} from './kernels/movement.js';
import { argReduceSpec, chunksOf, REDUCE_CHUNK, reducedCount, reduceSpec } from './kernels/reduce.js';
import {
  fitsTiledDispatch,
  TiledMatmul,
  type TiledMatmulVariant,
  type WebGPUBufferHandle,
} from './kernels/webgpu-matmul.js';
import { type GpujsMode, isGLMode, probeMode, probeModeSync, RESIDENT_MODES } from './modes.js';

/** Options of `gpujsBackend`. */
export interface GpujsBackendOptions {
  /** The gpu.js mode; `gpu` (the default) lets gpu.js choose the best synchronous one. */
  mode?: GpujsMode;
  /** The name to register under (default `gpujs`). */
  name?: string;
}

/** What a kernel returns: a typed array (cpu, webasm), a gpu.js Texture (GL) or a WebGPU buffer handle. */
interface DeviceValue {
  toArray?(): unknown;
  delete?(): void;
}
type Value = Float32Array | DeviceValue;

/** The backend's handle to a tensor's data: flat float32 values wherever they live. */
class GpujsData {
  disposed = false;
  /** In async (webgpu) mode: kernel runs that read this data and must finish before it is freed. */
  readonly consumers: Promise<unknown>[] = [];
  constructor(
    /** The value, or (webgpu) a promise of it. */
    readonly value: Value | Promise<Value>,
    readonly size: number,
  ) {}
}

const EMPTY = new Float32Array(0);

/** Maximum tensor inputs of one GL kernel (texture units are limited; concat splits above it). */
const MAX_GL_INPUTS = 8;
/**
 * Maximum tensor inputs of one WebGPU kernel: each input and the output is a storage buffer, and
 * the device gpu.js requests keeps WebGPU's default of 8 storage buffers per shader stage.
 */
const MAX_WEBGPU_INPUTS = 7;

/**
 * How many size signatures one webasm kernel keeps compiled. gpu.js's webasm mode writes sizes into
 * each module and keeps the last 8 per kernel; one kernel here serves every shape of an op, and a
 * transformer's training step calls some with dozens of sizes, which rebuilt a module per call.
 */
const WEBASM_MODULES_PER_KERNEL = 256;

function data(info: TensorInfo): GpujsData {
  const d = info.dataId as GpujsData;
  if (!(d instanceof GpujsData))
    throw new BackendError('gpujs: this tensor handle does not belong to the gpujs backend');
  if (d.disposed) throw new BackendError('gpujs: the tensor data was already disposed');
  return d;
}

/** Converts the flat float storage to the dtype's array type (ints are rounded, bools are nonzero). */
function toDType(flat: Float32Array, size: number, dtype: DType, copy: boolean): TypedArray {
  const values = flat.length === size ? flat : flat.subarray(0, size);
  if (dtype === 'float32') return copy || values !== flat ? values.slice() : values;
  if (dtype === 'int32') {
    const out = new Int32Array(size);
    for (let i = 0; i < size; i++) out[i] = Math.round(values[i]);
    return out;
  }
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = values[i] !== 0 ? 1 : 0;
  return out;
}

function toFloat32(values: TypedArray): Float32Array {
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

/**
 * The gpu.js backend. Every kernel is generated as JavaScript source that takes its sizes and
 * strides as arguments, compiled by gpu.js once per distinct source (an op's structure, not its
 * shapes) and cached; each call resizes the kernel's output. Kernels run with
 * `pipeline: true, immutable: true`: on the GL modes each output is a new float texture that the
 * next kernel reads directly, on webgpu a storage buffer, on webasm/cpu a typed array. Data is read
 * back only by `read`/`readSync`. int32 and bool tensors are stored as floats (exact for integers up
 * to 2^24) and converted back when read.
 */
export class GpujsBackend implements Backend {
  readonly name: string;
  /** The gpu.js mode the kernels actually run in (`gpu` resolved to what gpu.js picked). */
  readonly mode: string;
  /** The mode that was asked for. */
  readonly requestedMode: GpujsMode;
  /** gpu.js's texture precision on the GL modes: `single` (float32) or `unsigned` (packed RGBA8). */
  readonly precision: 'single' | 'unsigned';
  /** Whether kernel calls return promises (webgpu): only `read` works then. */
  readonly isAsync: boolean;
  /** Whether tensors live in device memory (textures, buffers). */
  readonly isResident: boolean;
  /** Data outside device memory (the cpu and webasm modes) reads back cheaply, so core validates values there. */
  readonly syncReadIsCheap: boolean;
  /** webgpu reads back only asynchronously, so core checks index ranges on the device there. */
  readonly readsAsyncOnly: boolean;
  private readonly gpu: GPU;
  private readonly cache: KernelCache;
  /** The GL context's MAX_TEXTURE_SIZE (0 outside the GL modes). */
  private readonly maxTextureSize: number;
  /** The most tensor inputs one kernel binds (concat joins more in passes). */
  private readonly maxInputs: number;
  /** webgpu: each kernel's first run, which builds it (later runs wait for it). */
  private readonly firstRuns = new Map<CompiledKernel, Promise<undefined>>();
  /** webgpu: the workgroup-tiled products and linear layers (null in the other modes). */
  private readonly tiled: TiledMatmul | null;

  constructor(gpu: GPU, requestedMode: GpujsMode, name = 'gpujs') {
    this.gpu = gpu;
    this.name = name;
    this.requestedMode = requestedMode;
    this.mode = resolvedMode(gpu);
    this.isAsync = this.mode === 'webgpu';
    this.isResident = RESIDENT_MODES.has(this.mode);
    this.syncReadIsCheap = !this.isResident;
    this.readsAsyncOnly = this.isAsync;
    this.precision = isGLMode(this.mode) && !GPU.isSinglePrecisionSupported ? 'unsigned' : 'single';
    this.maxTextureSize = isGLMode(this.mode)
      ? ((gpu.Kernel as unknown as { features?: { maxTextureSize?: number } }).features?.maxTextureSize ?? 0)
      : 0;
    this.maxInputs = this.mode === 'webgpu' ? MAX_WEBGPU_INPUTS : MAX_GL_INPUTS;
    this.cache = new KernelCache((source) => this.compile(source));
    this.tiled = this.mode === 'webgpu' ? new TiledMatmul() : null;
  }

  /** 32 when kernels compute and store float32 (every mode here but packed-texture GL), else 16. */
  floatPrecision(): 16 | 32 {
    return this.precision === 'single' ? 32 : 16;
  }

  /**
   * Kernel cache statistics: distinct gpu.js kernels built, lookups served from the cache, and
   * (webgpu) the tiled matmul pipelines built, one per operand layout, bias and activation used.
   */
  kernelStats(): { kernels: number; builds: number; hits: number; tiledPipelines: number } {
    return {
      kernels: this.cache.size,
      builds: this.cache.builds,
      hits: this.cache.hits,
      tiledPipelines: this.tiled?.size ?? 0,
    };
  }

  private compile(source: string): CompiledKernel {
    // loopMaxIterations is a gpu.js setting its type declarations leave out.
    const settings: Record<string, unknown> = {
      output: [1],
      dynamicOutput: true,
      dynamicArguments: true,
      pipeline: true,
      immutable: true,
      precision: this.precision,
      tactic: 'precision',
      loopMaxIterations: 1 << 30,
    };
    const kernel = this.gpu.createKernel(source, settings) as unknown as CompiledKernel;
    if (kernel.kernel instanceof WebAssemblyKernel)
      kernel.kernel.moduleCacheLimit = WEBASM_MODULES_PER_KERNEL;
    return kernel;
  }

  /**
   * Runs the kernel of `spec` (compiled the first time its source is seen) over `inputs` and its
   * parameters, with an output of `outputSize` elements, returning a new handle. `what` names the
   * op in errors.
   */
  private run(what: string, outputSize: number, spec: KernelSpec, inputs: readonly GpujsData[]): GpujsData {
    if (outputSize === 0) return new GpujsData(EMPTY, 0);
    this.checkSize(`the output of ${what}`, outputSize);
    const kernel = this.cache.get(spec.source);
    if (this.isAsync) {
      // A webgpu kernel's first call builds it asynchronously and reads its output size only when
      // the build ends, so later calls wait for that first one before resizing the output.
      const building = this.firstRuns.get(kernel);
      const out = this.runDeferred(outputSize, inputs, building, (values) => {
        kernel.setOutput([outputSize]);
        return kernel(...values, ...spec.params) as Promise<Value>;
      });
      if (!building)
        this.firstRuns.set(
          kernel,
          (out.value as Promise<Value>).then(
            () => undefined,
            () => undefined,
          ),
        );
      return out;
    }
    // Resized on every call, even to the same size, which gives each run a fresh output texture
    // on GL: skipped when the size was unchanged, gpu.js rendered into a texture it was also
    // reading, and 239 headless-gl conformance checks failed.
    kernel.setOutput([outputSize]);
    return new GpujsData(kernel(...inputs.map((x) => x.value as Value), ...spec.params) as Value, outputSize);
  }

  /**
   * webgpu: a run that `launch`es once `after` and the values of `inputs` resolve; each input
   * waits for it before its data is freed.
   */
  private runDeferred(
    outputSize: number,
    inputs: readonly GpujsData[],
    after: Promise<unknown> | undefined,
    launch: (values: Value[]) => Promise<Value>,
  ): GpujsData {
    const result = Promise.all([after, ...inputs.map((x) => x.value)]).then(([, ...values]) =>
      launch(values as Value[]),
    );
    // Keeps a failed run from being an unhandled rejection here; `read` reports it.
    result.catch(() => undefined);
    for (const x of inputs) x.consumers.push(result);
    return new GpujsData(result, outputSize);
  }

  /**
   * webgpu: the product of `inputs` (a, b, then the bias when `variant` has one) by the
   * workgroup-tiled kernel, or null where one dispatch cannot cover it.
   */
  private runTiled(
    what: string,
    dims: MatmulDims,
    variant: TiledMatmulVariant,
    inputs: readonly GpujsData[],
  ): GpujsData | null {
    const tiled = this.tiled;
    if (!tiled || !fitsTiledDispatch(dims)) return null;
    const outputSize = dims.batch * dims.m * dims.n;
    if (outputSize === 0) return new GpujsData(EMPTY, 0);
    this.checkSize(`the output of ${what}`, outputSize);
    return this.runDeferred(outputSize, inputs, undefined, ([a, b, bias]) =>
      tiled.run(
        dims,
        variant,
        a as WebGPUBufferHandle,
        b as WebGPUBufferHandle,
        (bias as WebGPUBufferHandle | undefined) ?? null,
      ),
    );
  }

  /**
   * Throws a BackendError where a tensor of `size` elements cannot be computed right: float32
   * index arithmetic is exact up to `MAX_ELEMENTS`, and a GL texture side is at most the context's
   * MAX_TEXTURE_SIZE (gpu.js lays `size` out as a near-square texture).
   */
  private checkSize(what: string, size: number): void {
    if (size > MAX_ELEMENTS) {
      throw new BackendError(
        `gpujs (${this.mode}): ${what} has ${size} elements; this backend computes indices in float32, exact up to 2^24 = ${MAX_ELEMENTS} elements per tensor`,
      );
    }
    if (this.maxTextureSize > 0 && Math.ceil(Math.sqrt(size)) > this.maxTextureSize) {
      throw new BackendError(
        `gpujs (${this.mode}): ${what} has ${size} elements, more than a ${this.maxTextureSize}x${this.maxTextureSize} texture (this GL context's MAX_TEXTURE_SIZE) holds`,
      );
    }
  }

  write(values: TypedArray, shape: Shape, _dtype: DType): DataId {
    const size = sizeOf(shape);
    this.checkSize(`a tensor of shape ${shapeKey(shape)}`, size);
    const flat = toFloat32(values);
    if (size === 0) return new GpujsData(EMPTY, 0);
    if (!this.isResident) return new GpujsData(flat, size);
    // Upload once into device memory, so kernels never re-upload it.
    return this.run('upload', size, copySpec(), [new GpujsData(flat, size)]);
  }

  async read(info: TensorInfo): Promise<TypedArray> {
    const d = data(info);
    if (d.size === 0) return toDType(EMPTY, 0, info.dtype, true);
    const value = await d.value;
    const flat =
      value instanceof Float32Array
        ? value
        : await (value.toArray?.() as Promise<Float32Array> | Float32Array);
    return toDType(flat as Float32Array, d.size, info.dtype, value instanceof Float32Array);
  }

  readSync(info: TensorInfo): TypedArray {
    const d = data(info);
    if (this.isAsync) {
      throw new BackendError(
        `gpujs (${this.mode}): WebGPU reads back asynchronously only; use \`await t.data()\` (or \`await t.array()\`) instead of dataSync()/arraySync()/item()`,
      );
    }
    if (d.size === 0) return toDType(EMPTY, 0, info.dtype, true);
    const value = d.value as Value;
    if (value instanceof Float32Array) return toDType(value, d.size, info.dtype, true);
    return toDType(value.toArray?.() as Float32Array, d.size, info.dtype, false);
  }

  dispose(dataId: DataId): void {
    const d = dataId as GpujsData;
    if (!(d instanceof GpujsData) || d.disposed) return;
    d.disposed = true;
    if (this.isAsync) {
      Promise.allSettled([d.value, ...d.consumers]).then(([settled]) => {
        if (settled.status === 'fulfilled') (settled.value as DeviceValue).delete?.();
      });
      return;
    }
    const value = d.value as Value;
    if (!(value instanceof Float32Array)) value.delete?.();
  }

  fill(shape: Shape, value: number, dtype: DType): DataId {
    this.checkSize(`fill of shape ${shapeKey(shape)}`, sizeOf(shape));
    const v = dtype === 'bool' ? +(value !== 0) : dtype === 'int32' ? Math.trunc(value) : value;
    return this.run('fill', sizeOf(shape), fillSpec(v), []);
  }

  cast(x: TensorInfo, dtype: DType): DataId {
    return this.run(
      `cast ${x.dtype}>${dtype}`,
      sizeOf(x.shape),
      castSpec([sizeOf(x.shape)], x.dtype, dtype),
      [data(x)],
    );
  }

  unary(op: UnaryOp, x: TensorInfo): DataId {
    const size = sizeOf(x.shape);
    return this.run(op, size, unarySpec(op, [size]), [data(x)]);
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape, outDtype: DType): DataId {
    return this.run(
      `${op} of ${shapeKey(a.shape)} and ${shapeKey(b.shape)} (${outDtype})`,
      sizeOf(outShape),
      binarySpec(op, a.shape, b.shape, outShape, a.dtype),
      [data(a), data(b)],
    );
  }

  where(condition: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): DataId {
    return this.run(
      `where to ${shapeKey(outShape)}`,
      sizeOf(outShape),
      whereSpec(condition.shape, a.shape, b.shape, outShape),
      [data(condition), data(a), data(b)],
    );
  }

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataId {
    const outShape = x.shape.filter((_, d) => !axes.includes(d));
    const outSize = sizeOf(outShape);
    if (sizeOf(x.shape) === 0 && outSize > 0) {
      const init = { sum: 0, prod: 1, max: -Infinity, min: Infinity }[op];
      return this.fill(outShape, init, 'float32');
    }
    const chunks = chunksOf(reducedCount(x.shape, axes));
    const first = this.run(
      `${op} of ${shapeKey(x.shape)} over [${axes}]`,
      outSize * chunks,
      reduceSpec(op, x.shape, axes),
      [data(x)],
    );
    if (chunks === 1) return first;
    // Long reductions run as a tree: the partials of each chunk, reduced again by the same op.
    const out = this.reduce(op, { dataId: first, shape: [outSize, chunks], dtype: 'float32' }, [1]);
    this.dispose(first);
    return out;
  }

  argReduce(op: ArgReduceOp, x: TensorInfo, axis: number): DataId {
    if (sizeOf(x.shape) === 0) return new GpujsData(EMPTY, 0);
    const [outer, size, inner] = aroundAxis(x.shape, axis);
    // Passes of at most REDUCE_CHUNK entries per thread: (value, index) pairs per chunk until one chunk is left.
    let input = data(x);
    let length = size;
    let pairsIn = false;
    for (;;) {
      const chunks = chunksOf(length);
      const pairsOut = chunks > 1;
      const dims: [number, number, number] = [outer, length, inner];
      const out = this.run(
        `${op} along [${dims}]`,
        outer * inner * (pairsOut ? 2 * chunks : 1),
        argReduceSpec(op, dims, pairsIn, pairsOut),
        [input],
      );
      if (pairsIn) this.dispose(input);
      if (!pairsOut) return out;
      input = out;
      length = chunks;
      pairsIn = true;
    }
  }

  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): DataId {
    const dims = matmulDims(a.shape, b.shape, transposeA, transposeB);
    const outSize = dims.batch * dims.m * dims.n;
    if (dims.k === 0) return this.fill([outSize], 0, 'float32');
    const what = `matmul of ${shapeKey(a.shape)} and ${shapeKey(b.shape)}`;
    const variant = { transposeA, transposeB, hasBias: false, activation: 'none' as const };
    const tiled = this.runTiled(what, dims, variant, [data(a), data(b)]);
    if (tiled) return tiled;
    const chunks = kChunksOf(dims.k);
    const product = this.run(what, chunks * outSize, matmulSpec(dims, transposeA, transposeB), [
      data(a),
      data(b),
    ]);
    if (chunks === 1) return product;
    // A long K: the partial products of each K chunk, summed.
    const out = this.reduce('sum', { dataId: product, shape: [chunks, outSize], dtype: 'float32' }, [0]);
    this.dispose(product);
    return out;
  }

  transpose(x: TensorInfo, perm: readonly number[]): DataId {
    return this.run(`transpose of ${shapeKey(x.shape)}`, sizeOf(x.shape), transposeSpec(x.shape, perm), [
      data(x),
    ]);
  }

  broadcastTo(x: TensorInfo, shape: Shape): DataId {
    return this.run(`broadcastTo ${shapeKey(shape)}`, sizeOf(shape), broadcastSpec(x.shape, shape), [
      data(x),
    ]);
  }

  slice(x: TensorInfo, begin: readonly number[], step: readonly number[], outShape: Shape): DataId {
    return this.run(
      `slice ${shapeKey(outShape)} of ${shapeKey(x.shape)}`,
      sizeOf(outShape),
      sliceSpec(x.shape, begin, step, outShape),
      [data(x)],
    );
  }

  concat(xs: readonly TensorInfo[], axis: number): DataId {
    const parts = xs.filter((x) => sizeOf(x.shape) > 0);
    const outShape = [...xs[0].shape];
    outShape[axis] = xs.reduce((n, x) => n + x.shape[axis], 0);
    if (parts.length === 0 || sizeOf(outShape) === 0) return new GpujsData(EMPTY, 0);
    const most = this.maxInputs;
    if (parts.length > most) {
      // Joins the first inputs, then the partial result with the rest, within the binding limit.
      const headShape = [...parts[0].shape];
      headShape[axis] = parts.slice(0, most).reduce((n, x) => n + x.shape[axis], 0);
      const head = this.concat(parts.slice(0, most), axis);
      const result = this.concat(
        [{ dataId: head, shape: headShape, dtype: xs[0].dtype }, ...parts.slice(most)],
        axis,
      );
      this.dispose(head);
      return result;
    }
    const shapes = parts.map((x) => x.shape);
    return this.run(
      `concat to ${shapeKey(outShape)}`,
      sizeOf(outShape),
      concatSpec(shapes, axis),
      parts.map(data),
    );
  }

  gather(x: TensorInfo, indices: TensorInfo, axis: number): DataId {
    const count = sizeOf(indices.shape);
    const [outer, , inner] = aroundAxis(x.shape, axis);
    return this.run(
      `gather of ${count} from ${shapeKey(x.shape)}`,
      outer * count * inner,
      gatherSpec(x.shape, axis, count),
      [data(x), data(indices)],
    );
  }

  indexAdd(x: TensorInfo, axis: number, indices: TensorInfo, source: TensorInfo): DataId {
    const count = sizeOf(indices.shape);
    if (count === 0 || sizeOf(source.shape) === 0) return this.cast(x, x.dtype);
    // At most REDUCE_CHUNK indices per kernel: each pass adds its chunk of slices to the previous sum.
    let acc = data(x);
    for (let start = 0; start < count; start += REDUCE_CHUNK) {
      const length = Math.min(REDUCE_CHUNK, count - start);
      const next = this.run(
        `indexAdd into ${shapeKey(x.shape)}`,
        sizeOf(x.shape),
        indexAddSpec(x.shape, axis, count, start, length),
        [acc, data(indices), data(source)],
      );
      if (start > 0) this.dispose(acc);
      acc = next;
    }
    return acc;
  }

  softmax(x: TensorInfo, axis: number): DataId {
    return this.softmaxLike(x, axis, false);
  }

  logSoftmax(x: TensorInfo, axis: number): DataId {
    return this.softmaxLike(x, axis, true);
  }

  /**
   * Per-row (max, log Σ exp(x − max)) of [outer, size, inner] along the middle axis, as
   * [outer, inner, 2]: passes of at most REDUCE_CHUNK entries per thread, merged until one is left.
   */
  private rowStats(x: GpujsData, [outer, size, inner]: readonly [number, number, number]): GpujsData {
    let input = x;
    let length = size;
    let pairsIn = false;
    for (;;) {
      const chunks = chunksOf(length);
      const dims: [number, number, number] = [outer, length, inner];
      const out = this.run(
        `softmax statistics along [${dims}]`,
        outer * chunks * inner * 2,
        rowStatsSpec(dims, pairsIn),
        [input],
      );
      if (pairsIn) this.dispose(input);
      if (chunks === 1) return out;
      input = out;
      length = chunks;
      pairsIn = true;
    }
  }

  private softmaxLike(x: TensorInfo, axis: number, log: boolean): DataId {
    const size = sizeOf(x.shape);
    if (size === 0) return new GpujsData(EMPTY, 0);
    const lse = this.rowStats(data(x), softmaxDims(x.shape, axis));
    const out = this.run(
      `${log ? 'logSoftmax' : 'softmax'} of ${shapeKey(x.shape)}`,
      size,
      softmaxApplySpec(x.shape, axis, log),
      [data(x), lse],
    );
    this.dispose(lse);
    return out;
  }

  linear(x: TensorInfo, weight: TensorInfo, bias: TensorInfo | null, activation: FusedActivation): DataId {
    const [m, k] = x.shape;
    const n = weight.shape[0];
    if (k === 0) {
      const zeros = this.fill([m, n], 0, 'float32');
      if (!bias && activation !== 'sigmoid') return zeros;
      // Rare: bias/activation over an empty product; compose from the required kernels.
      const withBias = bias
        ? (this.binary(
            'add',
            { dataId: zeros, shape: [m, n], dtype: 'float32' },
            bias,
            [m, n],
            'float32',
          ) as GpujsData)
        : (zeros as GpujsData);
      if (bias) this.dispose(zeros);
      if (activation === 'none') return withBias;
      const out = this.unary(activation, { dataId: withBias, shape: [m, n], dtype: 'float32' });
      this.dispose(withBias);
      return out;
    }
    const inputs = bias ? [data(x), data(weight), data(bias)] : [data(x), data(weight)];
    const what = `linear [${m}, ${n}]`;
    const variant = { transposeA: false, transposeB: true, hasBias: bias !== null, activation };
    const tiled = this.runTiled(what, { batch: 1, m, k, n }, variant, inputs);
    if (tiled) return tiled;
    if (kChunksOf(k) > 1) {
      // A long K: the product in K chunks (matmul), then bias and activation in one pass.
      const z = this.matmul(
        { ...x, shape: [1, m, k] },
        { ...weight, shape: [1, n, k] },
        false,
        true,
      ) as GpujsData;
      const out = this.run(
        what,
        m * n,
        linearEpilogueSpec(m, n, bias !== null, activation),
        bias ? [z, data(bias)] : [z],
      );
      this.dispose(z);
      return out;
    }
    return this.run(what, m * n, linearSpec(m, k, n, bias !== null, activation), inputs);
  }

  softmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo): DataId {
    const [rows, classes] = logits.shape;
    if (classes === 0) return this.fill([rows], Number.NaN, 'float32');
    if (rows > 0 && classes > REDUCE_CHUNK) {
      const stats = this.rowStats(data(logits), [rows, classes, 1]);
      const out = this.run(
        `softmaxCrossEntropy [${rows}, ${classes}]`,
        rows,
        softmaxCrossEntropyFromStatsSpec(classes),
        [data(logits), data(labels), stats],
      );
      this.dispose(stats);
      return out;
    }
    return this.run(`softmaxCrossEntropy [${rows}, ${classes}]`, rows, softmaxCrossEntropySpec(classes), [
      data(logits),
      data(labels),
    ]);
  }

  destroy(): void {
    this.cache.clear();
    this.firstRuns.clear();
    this.tiled?.clear();
    void Promise.resolve(this.gpu.destroy()).catch(() => undefined);
  }
}

/** The mode of the kernel class gpu.js chose (its `mode: 'gpu'` reports `gpu` for every GL class). */
function resolvedMode(gpu: GPU): string {
  const classes: [unknown, string][] = [
    [HeadlessGLKernel, 'headlessgl'],
    [WebGL2Kernel, 'webgl2'],
    [WebGLKernel, 'webgl'],
    [(gpujsModule as unknown as Record<string, unknown>).WebGPUKernel, 'webgpu'],
    [WebAssemblyKernel, 'webasm'],
    [CPUKernel, 'cpu'],
  ];
  for (const [Kernel, mode] of classes) if (Kernel !== undefined && gpu.Kernel === Kernel) return mode;
  return gpu.mode;
}

/**
 * Creates a gpu.js backend. Synchronous modes return the backend; `webgpu` returns a promise (an
 * adapter must answer first). Throws a BackendError naming the reason when the mode is unavailable.
 */
export function gpujsBackend(options: GpujsBackendOptions = {}): Backend | Promise<Backend> {
  const mode = options.mode ?? 'gpu';
  if (mode === 'webgpu') {
    return probeMode(mode).then((probe) => {
      if (!probe.available) throw new BackendError(`gpujs: mode 'webgpu' is unavailable: ${probe.reason}`);
      return new GpujsBackend(new GPU({ mode: 'webgpu' }), mode, options.name);
    });
  }
  const probe = probeModeSync(mode);
  if (!probe.available) throw new BackendError(`gpujs: mode '${mode}' is unavailable: ${probe.reason}`);
  let gpu: GPU;
  try {
    gpu = new GPU({ mode });
  } catch (e) {
    if (mode !== 'gpu')
      throw new BackendError(`gpujs: gpu.js could not start mode '${mode}': ${(e as Error).message}`);
    gpu = new GPU({ mode: 'cpu' });
  }
  return new GpujsBackend(gpu, mode, options.name);
}
