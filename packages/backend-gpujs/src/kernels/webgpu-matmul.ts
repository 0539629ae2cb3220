/**
 * The tiled matrix product of the webgpu mode, written in WGSL. gpu.js's kernels compute one
 * output per thread from global memory and offer no workgroup memory, which leaves a GPU's
 * arithmetic idle on products. This kernel is the usual shared-memory tiling instead: a workgroup
 * of 16×16 threads computes a 64×64 output tile, each thread a 4×4 block of it, staging 64×16
 * slices of both operands in workgroup memory per step along K. It runs on gpu.js's own WebGPU
 * device and reads and writes gpu.js's storage buffers, so its results feed gpu.js kernels and
 * back. Each K step's 16 products are summed apart before they join the output's running sum
 * (blocked accumulation, for float32 accuracy over long K, as the gpu.js matmul does).
 */
import type { FusedActivation } from '@backprop/core';
import * as gpujsModule from 'gpu.js';
import type { MatmulDims } from './matmul.js';

/** gpu.js's shared WebGPU device and whether it was lost (its `WebGPUContext.acquire()`). */
interface GpujsWebGPUContext {
  device: GPUDevice;
  isLost: boolean;
}

/** The gpu.js WebGPU classes this kernel shares, which gpu.js's type declarations leave out. */
const { WebGPUBufferResult, WebGPUContext } = gpujsModule as unknown as {
  WebGPUBufferResult: new (settings: {
    buffer: GPUBuffer;
    output: number[];
    context: GpujsWebGPUContext;
    kernel: { readBufferResult(handle: WebGPUBufferHandle): Promise<Float32Array> };
  }) => WebGPUBufferHandle;
  WebGPUContext: { acquire(): Promise<GpujsWebGPUContext> };
};

/** A gpu.js pipeline handle: a storage buffer of float32 values, read back with `toArray()`. */
export interface WebGPUBufferHandle {
  readonly buffer: GPUBuffer;
  readonly context: GpujsWebGPUContext;
  readonly output: number[];
  toArray(): Promise<Float32Array>;
  delete(): void;
}

/** What one product is: operand layouts, and the fused bias and activation of `linear`. */
export interface TiledMatmulVariant {
  transposeA: boolean;
  transposeB: boolean;
  hasBias: boolean;
  activation: FusedActivation;
}

// WebGPU's usage and map flags (fixed by the spec; Node has no GPUBufferUsage global).
const USAGE_MAP_READ = 0x0001;
const USAGE_COPY_SRC = 0x0004;
const USAGE_COPY_DST = 0x0008;
const USAGE_UNIFORM = 0x0040;
const USAGE_STORAGE = 0x0080;
const MAP_READ = 0x0001;

/** Output tile side, threads per tile side, and the K depth staged per step. */
const TILE = 64;
const THREADS = 16;
const K_STEP = 16;
/** The tile row stride in workgroup memory: one past the tile, so the staging stores do not all hit one bank. */
const TILE_STRIDE = TILE + 1;

const MAX_WORKGROUPS_PER_AXIS = 65535;

/** Whether one dispatch covers the product (WebGPU guarantees 65,535 workgroups per axis). */
export function fitsTiledDispatch(d: MatmulDims): boolean {
  return (
    d.batch <= MAX_WORKGROUPS_PER_AXIS &&
    Math.ceil(d.m / TILE) <= MAX_WORKGROUPS_PER_AXIS &&
    Math.ceil(d.n / TILE) <= MAX_WORKGROUPS_PER_AXIS
  );
}

/** WGSL lines that apply `activation` to `y` in place (the formulas of the gpu.js linear kernel). */
function activationWGSL(activation: FusedActivation): string {
  switch (activation) {
    case 'relu':
      return 'y = max(y, 0.0);';
    case 'sigmoid':
      return 'if (y >= 0.0) { y = 1.0 / (1.0 + exp(-y)); } else { let e = exp(y); y = e / (1.0 + e); }';
    case 'tanh':
      // tanh(|z|) = −m / (2 + m) with m = expm1(−2|z|), the series for small |z| (where exp − 1 cancels).
      return [
        'let u = -2.0 * abs(y);',
        'var em1 = exp(u) - 1.0;',
        'if (abs(u) < 0.5) { em1 = u * (1.0 + u * (0.5 + u * (1.0 / 6.0 + u * (1.0 / 24.0 + u * (1.0 / 120.0 + u * (1.0 / 720.0 + u / 5040.0)))))); }',
        'y = sign(y) * (-em1 / (2.0 + em1));',
      ].join('\n      ');
    default:
      return '';
  }
}

/**
 * The WGSL of one variant. `a` is [batch, m, k] ([batch, k, m] transposed), `b` [batch, k, n]
 * ([batch, n, k] transposed), `out` [batch, m, n]; `bias` [n] when present.
 */
export function tiledMatmulWGSL(v: TiledMatmulVariant): string {
  // Each thread stages 4 values of each operand per step. Where an operand's K is its contiguous
  // axis, neighbouring threads take neighbouring k; otherwise neighbouring rows (columns).
  const staged = (transposedK: boolean) =>
    transposedK ? { kk: `e / ${TILE}u`, rc: `e % ${TILE}u` } : { kk: `e % ${K_STEP}u`, rc: `e / ${K_STEP}u` };
  const aMap = staged(v.transposeA);
  const bMap = staged(!v.transposeB);
  const aIndex = v.transposeA ? 'kk * dims.m + row' : 'row * dims.k + kk';
  const bIndex = v.transposeB ? 'col * dims.k + kk' : 'kk * dims.n + col';
  const block = THREADS * THREADS;
  const perThread = (TILE * K_STEP) / block;
  // Row i of a thread's 4×4 block is one vec4 (its 4 columns), unrolled: rows of `a` × a vec4 of `b`.
  const rows = Array.from({ length: TILE / THREADS }, (_, r) => r);
  const offset = (r: number) => (r === 0 ? '' : ` + ${r * THREADS}u`);
  return `struct Dims { m : u32, n : u32, k : u32, pad : u32 }
@group(0) @binding(0) var<uniform> dims : Dims;
@group(0) @binding(1) var<storage, read> a : array<f32>;
@group(0) @binding(2) var<storage, read> b : array<f32>;
@group(0) @binding(3) var<storage, read_write> out : array<f32>;
${v.hasBias ? '@group(0) @binding(4) var<storage, read> bias : array<f32>;' : ''}

var<workgroup> aTile : array<f32, ${K_STEP * TILE_STRIDE}>;
var<workgroup> bTile : array<f32, ${K_STEP * TILE_STRIDE}>;

fn loadA(base : u32, row : u32, kk : u32) -> f32 {
  if (row >= dims.m || kk >= dims.k) { return 0.0; }
  return a[base + ${aIndex}];
}

fn loadB(base : u32, col : u32, kk : u32) -> f32 {
  if (col >= dims.n || kk >= dims.k) { return 0.0; }
  return b[base + ${bIndex}];
}

fn store(base : u32, row : u32, col : u32, value : f32) {
  if (row >= dims.m || col >= dims.n) { return; }
  var y = value;
  ${v.hasBias ? 'y += bias[col];' : ''}
  ${activationWGSL(v.activation)}
  out[base + row * dims.n + col] = y;
}

@compute @workgroup_size(${THREADS}, ${THREADS}, 1)
fn main(@builtin(workgroup_id) group : vec3<u32>, @builtin(local_invocation_id) local : vec3<u32>,
        @builtin(local_invocation_index) li : u32) {
  let row0 = group.y * ${TILE}u;
  let col0 = group.x * ${TILE}u;
  let aBase = group.z * dims.m * dims.k;
  let bBase = group.z * dims.k * dims.n;
${rows.map((r) => `  var acc${r} = vec4<f32>();`).join('\n')}
  for (var k0 = 0u; k0 < dims.k; k0 += ${K_STEP}u) {
    for (var r = 0u; r < ${perThread}u; r++) {
      let e = li + r * ${block}u;
      let aKk = ${aMap.kk};
      let aRow = ${aMap.rc};
      aTile[aKk * ${TILE_STRIDE}u + aRow] = loadA(aBase, row0 + aRow, k0 + aKk);
      let bKk = ${bMap.kk};
      let bCol = ${bMap.rc};
      bTile[bKk * ${TILE_STRIDE}u + bCol] = loadB(bBase, col0 + bCol, k0 + bKk);
    }
    workgroupBarrier();
${rows.map((r) => `    var part${r} = vec4<f32>();`).join('\n')}
    for (var kk = 0u; kk < ${K_STEP}u; kk++) {
      let at = kk * ${TILE_STRIDE}u + local.y;
      let bt = kk * ${TILE_STRIDE}u + local.x;
      let bv = vec4<f32>(${rows.map((r) => `bTile[bt${offset(r)}]`).join(', ')});
${rows.map((r) => `      part${r} = fma(vec4<f32>(aTile[at${offset(r)}]), bv, part${r});`).join('\n')}
    }
${rows.map((r) => `    acc${r} += part${r};`).join('\n')}
    workgroupBarrier();
  }
  let outBase = group.z * dims.m * dims.n;
  for (var j = 0u; j < ${TILE / THREADS}u; j++) {
    let col = col0 + local.x + j * ${THREADS}u;
${rows.map((r) => `    store(outBase, row0 + local.y${offset(r)}, col, acc${r}[j]);`).join('\n')}
  }
}
`;
}

/**
 * Reads back a buffer this kernel wrote: the `kernel` role of gpu.js's handle, whose `toArray()`
 * calls it. One serves every result, on whichever device the handle's context holds.
 */
const bufferReader = {
  async readBufferResult(handle: WebGPUBufferHandle): Promise<Float32Array> {
    if (handle.context.isLost) throw new Error('WebGPU device was lost; this buffer no longer holds data');
    const { device } = handle.context;
    const byteLength = handle.buffer.size;
    const staging = device.createBuffer({ size: byteLength, usage: USAGE_MAP_READ | USAGE_COPY_DST });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(handle.buffer, 0, staging, 0, byteLength);
    device.queue.submit([encoder.finish()]);
    try {
      await staging.mapAsync(MAP_READ, 0, byteLength);
      return new Float32Array(staging.getMappedRange(0, byteLength).slice(0));
    } finally {
      staging.destroy();
    }
  },
};

/**
 * Runs tiled products on gpu.js's WebGPU device: one compute pipeline per variant, built on first
 * use (a WGSL error rejects that product's result, which `read` reports).
 */
export class TiledMatmul {
  private readonly pipelines = new Map<string, Promise<GPUComputePipeline>>();
  /** The device the pipelines were built on (a lost device is replaced, and its pipelines with it). */
  private device: GPUDevice | null = null;

  /** Number of pipelines built (one per variant used), for tests and diagnostics. */
  get size(): number {
    return this.pipelines.size;
  }

  /** Forgets the built pipelines. */
  clear(): void {
    this.pipelines.clear();
    this.device = null;
  }

  private pipeline(device: GPUDevice, v: TiledMatmulVariant): Promise<GPUComputePipeline> {
    if (device !== this.device) {
      this.pipelines.clear();
      this.device = device;
    }
    const key = `${+v.transposeA}${+v.transposeB}${+v.hasBias}${v.activation}`;
    let found = this.pipelines.get(key);
    if (!found) {
      const module = device.createShaderModule({ code: tiledMatmulWGSL(v) });
      found = device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      this.pipelines.set(key, found);
    }
    return found;
  }

  /**
   * `a` × `b` (+ `bias`, then the activation) into a new buffer of batch·m·n values, submitted to
   * the device queue after everything gpu.js has submitted so far; `fitsTiledDispatch(d)` holds.
   */
  async run(
    d: MatmulDims,
    v: TiledMatmulVariant,
    a: WebGPUBufferHandle,
    b: WebGPUBufferHandle,
    bias: WebGPUBufferHandle | null,
  ): Promise<WebGPUBufferHandle> {
    const context = await WebGPUContext.acquire();
    if (context.isLost) throw new Error('WebGPU device was lost');
    const { device } = context;
    const pipeline = await this.pipeline(device, v);
    const params = device.createBuffer({ size: 16, usage: USAGE_UNIFORM | USAGE_COPY_DST });
    device.queue.writeBuffer(params, 0, new Uint32Array([d.m, d.n, d.k, 0]));
    const output = device.createBuffer({
      size: d.batch * d.m * d.n * 4,
      usage: USAGE_STORAGE | USAGE_COPY_SRC,
    });
    const buffers = [params, a.buffer, b.buffer, output, ...(bias ? [bias.buffer] : [])];
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(Math.ceil(d.n / TILE), Math.ceil(d.m / TILE), d.batch);
    pass.end();
    device.queue.submit([encoder.finish()]);
    // Freed once the submitted work that reads it is done.
    params.destroy();
    return new WebGPUBufferResult({
      buffer: output,
      output: [d.batch * d.m * d.n],
      context,
      kernel: bufferReader,
    });
  }
}
