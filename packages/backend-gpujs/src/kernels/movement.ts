/** Movement and indexing kernels: transpose, broadcastTo, strided slice, concat, gather, indexAdd. */
import type { Shape } from '@backprop/core';
import type { KernelSpec } from '../kernel-cache.js';
import {
  elementwiseSource,
  kernelSource,
  lit,
  offsetExpr,
  stridesFor,
  THREAD_INDEX,
  unflatten,
} from './codegen.js';

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Views `shape` as [outer, shape[axis], inner]. */
export function aroundAxis(shape: Shape, axis: number): [number, number, number] {
  return [product(shape.slice(0, axis)), shape[axis], product(shape.slice(axis + 1))];
}

export function transposeSpec(shape: Shape, perm: readonly number[]): KernelSpec {
  const outShape = perm.map((p) => shape[p]);
  const inStrides = stridesFor(shape);
  const { lines, coords } = unflatten('c', 't', outShape);
  const src = [
    ...THREAD_INDEX,
    ...lines,
    `const o = ${offsetExpr(
      coords,
      perm.map((p) => inStrides[p]),
    )};`,
    'let y = 0.5;',
    'y = a0[o];',
  ];
  return { source: kernelSource(['a0'], src) };
}

export function broadcastSpec(shape: Shape, outShape: Shape): KernelSpec {
  return { source: elementwiseSource(outShape, [shape], ([v]) => [`y = ${v};`]) };
}

export function sliceSpec(
  shape: Shape,
  begin: readonly number[],
  step: readonly number[],
  outShape: Shape,
): KernelSpec {
  const strides = stridesFor(shape);
  const base = begin.reduce((s, b, d) => s + b * strides[d], 0);
  const { lines, coords } = unflatten('c', 't', outShape);
  const src = [
    ...THREAD_INDEX,
    ...lines,
    `const o = ${offsetExpr(
      coords,
      step.map((s, d) => s * strides[d]),
      base,
    )};`,
    'let y = 0.5;',
    'y = a0[o];',
  ];
  return { source: kernelSource(['a0'], src) };
}

/** Joins non-empty inputs (at most a few, one texture unit each on GL) along `axis`. */
export function concatSpec(shapes: readonly Shape[], axis: number): KernelSpec {
  const [outer, , inner] = aroundAxis(shapes[0], axis);
  const sizes = shapes.map((s) => s[axis]);
  const total = sizes.reduce((a, b) => a + b, 0);
  const { lines, coords } = unflatten('c', 't', [outer, total, inner]);
  const [co, cc, ci] = coords;
  const src = [...THREAD_INDEX, ...lines, 'let y = 0.5;'];
  let start = 0;
  shapes.forEach((_, k) => {
    const end = start + sizes[k];
    const offset = offsetExpr([co, cc, ci], [sizes[k] * inner, inner, 1], -start * inner);
    const read = `  y = a${k}[${offset}];`;
    if (k === 0)
      src.push(
        shapes.length === 1 ? read.trim() : `if (${cc} < ${end}) {`,
        ...(shapes.length === 1 ? [] : [read]),
      );
    else if (k === shapes.length - 1) src.push('} else {', read, '}');
    else src.push(`} else if (${cc} < ${end}) {`, read);
    start = end;
  });
  return {
    source: kernelSource(
      shapes.map((_, k) => `a${k}`),
      src,
    ),
  };
}

/** Entries of `shape` along `axis` at the `count` indices in a1. */
export function gatherSpec(shape: Shape, axis: number, count: number): KernelSpec {
  const [outer, size, inner] = aroundAxis(shape, axis);
  const { lines, coords } = unflatten('c', 't', [outer, count, inner]);
  const [co, cj, ci] = coords;
  const src = [
    ...THREAD_INDEX,
    ...lines,
    `const ix = Math.floor(a1[${cj}] + 0.5);`,
    `const o = ${offsetExpr([co, 'ix', ci], [size * inner, inner, 1])};`,
    'let y = 0.5;',
    'y = a0[o];',
  ];
  return { source: kernelSource(['a0', 'a1'], src) };
}

/**
 * `x` (a0) with slice j of `source` (a2) along `axis` added into slice `indices[j]` (a1), for j in
 * [`start`, `start` + `length`) of the `count` indices. Written gather-style: each output element
 * loops over the indices and sums the slices that land on it, in index order, so repeated indices
 * accumulate without atomics. The backend passes at most `REDUCE_CHUNK` indices per kernel (the
 * GL loop limit) and chains the kernels.
 */
export function indexAddSpec(
  shape: Shape,
  axis: number,
  count: number,
  start = 0,
  length = count,
): KernelSpec {
  const [outer, size, inner] = aroundAxis(shape, axis);
  const { lines, coords } = unflatten('c', 't', [outer, size, inner]);
  const [co, ca, ci] = coords;
  const src = [
    ...THREAD_INDEX,
    ...lines,
    'let y = 0.5;',
    `y = a0[${offsetExpr([co, ca, ci], [size * inner, inner, 1])}];`,
    `const sb = ${offsetExpr([co, ci], [count * inner, 1], start * inner)};`,
    `for (let j = 0; j < ${length}; j++) {`,
    `  if (Math.floor(a1[${start === 0 ? 'j' : `j + ${start}`}] + 0.5) == ${ca}) {`,
    `    y += a2[sb + j * ${lit(inner)}];`,
    '  }',
    '}',
  ];
  return { source: kernelSource(['a0', 'a1', 'a2'], src) };
}
