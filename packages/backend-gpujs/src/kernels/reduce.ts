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
import {
  type KernelSpec,
  kernelSpec,
  offsetExpr,
  Params,
  paramsOf,
  stridesFor,
  stridesOf,
  THREAD_INDEX,
  unflatten,
} from './codegen.js';

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
 * Lines that loop `r` over [0, `count`) (a float expression) and run `body(r)` (an Integer index
 * expression), blocked so each block's terms go to a partial `part` that is added to `y` (`add`
 * adds a term). At most one blocked loop per kernel: its block counters are kernel-wide names.
 */
export function blockedLoop(
  count: string,
  body: (r: string, add: (term: string) => string) => string[],
): string[] {
  return [
    'let nb = 0.5;',
    `nb = Math.ceil(${count} / ${BLOCK});`,
    'for (let rb = 0; rb < nb; rb++) {',
    '  let part = 0.5;',
    '  part = 0;',
    '  let bl = 0.5;',
    `  bl = ${count} - rb * ${BLOCK};`,
    `  if (bl > ${BLOCK}) {`,
    `    bl = ${BLOCK};`,
    '  }',
    '  for (let rq = 0; rq < bl; rq++) {',
    `    const r = rb * ${BLOCK} + rq;`,
    ...body('r', (term) => `part += ${term};`).map((l) => `    ${l}`),
    '  }',
    '  y += part;',
    '}',
  ];
}

/**
 * Lines that visit the `length` elements (a float expression) of a chunk from `start`: `body(g)`
 * gets the float global index `g` of each element.
 */
export function chunkElements(
  start: string,
  length: string,
  body: (g: string, add: (term: string) => string) => string[],
  blocked: boolean,
): string[] {
  const visit = (r: string, add: (term: string) => string) => [
    'let g = 0.5;',
    `g = ${start} + ${r};`,
    ...body('g', add),
  ];
  if (blocked) return blockedLoop(length, visit);
  return [
    `for (let r = 0; r < ${length}; r++) {`,
    ...visit('r', (term) => `y += ${term};`).map((l) => `  ${l}`),
    '}',
  ];
}

/**
 * Lines declaring the floats `start` (the first element of this thread's chunk, chunk `chunk` of
 * `REDUCE_CHUNK` elements, or 0 when there is one chunk) and `len` (how many elements it holds)
 * of `count` (a float expression).
 */
export function chunkBounds(chunk: string | null, count: string): string[] {
  if (chunk === null) return ['let start = 0.5;', 'start = 0;', 'let len = 0.5;', `len = ${count};`];
  return [
    'let start = 0.5;',
    `start = ${chunk} * ${REDUCE_CHUNK};`,
    'let len = 0.5;',
    `len = ${count} - start;`,
    `if (len > ${REDUCE_CHUNK}) {`,
    `  len = ${REDUCE_CHUNK};`,
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
  const params = new Params();
  const outDims = chunks > 1 ? [...g.keptDims, chunks] : g.keptDims;
  const { lines, coords } = unflatten('c', 't', stridesOf(params, outDims));
  const keptCoords = coords.slice(0, g.keptDims.length);
  const reducedStrides = paramsOf(params, g.reducedStrides);
  const reducedWalk = stridesOf(params, g.reducedDims);
  // Lines computing `name` = the input offset of reduced element `gIndex` (an exact float).
  const read = (name: string, gIndex: string): string[] => {
    if (g.reducedDims.length <= 1)
      return [`const ${name} = ${offsetExpr(['base', gIndex], ['1', reducedStrides[0] ?? '0'])};`];
    const walk = unflatten(`${name}q`, gIndex, reducedWalk);
    return [...walk.lines, `const ${name} = ${offsetExpr(walk.coords, reducedStrides, 'base')};`];
  };
  const src = [
    ...THREAD_INDEX,
    ...lines,
    `const base = ${offsetExpr(keptCoords, paramsOf(params, g.keptStrides))};`,
    ...chunkBounds(chunks > 1 ? coords[coords.length - 1] : null, params.add(count)),
    'let y = 0.5;',
  ];
  if (op === 'sum') {
    src.push('y = 0;', ...chunkElements('start', 'len', (gi, add) => [...read('o', gi), add('a0[o]')], true));
  } else if (op === 'prod') {
    src.push('y = 1;', ...chunkElements('start', 'len', (gi) => [...read('o', gi), 'y *= a0[o];'], false));
  } else {
    // The first NaN wins and stays: `e != e` is true only for NaN, and nothing compares above NaN.
    const cmp = op === 'max' ? '>' : '<';
    src.push(
      ...read('o0', 'start'),
      'y = a0[o0];',
      ...chunkElements(
        'start',
        'len',
        (gi) => [...read('o', gi), 'const e = a0[o];', `if (e ${cmp} y || e != e) {`, '  y = e;', '}'],
        false,
      ),
    );
  }
  return kernelSpec(1, params, src);
}

/**
 * The output coordinates of a pass along the middle axis of [outer, size, inner] over values
 * (`width` 1) or pairs (`width` 2): with `pairsOut` the output is [outer, chunks, inner, 2],
 * otherwise [outer, inner]. Declares `base` (the input offset of the thread's row), `start` and
 * `len` (its chunk) and returns the parameter `innerWidth` (the input stride along the axis) and
 * the pair coordinate (`'0'` without `pairsOut`).
 */
export function alongAxisPass(
  params: Params,
  [outer, size, inner]: readonly [number, number, number],
  width: 1 | 2,
  pairsOut: boolean,
): { lines: string[]; innerWidth: string; pair: string } {
  const dims = pairsOut ? [outer, chunksOf(size), inner, 2] : [outer, inner];
  const { lines, coords } = unflatten('c', 't', stridesOf(params, dims));
  const [outerCoord, innerCoord] = pairsOut ? [coords[0], coords[2]] : coords;
  const innerWidth = params.add(inner * width);
  return {
    lines: [
      ...lines,
      `const base = ${offsetExpr([outerCoord, innerCoord], [params.add(size * inner * width), String(width)])};`,
      ...chunkBounds(pairsOut ? coords[1] : null, params.add(size)),
    ],
    innerWidth,
    pair: pairsOut ? coords[3] : '0',
  };
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
  dims: readonly [number, number, number],
  pairsIn: boolean,
  pairsOut: boolean,
): KernelSpec {
  const params = new Params();
  const pass = alongAxisPass(params, dims, pairsIn ? 2 : 1, pairsOut);
  const cmp = op === 'argmax' ? '>' : '<';
  const value = (g: string) => `a0[base + ${g} * ${pass.innerWidth}]`;
  const index = (g: string) => (pairsIn ? `a0[base + ${g} * ${pass.innerWidth} + 1]` : g);
  const src = [
    ...THREAD_INDEX,
    ...pass.lines,
    `let best = ${value('start')};`,
    'let bi = 0.5;',
    `bi = ${index('start')};`,
    'let y = 0.5;',
    'y = 0;',
    ...chunkElements(
      'start',
      'len',
      (g) => [`const e = ${value(g)};`, `if (e ${cmp} best) {`, '  best = e;', `  bi = ${index(g)};`, '}'],
      false,
    ),
    'y = bi;',
  ];
  if (pairsOut) src.push(`if (${pass.pair} == 0) {`, '  y = best;', '}');
  return kernelSpec(1, params, src);
}
