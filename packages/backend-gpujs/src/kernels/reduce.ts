/**
 * Reductions (sum, prod, max, min over any set of axes) and argmax/argmin.
 *
 * One output element per thread, looping over at most `REDUCE_CHUNK` reduced elements: longer
 * reductions run in passes (each thread reduces one chunk to a partial, the partials are reduced
 * again), a tree of fan-out `REDUCE_CHUNK`. The bound is what keeps the GL modes right: Mesa's
 * llvmpipe (headless-gl's software GL, and the fallback of many CI and VM machines) ends every
 * shader invocation's loops after 65,535 iterations in all, silently. Within a chunk, sums
 * accumulate in blocks of 64 (a partial per block, then the partials), so a sum of n terms adds
 * rounding over about 64 + 64 + n / 4096 terms instead of n: as accurate as a pairwise sum.
 */
import type { ArgReduceOp, ReduceOp, Shape } from '@backprop/core';
import type { KernelSpec } from '../kernel-cache.js';
import { kernelSource, lit, offsetExpr, stridesFor, THREAD_INDEX, unflatten } from './codegen.js';

const BLOCK = 64;

/**
 * The most elements one thread reduces in one pass (and the fan-out of the reduction tree). A
 * thread's loop iterations stay far below llvmpipe's 65,535 per invocation even for the kernels
 * with two loops over a chunk (softmax statistics).
 */
export const REDUCE_CHUNK = 4096;

/** Number of chunks (partials) a reduction of `count` elements needs. */
export function chunksOf(count: number): number {
  return Math.ceil(count / REDUCE_CHUNK);
}

/**
 * Lines that loop `r` over [0, count) and run `body(r)` (an Integer index expression), blocked so
 * each block's terms go to a partial `part` that is added to `y` (`accumulate` adds a term).
 */
export function blockedLoop(
  count: number,
  body: (r: string, add: (term: string) => string) => string[],
): string[] {
  if (count <= BLOCK) {
    return [
      `for (let r = 0; r < ${count}; r++) {`,
      ...body('r', (term) => `y += ${term};`).map((l) => `  ${l}`),
      '}',
    ];
  }
  const blocks = Math.ceil(count / BLOCK);
  const ragged = count % BLOCK !== 0;
  const inner = body('r', (term) => `part += ${term};`).map((l) => `${ragged ? '      ' : '    '}${l}`);
  return [
    `for (let rb = 0; rb < ${blocks}; rb++) {`,
    '  let part = 0.5;',
    '  part = 0;',
    `  for (let rq = 0; rq < ${BLOCK}; rq++) {`,
    `    const r = rb * ${BLOCK} + rq;`,
    ...(ragged ? [`    if (r < ${count}) {`, ...inner, '    }'] : inner),
    '  }',
    '  y += part;',
    '}',
  ];
}

/**
 * Lines that visit the elements [`start`, `start` + `length`) of a chunk that may run past `count`
 * (the last chunk): `body(g)` gets the float global index `g` of each element.
 */
export function chunkElements(
  start: string,
  length: number,
  count: number,
  body: (g: string, add: (term: string) => string) => string[],
  blocked: boolean,
): string[] {
  const ragged = count % length !== 0;
  const visit = (r: string, add: (term: string) => string) => {
    const inner = body('g', add);
    return [
      'let g = 0.5;',
      `g = ${start} + ${r};`,
      ...(ragged ? [`if (g < ${count}) {`, ...inner.map((l) => `  ${l}`), '}'] : inner),
    ];
  };
  if (blocked) return blockedLoop(length, visit);
  return [
    `for (let r = 0; r < ${length}; r++) {`,
    ...visit('r', (term) => `y += ${term};`).map((l) => `  ${l}`),
    '}',
  ];
}

interface Grouped {
  keptDims: number[];
  keptStrides: number[];
  reducedDims: number[];
  reducedStrides: number[];
}

/** Merges adjacent dims of the same kind (kept or reduced) and drops size-1 dims. */
function group(shape: Shape, axes: readonly number[]): Grouped {
  const dims: number[] = [];
  const reduced: boolean[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const isReduced = axes.includes(d);
    if (reduced.length > 0 && reduced[reduced.length - 1] === isReduced) dims[dims.length - 1] *= shape[d];
    else {
      dims.push(shape[d]);
      reduced.push(isReduced);
    }
  }
  const strides = stridesFor(dims);
  const out: Grouped = { keptDims: [], keptStrides: [], reducedDims: [], reducedStrides: [] };
  dims.forEach((d, i) => {
    if (reduced[i]) {
      out.reducedDims.push(d);
      out.reducedStrides.push(strides[i]);
    } else {
      out.keptDims.push(d);
      out.keptStrides.push(strides[i]);
    }
  });
  return out;
}

/** Number of elements each output of `reduce(shape, axes)` folds. */
export function reducedCount(shape: Shape, axes: readonly number[]): number {
  return axes.reduce((n, a) => n * (shape[a] ?? 1), 1);
}

/** Lines computing `name` = the input offset of reduced element `g` (an exact float) past `base`. */
function reducedOffset(name: string, g: string, grouped: Grouped): string[] {
  if (grouped.reducedDims.length === 0) return [`const ${name} = base;`];
  if (grouped.reducedDims.length === 1)
    return [`const ${name} = base + ${g} * ${lit(grouped.reducedStrides[0])};`];
  const { lines, coords } = unflatten(`${name}q`, g, grouped.reducedDims);
  return [...lines, `const ${name} = base + ${offsetExpr(coords, grouped.reducedStrides)};`];
}

/**
 * Reduces `x` of `shape` over `axes` (each reduced count ≥ 1; empty inputs are handled by the
 * backend). With more than `REDUCE_CHUNK` reduced elements the kernel is the first pass: its
 * output is [kept elements, chunks] (the chunk fastest), one partial per chunk, which the backend
 * reduces again with the same op.
 */
export function reduceSpec(op: ReduceOp, shape: Shape, axes: readonly number[]): KernelSpec {
  const g = group(shape, axes);
  const count = g.reducedDims.reduce((a, b) => a * b, 1);
  const chunks = chunksOf(count);
  const length = Math.min(count, REDUCE_CHUNK);
  const { lines, coords } = unflatten('c', 't', [...g.keptDims, chunks]);
  const chunk = coords[coords.length - 1];
  const src = [
    ...THREAD_INDEX,
    ...lines,
    `const base = ${offsetExpr(coords.slice(0, -1), g.keptStrides)};`,
    'let start = 0.5;',
    `start = ${chunk === '0' ? '0' : `${chunk} * ${REDUCE_CHUNK}`};`,
    'let y = 0.5;',
  ];
  const read = (gIndex: string) => reducedOffset('o', gIndex, g);
  if (op === 'sum') {
    src.push(
      'y = 0;',
      ...chunkElements('start', length, count, (gi, add) => [...read(gi), add('a0[o]')], true),
    );
  } else if (op === 'prod') {
    src.push('y = 1;', ...chunkElements('start', length, count, (gi) => [...read(gi), 'y *= a0[o];'], false));
  } else {
    // The first NaN wins and stays: `e != e` is true only for NaN, and nothing compares above NaN.
    const cmp = op === 'max' ? '>' : '<';
    src.push(
      ...reducedOffset('o0', 'start', g),
      'y = a0[o0];',
      ...chunkElements(
        'start',
        length,
        count,
        (gi) => [...read(gi), 'const e = a0[o];', `if (e ${cmp} y || e != e) {`, '  y = e;', '}'],
        false,
      ),
    );
  }
  return { source: kernelSource(['a0'], src) };
}

/**
 * One pass of argmax/argmin along the middle axis of [outer, size, inner]. The input is the values
 * (`pairsIn` false: an element's index is its position) or the (value, index) pairs of a previous
 * pass ([outer, size, inner, 2]). Each thread takes the first best of one chunk of at most
 * `REDUCE_CHUNK` entries; with `pairsOut` the output is the (value, index) pair per chunk,
 * [outer, chunks, inner, 2], otherwise (one chunk) the index alone, [outer, inner]. Ties keep the
 * earliest entry, within a chunk and across chunks (strict comparisons, chunks in order).
 */
export function argReduceSpec(
  op: ArgReduceOp,
  [outer, size, inner]: readonly [number, number, number],
  pairsIn: boolean,
  pairsOut: boolean,
): KernelSpec {
  const chunks = chunksOf(size);
  const length = Math.min(size, REDUCE_CHUNK);
  const width = pairsIn ? 2 : 1;
  const { lines, coords } = unflatten('c', 't', pairsOut ? [outer, chunks, inner, 2] : [outer, inner]);
  const [co, ck, ci, cp] = pairsOut ? coords : [coords[0], '0', coords[1], '0'];
  const cmp = op === 'argmax' ? '>' : '<';
  const value = (g: string) => `a0[base + ${g} * ${lit(inner * width)}]`;
  const index = (g: string) => (pairsIn ? `a0[base + ${g} * ${lit(inner * width)} + 1]` : g);
  const src = [
    ...THREAD_INDEX,
    ...lines,
    `const base = ${offsetExpr([co, ci], [size * inner * width, width])};`,
    'let start = 0.5;',
    `start = ${ck === '0' ? '0' : `${ck} * ${REDUCE_CHUNK}`};`,
    `let best = ${value('start')};`,
    'let bi = 0.5;',
    `bi = ${index('start')};`,
    'let y = 0.5;',
    'y = 0;',
  ];
  if (length > 1) {
    src.push(
      ...chunkElements(
        'start',
        length,
        size,
        (g) => [`const e = ${value(g)};`, `if (e ${cmp} best) {`, '  best = e;', `  bi = ${index(g)};`, '}'],
        false,
      ),
    );
  }
  src.push('y = bi;');
  if (pairsOut) src.push(`if (${cp} == 0) {`, '  y = best;', '}');
  return { source: kernelSource(['a0'], src) };
}
