/**
 * Fused softmax / log-softmax (two kernels: a per-row log-sum-exp, then one elementwise pass) and
 * softmax cross-entropy (one kernel per row). Stable for large logits: the row maximum is
 * subtracted before exponentiating.
 */
import type { Shape } from '@backprop/core';
import type { KernelSpec } from '../kernel-cache.js';
import { kernelSource, lit, offsetExpr, unflatten } from './codegen.js';
import { aroundAxis } from './movement.js';
import { blockedLoop } from './reduce.js';

/**
 * Lines setting `mx` = the maximum and `ls` = log Σ exp(x − mx) over `count` elements
 * `a0[base + r·stride]` (count ≥ 1). Kept apart (not as mx + ls) so large logits keep their precision.
 */
function logSumExpLines(count: number, stride: number): string[] {
  const at = (r: string) => `a0[base + ${r} * ${lit(stride)}]`;
  return [
    'let mx = a0[base];',
    `for (let r = 1; r < ${count}; r++) {`,
    `  const e = ${at('r')};`,
    '  if (e > mx || e != e) {',
    '    mx = e;',
    '  }',
    '}',
    'let y = 0.5;',
    'y = 0;',
    ...blockedLoop(count, (r, add) => [add(`Math.exp(${at(r)} - mx)`)]),
    'const ls = Math.log(y);',
  ];
}

/** Treats a scalar as a one-element vector. */
function atLeast1D(shape: Shape): Shape {
  return shape.length === 0 ? [1] : shape;
}

/** Per-row statistics of `shape` along `axis`: output [outer · inner · 2], the max then log Σ exp(x − max). */
export function rowStatsSpec(shape: Shape, axis: number): KernelSpec {
  const [outer, size, inner] = aroundAxis(atLeast1D(shape), axis);
  const { lines, coords } = unflatten('c', 't', [outer, inner, 2]);
  const src = [
    'const t = this.thread.x + 0.5;',
    ...lines,
    `const base = ${offsetExpr(coords.slice(0, 2), [size * inner, 1])};`,
    ...logSumExpLines(size, inner),
    'y = mx;',
    `if (${coords[2]} == 1) {`,
    '  y = ls;',
    '}',
  ];
  return { source: kernelSource(['a0'], src) };
}

/** softmax (exp(x − mx − ls)) or log-softmax ((x − mx) − ls) from x (a0) and its row statistics (a1). */
export function softmaxApplySpec(shape: Shape, axis: number, log: boolean): KernelSpec {
  const [outer, size, inner] = aroundAxis(atLeast1D(shape), axis);
  const { lines, coords } = unflatten('c', 't', [outer, size, inner]);
  const [co, , ci] = coords;
  const src = [
    'const t = this.thread.x + 0.5;',
    ...lines,
    `const so = ${offsetExpr([co, ci], [2 * inner, 2])};`,
    'const mx = a1[so];',
    'const ls = a1[so + 1];',
    'let y = 0.5;',
    log ? 'y = (a0[this.thread.x] - mx) - ls;' : 'y = Math.exp((a0[this.thread.x] - mx) - ls);',
  ];
  return { source: kernelSource(['a0', 'a1'], src) };
}

/** −log softmax(logits)[i, labels[i]] for logits [N, C] (a0) and labels [N] (a1); C ≥ 1. */
export function softmaxCrossEntropySpec(classes: number): KernelSpec {
  const src = [
    'const row = this.thread.x;',
    `const base = row * ${lit(classes)};`,
    ...logSumExpLines(classes, 1),
    'const label = Math.floor(a1[row] + 0.5);',
    'y = (mx - a0[base + label]) + ls;',
  ];
  return { source: kernelSource(['a0', 'a1'], src) };
}
