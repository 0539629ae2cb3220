/**
 * Batched matrix product and the fused linear layer. One output element per thread; the K loop is
 * blocked (partial sums of 64 products) for float32 accuracy, and unrolled by four where K allows,
 * so each iteration issues four independent multiply-adds. gpu.js exposes no workgroup/shared
 * memory on any mode, so GPU-style shared-memory tiling cannot be written; the GL modes lean on the
 * texture cache instead, and webasm vectorises across four output cells (f32x4 SIMD).
 */
import type { FusedActivation, Shape } from '@backprop/core';
import type { KernelSpec } from '../kernel-cache.js';
import { kernelSource, lit, offsetExpr, unflatten } from './codegen.js';
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

/** Lines that add Σ_q a0[aBase + q·aStep] · a1[bBase + q·bStep] into `y`. */
function dotLines(k: number, aStep: number, bStep: number): string[] {
  const term = (q: string) => `a0[aBase + ${q} * ${lit(aStep)}] * a1[bBase + ${q} * ${lit(bStep)}]`;
  if (k % 4 === 0 && k >= 8) {
    return blockedLoop(k / 4, (r, add) => [
      `const q = ${r} * 4;`,
      add(`${term('q')} + ${term('(q + 1)')} + ${term('(q + 2)')} + ${term('(q + 3)')}`),
    ]);
  }
  return blockedLoop(k, (r, add) => [add(term(r))]);
}

/** [B, M, K] (or [B, K, M]) × [B, K, N] (or [B, N, K]) → [B, M, N]; K ≥ 1. */
export function matmulSpec(d: MatmulDims, transposeA: boolean, transposeB: boolean): KernelSpec {
  const { batch, m, k, n } = d;
  const { lines, coords } = unflatten('c', 't', [batch, m, n]);
  const [p, i, j] = coords;
  const src = [
    'const t = this.thread.x + 0.5;',
    ...lines,
    `const aBase = ${offsetExpr([p, i], [m * k, transposeA ? 1 : k])};`,
    `const bBase = ${offsetExpr([p, j], [k * n, transposeB ? k : 1])};`,
    'let y = 0.5;',
    'y = 0;',
    ...dotLines(k, transposeA ? m : 1, transposeB ? 1 : n),
  ];
  return { source: kernelSource(['a0', 'a1'], src) };
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

/** activation(x · wᵀ + bias) for x [M, K], w [N, K], bias [N] (argument a2 when present); K ≥ 1. */
export function linearSpec(
  m: number,
  k: number,
  n: number,
  hasBias: boolean,
  activation: FusedActivation,
): KernelSpec {
  const { lines, coords } = unflatten('c', 't', [m, n]);
  const [i, j] = coords;
  const src = [
    'const t = this.thread.x + 0.5;',
    ...lines,
    `const aBase = ${offsetExpr([i], [k])};`,
    `const bBase = ${offsetExpr([j], [k])};`,
    'let y = 0.5;',
    'y = 0;',
    ...dotLines(k, 1, 1),
    ...(hasBias ? [`y += a2[${j}];`] : []),
    ...activationLines(activation),
  ];
  return { source: kernelSource(hasBias ? ['a0', 'a1', 'a2'] : ['a0', 'a1'], src) };
}
