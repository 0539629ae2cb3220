/**
 * Fused softmax / log-softmax (a per-row log-sum-exp, in passes for rows longer than
 * `REDUCE_CHUNK`, then one elementwise pass) and
 * softmax cross-entropy (one kernel per row). Stable for large logits: the row maximum is
 * subtracted before exponentiating.
 */
import type { Shape } from '@backprop/core';
import type { KernelSpec } from '../kernel-cache.js';
import { kernelSource, lit, offsetExpr, THREAD_INDEX, unflatten } from './codegen.js';
import { aroundAxis } from './movement.js';
import { blockedLoop, chunkElements, chunksOf, REDUCE_CHUNK } from './reduce.js';

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

/** [outer, size, inner] around `axis` (a scalar is a one-element vector). */
export function softmaxDims(shape: Shape, axis: number): [number, number, number] {
  return aroundAxis(atLeast1D(shape), axis);
}

/**
 * One pass of the per-row statistics along the middle axis of [outer, size, inner]: output
 * [outer, chunks, inner, 2], per chunk of at most `REDUCE_CHUNK` entries the maximum `m` and
 * log Σ exp(x − m). The input is the values, or (`pairsIn`) the (m, l) pairs of a previous pass,
 * which merge as m = max mᵢ, l = log Σ exp(lᵢ + mᵢ − m); a chunk whose maximum lies more than 200
 * below m adds nothing (exp underflows there), which also keeps an all −∞ chunk from adding NaN.
 * With one chunk the output is what the softmax kernels read: [outer, inner, 2].
 */
export function rowStatsSpec(
  [outer, size, inner]: readonly [number, number, number],
  pairsIn: boolean,
): KernelSpec {
  const chunks = chunksOf(size);
  const length = Math.min(size, REDUCE_CHUNK);
  const width = pairsIn ? 2 : 1;
  const { lines, coords } = unflatten('c', 't', [outer, chunks, inner, 2]);
  const [co, ck, ci, cp] = coords;
  const at = (g: string, field = 0) => `a0[base + ${g} * ${lit(inner * width)}${field ? ' + 1' : ''}]`;
  const visit = (body: (g: string, add: (term: string) => string) => string[], blocked: boolean) =>
    chunkElements('start', length, size, body, blocked);
  const term = pairsIn
    ? (g: string, add: (t: string) => string) => [
        `const mc = ${at(g)};`,
        `const lc = ${at(g, 1)};`,
        'let w = 0.5;',
        'w = 0;',
        'if (mc == mx) {',
        '  w = Math.exp(lc);',
        '} else if (mc - mx > -200) {',
        '  w = Math.exp(lc + (mc - mx));',
        '} else if (mc - mx != mc - mx) {',
        '  w = mc - mx;',
        '}',
        add('w'),
      ]
    : (g: string, add: (t: string) => string) => [add(`Math.exp(${at(g)} - mx)`)];
  const src = [
    ...THREAD_INDEX,
    ...lines,
    `const base = ${offsetExpr([co, ci], [size * inner * width, width])};`,
    'let start = 0.5;',
    `start = ${ck === '0' ? '0' : `${ck} * ${REDUCE_CHUNK}`};`,
    `let mx = ${at('start')};`,
    ...visit((g) => [`const e = ${at(g)};`, 'if (e > mx || e != e) {', '  mx = e;', '}'], false),
    'let y = 0.5;',
    'y = 0;',
    ...visit(term, true),
    'const ls = Math.log(y);',
    'y = mx;',
    `if (${cp} == 1) {`,
    '  y = ls;',
    '}',
  ];
  return { source: kernelSource(['a0'], src) };
}

/** softmax (exp(x − mx − ls)) or log-softmax ((x − mx) − ls) from x (a0) and its row statistics (a1). */
export function softmaxApplySpec(shape: Shape, axis: number, log: boolean): KernelSpec {
  const [outer, size, inner] = softmaxDims(shape, axis);
  const { lines, coords } = unflatten('c', 't', [outer, size, inner]);
  const [co, , ci] = coords;
  const src = [
    ...THREAD_INDEX,
    ...lines,
    `const so = ${offsetExpr([co, ci], [2 * inner, 2])};`,
    'const mx = a1[so];',
    'const ls = a1[so + 1];',
    'let y = 0.5;',
    log ? 'y = (a0[this.thread.x] - mx) - ls;' : 'y = Math.exp((a0[this.thread.x] - mx) - ls);',
  ];
  return { source: kernelSource(['a0', 'a1'], src) };
}

/** −log softmax(logits)[i, labels[i]] for logits [N, C] (a0) and labels [N] (a1); 1 ≤ C ≤ `REDUCE_CHUNK`. */
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

/**
 * −log softmax(logits)[i, labels[i]] from logits [N, C] (a0), labels [N] (a1) and the rows'
 * statistics [N, 2] (a2, from `rowStatsSpec`): the form for C above `REDUCE_CHUNK`.
 */
export function softmaxCrossEntropyFromStatsSpec(classes: number): KernelSpec {
  const src = [
    'const row = this.thread.x;',
    'const label = Math.floor(a1[row] + 0.5);',
    'let y = 0.5;',
    `y = (a2[row * 2] - a0[row * ${lit(classes)} + label]) + a2[row * 2 + 1];`,
  ];
  return { source: kernelSource(['a0', 'a1', 'a2'], src) };
}
