/**
 * Batched matrix product and the fused linear layer. One output element per thread; the K loop is
 * blocked (partial sums of 64 products) for float32 accuracy, and unrolled by four where K allows,
 * so each iteration issues four independent multiply-adds. gpu.js exposes no workgroup/shared
 * memory, so shared-memory tiling cannot be written in its kernels: the GL modes lean on the
 * texture cache instead, webasm vectorises across four output cells (f32x4 SIMD), and webgpu runs
 * the backend's own tiled WGSL kernel (webgpu-matmul.ts) for every product that fits one dispatch.
 */
import type { FusedActivation, Shape } from '@backprop/core';
import {
  elementwiseSpec,
  type KernelSpec,
  kernelSpec,
  lit,
  offsetExpr,
  Params,
  stridesOf,
  THREAD_INDEX,
  unflatten,
} from './codegen.js';
import { blockedLoop } from './reduce.js';

export interface MatmulDims {
  batch: number;
  m: number;
  k: number;
  n: number;
}

export function matmulDims(a: Shape, b: Shape, transposeA: boolean, transposeB: boolean): MatmulDims {
  return {
    batch: a[0],
    m: transposeA ? a[2] : a[1],
    k: transposeA ? a[1] : a[2],
    n: transposeB ? b[1] : b[2],
  };
}

/**
 * The longest K one thread sums in one pass. Longer products are split along K into chunks whose
 * partial products are summed by the reduction (see `REDUCE_CHUNK` for the loop limit this keeps
 * under): 4,096 unrolled iterations per thread.
 */
export const MATMUL_K_CHUNK = 16384;

/** Number of K chunks of a product with inner dimension `k`. */
export function kChunksOf(k: number): number {
  return Math.ceil(k / MATMUL_K_CHUNK);
}

/**
 * Lines that add Σ_q a0[aBase + q·aStep] · a1[bBase + q·bStep] into `y` for q in [0, `len`) (a
 * float expression): four products per iteration, in blocks of 64 products, then the last len mod 4.
 */
function dotLines(len: string, aStep: string, bStep: string): string[] {
  const at = (q: string, step: string) => (step === '1' ? q : `${q} * ${step}`);
  const term = (q: string) => `a0[aBase + ${at(q, aStep)}] * a1[bBase + ${at(q, bStep)}]`;
  return [
    'let quads = 0.5;',
    `quads = Math.floor(${len} / 4);`,
    ...blockedLoop('quads', (r, add) => [
      `const q = ${r} * 4;`,
      add(`${term('q')} + ${term('(q + 1)')} + ${term('(q + 2)')} + ${term('(q + 3)')}`),
    ]),
    'let tail = 0.5;',
    `tail = ${len} - quads * 4;`,
    'for (let rt = 0; rt < tail; rt++) {',
    `  y += ${term('(quads * 4 + rt)')};`,
    '}',
  ];
}

/**
 * [B, M, K] (or [B, K, M]) × [B, K, N] (or [B, N, K]) → [B, M, N]; K ≥ 1. For K above
 * `MATMUL_K_CHUNK` the output is [chunks, B, M, N], the partial products of each K chunk, which
 * the backend sums over the first axis.
 */
export function matmulSpec(d: MatmulDims, transposeA: boolean, transposeB: boolean): KernelSpec {
  const { batch, m, k, n } = d;
  const chunks = kChunksOf(k);
  const params = new Params();
  const outDims = chunks > 1 ? [chunks, batch, m, n] : [batch, m, n];
  const { lines, coords } = unflatten('c', 't', stridesOf(params, outDims));
  const [kc, p, i, j] = chunks > 1 ? coords : ['0', ...coords];
  const aStep = transposeA ? params.add(m) : '1';
  const bStep = transposeB ? '1' : params.add(n);
  const kParam = params.add(k);
  const src = [
    ...THREAD_INDEX,
    ...lines,
    'let kStart = 0.5;',
    `kStart = ${kc === '0' ? '0' : `${kc} * ${MATMUL_K_CHUNK}`};`,
    'let len = 0.5;',
    `len = ${kParam} - kStart;`,
    `if (len > ${MATMUL_K_CHUNK}) {`,
    `  len = ${MATMUL_K_CHUNK};`,
    '}',
    `const aBase = ${offsetExpr([p, i], [params.add(m * k), transposeA ? '1' : kParam])} + kStart * ${aStep};`,
    `const bBase = ${offsetExpr([p, j], [params.add(k * n), transposeB ? kParam : '1'])} + kStart * ${bStep};`,
    'let y = 0.5;',
    'y = 0;',
    ...dotLines('len', aStep, bStep),
  ];
  return kernelSpec(2, params, src);
}

/** Lines applying a fused activation to `y` in place. */
export function activationLines(activation: FusedActivation): string[] {
  switch (activation) {
    case 'relu':
      return ['if (y < 0) {', '  y = 0;', '}'];
    case 'sigmoid':
      return [
        'const z = y;',
        'if (z >= 0) {',
        '  y = 1 / (1 + Math.exp(-z));',
        '} else {',
        '  const se = Math.exp(z);',
        '  y = se / (1 + se);',
        '}',
      ];
    case 'tanh':
      return [
        'const z = y;',
        'const tu = -2 * Math.abs(z);',
        'let tm = 0.5;',
        'if (Math.abs(tu) < 0.5) {',
        `  tm = tu * (1 + tu * (0.5 + tu * (${lit(1 / 6)} + tu * (${lit(1 / 24)} + tu * (${lit(1 / 120)} + tu * (${lit(1 / 720)} + tu * ${lit(1 / 5040)}))))));`,
        '} else {',
        '  tm = Math.exp(tu) - 1;',
        '}',
        'y = -tm / (2 + tm);',
        'if (z < 0) {',
        '  y = -y;',
        '}',
      ];
    default:
      return [];
  }
}

/** activation(x · wᵀ + bias) for x [M, K], w [N, K], bias [N] (argument a2 when present); 1 ≤ K ≤ `MATMUL_K_CHUNK`. */
export function linearSpec(
  m: number,
  k: number,
  n: number,
  hasBias: boolean,
  activation: FusedActivation,
): KernelSpec {
  const params = new Params();
  const { lines, coords } = unflatten('c', 't', stridesOf(params, [m, n]));
  const [i, j] = coords;
  const kParam = params.add(k);
  const src = [
    ...THREAD_INDEX,
    ...lines,
    `const aBase = ${offsetExpr([i], [kParam])};`,
    `const bBase = ${offsetExpr([j], [kParam])};`,
    'let y = 0.5;',
    'y = 0;',
    ...dotLines(kParam, '1', '1'),
    ...(hasBias ? [`y += a2[${j}];`] : []),
    ...activationLines(activation),
  ];
  return kernelSpec(hasBias ? 3 : 2, params, src);
}

/**
 * activation(z + bias) for the summed product z [M, N] (a0) and bias [N] (a1 when present): how a
 * linear layer with K above `MATMUL_K_CHUNK` ends.
 */
export function linearEpilogueSpec(
  m: number,
  n: number,
  hasBias: boolean,
  activation: FusedActivation,
): KernelSpec {
  const inputs = hasBias ? [[m, n], [n]] : [[m, n]];
  return elementwiseSpec([m, n], inputs, ([z, b]) => [
    hasBias ? `y = ${z} + ${b};` : `y = ${z};`,
    ...activationLines(activation),
  ]);
}
