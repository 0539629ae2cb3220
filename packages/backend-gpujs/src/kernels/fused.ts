/**
 * Fused softmax / log-softmax (a per-row log-sum-exp, in passes for rows longer than
 * `REDUCE_CHUNK`, then one elementwise pass) and
 * softmax cross-entropy (one kernel per row). Stable for large logits: the row maximum is
 * subtracted before exponentiating.
 */
import type { Shape } from '@backprop/core';
import {
  type KernelSpec,
  kernelSpec,
  offsetExpr,
  Params,
  stridesOf,
  THREAD_INDEX,
  unflatten,
} from './codegen.js';
import { aroundAxis } from './movement.js';
import { alongAxisPass, blockedLoop, chunkElements } from './reduce.js';

/**
 * Lines setting `mx` = the maximum and `ls` = log Σ exp(x − mx) over `count` (a float expression,
 * at least 1) elements `a0[base + r]`. Kept apart (not as mx + ls) so large logits keep their
 * precision.
 */
function logSumExpLines(count: string): string[] {
  return [
    'let mx = a0[base];',
    `for (let r = 1; r < ${count}; r++) {`,
    '  const e = a0[base + r];',
    '  if (e > mx || e != e) {',
    '    mx = e;',
    '  }',
    '}',
    'let y = 0.5;',
    'y = 0;',
    ...blockedLoop(count, (r, add) => [add(`Math.exp(a0[base + ${r}] - mx)`)]),
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
export function rowStatsSpec(dims: readonly [number, number, number], pairsIn: boolean): KernelSpec {
  const params = new Params();
  const pass = alongAxisPass(params, dims, pairsIn ? 2 : 1, true);
  const at = (g: string, field = 0) => `a0[base + ${g} * ${pass.innerWidth}${field ? ' + 1' : ''}]`;
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
    ...pass.lines,
    `let mx = ${at('start')};`,
    ...chunkElements(
      'start',
      'len',
      (g) => [`const e = ${at(g)};`, 'if (e > mx || e != e) {', '  mx = e;', '}'],
      false,
    ),
    'let y = 0.5;',
    'y = 0;',
    ...chunkElements('start', 'len', term, true),
    'const ls = Math.log(y);',
    'y = mx;',
    `if (${pass.pair} == 1) {`,
    '  y = ls;',
    '}',
  ];
  return kernelSpec(1, params, src);
}

/** softmax (exp(x − mx − ls)) or log-softmax ((x − mx) − ls) from x (a0) and its row statistics (a1). */
export function softmaxApplySpec(shape: Shape, axis: number, log: boolean): KernelSpec {
  const [outer, size, inner] = softmaxDims(shape, axis);
  const params = new Params();
  const { lines, coords } = unflatten('c', 't', stridesOf(params, [outer, size, inner]));
  const [co, , ci] = coords;
  const src = [
    ...THREAD_INDEX,
    ...lines,
    `const so = ${offsetExpr([co, ci], [params.add(2 * inner), '2'])};`,
    'const mx = a1[so];',
    'const ls = a1[so + 1];',
    'let y = 0.5;',
    log ? 'y = (a0[this.thread.x] - mx) - ls;' : 'y = Math.exp((a0[this.thread.x] - mx) - ls);',
  ];
  return kernelSpec(2, params, src);
}

/** −log softmax(logits)[i, labels[i]] for logits [N, C] (a0) and labels [N] (a1); 1 ≤ C ≤ `REDUCE_CHUNK`. */
export function softmaxCrossEntropySpec(classes: number): KernelSpec {
  const params = new Params();
  const c = params.add(classes);
  const src = [
    'const row = this.thread.x;',
    `const base = row * ${c};`,
    ...logSumExpLines(c),
    'const label = Math.floor(a1[row] + 0.5);',
    'y = (mx - a0[base + label]) + ls;',
  ];
  return kernelSpec(2, params, src);
}

/**
 * −log softmax(logits)[i, labels[i]] from logits [N, C] (a0), labels [N] (a1) and the rows'
 * statistics [N, 2] (a2, from `rowStatsSpec`): the form for C above `REDUCE_CHUNK`.
 */
export function softmaxCrossEntropyFromStatsSpec(classes: number): KernelSpec {
  const params = new Params();
  const src = [
    'const row = this.thread.x;',
    'const label = Math.floor(a1[row] + 0.5);',
    'let y = 0.5;',
    `y = (a2[row * 2] - a0[row * ${params.add(classes)} + label]) + a2[row * 2 + 1];`,
  ];
  return kernelSpec(3, params, src);
}
