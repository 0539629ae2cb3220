/**
 * Reductions (sum, prod, max, min over any set of axes) and argmax/argmin. One output element per
 * thread, looping over the reduced elements; sums accumulate in blocks of 64 (a partial sum per
 * block, then the partials), which keeps float32 error close to pairwise summation's.
 */
import type { ArgReduceOp, ReduceOp, Shape } from '@backprop/core';
import type { KernelSpec } from '../kernel-cache.js';
import { kernelSource, lit, offsetExpr, stridesFor, unflatten } from './codegen.js';

const BLOCK = 64;

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

/** Lines computing `name` = the input offset of reduced element `r` (an Integer expression) past `base`. */
function reducedOffset(name: string, r: string, g: Grouped): string[] {
  if (g.reducedDims.length === 0) return [`const ${name} = base;`];
  if (g.reducedDims.length === 1) return [`const ${name} = base + ${r} * ${lit(g.reducedStrides[0])};`];
  const { lines, coords } = unflatten('q', 'rt', g.reducedDims);
  return [
    `const rt = ${r} + 0.5;`,
    ...lines,
    `const ${name} = base + ${offsetExpr(coords, g.reducedStrides)};`,
  ];
}

/** Reduces `x` of `shape` over `axes` (each reduced count ≥ 1; empty inputs are handled by the backend). */
export function reduceSpec(op: ReduceOp, shape: Shape, axes: readonly number[]): KernelSpec {
  const g = group(shape, axes);
  const count = g.reducedDims.reduce((a, b) => a * b, 1);
  const { lines, coords } = unflatten('c', 't', g.keptDims);
  const src = [
    'const t = this.thread.x + 0.5;',
    ...lines,
    `const base = ${offsetExpr(coords, g.keptStrides)};`,
    'let y = 0.5;',
  ];
  if (op === 'sum') {
    src.push('y = 0;', ...blockedLoop(count, (r, add) => [...reducedOffset('o', r, g), add('a0[o]')]));
  } else if (op === 'prod') {
    src.push(
      'y = 1;',
      `for (let r = 0; r < ${count}; r++) {`,
      ...reducedOffset('o', 'r', g).map((l) => `  ${l}`),
      '  y *= a0[o];',
      '}',
    );
  } else {
    // The first NaN wins and stays: `e != e` is true only for NaN, and nothing compares above NaN.
    const cmp = op === 'max' ? '>' : '<';
    src.push('y = a0[base];');
    if (count > 1) {
      src.push(
        `for (let r = 1; r < ${count}; r++) {`,
        ...reducedOffset('o', 'r', g).map((l) => `  ${l}`),
        '  const e = a0[o];',
        `  if (e ${cmp} y || e != e) {`,
        '    y = e;',
        '  }',
        '}',
      );
    }
  }
  return { source: kernelSource(['a0'], src) };
}

/** Index of the first maximum/minimum along `axis` (size ≥ 1). */
export function argReduceSpec(op: ArgReduceOp, shape: Shape, axis: number): KernelSpec {
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const size = shape[axis];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const { lines, coords } = unflatten('c', 't', [outer, inner]);
  const cmp = op === 'argmax' ? '>' : '<';
  const src = [
    'const t = this.thread.x + 0.5;',
    ...lines,
    `const base = ${offsetExpr(coords, [size * inner, 1])};`,
    'let best = a0[base];',
    'let y = 0.5;',
    'y = 0;',
  ];
  if (size > 1) {
    src.push(
      `for (let k = 1; k < ${size}; k++) {`,
      `  const e = a0[base + k * ${lit(inner)}];`,
      `  if (e ${cmp} best) {`,
      '    best = e;',
      '    const kf = k + 0.5;',
      '    y = kf - 0.5;',
      '  }',
      '}',
    );
  }
  return { source: kernelSource(['a0'], src) };
}
