/** Movement and indexing kernels: transpose, broadcastTo, strided slice, concat, gather, indexAdd. */
import type { Shape } from '@backprop/core';
import {
  elementwiseSpec,
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

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Views `shape` as [outer, shape[axis], inner]. */
export function aroundAxis(shape: Shape, axis: number): [number, number, number] {
  return [product(shape.slice(0, axis)), shape[axis], product(shape.slice(axis + 1))];
}

/** A kernel that reads `a0[offset]` for the output coordinates of `outDims`, `offset` built by `at`. */
function gatherBy(params: Params, outDims: readonly number[], at: (coords: string[]) => string): KernelSpec {
  const { lines, coords } = unflatten('c', 't', stridesOf(params, outDims));
  return kernelSpec(1, params, [
    ...THREAD_INDEX,
    ...lines,
    `const o = ${at(coords)};`,
    'let y = 0.5;',
    'y = a0[o];',
  ]);
}

/**
 * Drops size-1 dims and merges runs of output dims that stay adjacent and in order in the input,
 * so a transpose is written over the fewest dims: returns the merged output dims and, for each,
 * its stride in the input.
 */
function mergeTranspose(shape: Shape, perm: readonly number[]): { dims: number[]; inStrides: number[] } {
  const strides = stridesFor(shape);
  const dims: number[] = [];
  const inStrides: number[] = [];
  let previous = -1;
  for (const p of perm) {
    if (shape[p] === 1) continue;
    // Adjacent: p follows the previous kept dim in the input, past size-1 dims only.
    if (dims.length > 0 && p > previous && shape.slice(previous + 1, p).every((s) => s === 1)) {
      dims[dims.length - 1] *= shape[p];
      inStrides[inStrides.length - 1] = strides[p];
    } else {
      dims.push(shape[p]);
      inStrides.push(strides[p]);
    }
    previous = p;
  }
  return { dims, inStrides };
}

export function transposeSpec(shape: Shape, perm: readonly number[]): KernelSpec {
  const { dims, inStrides } = mergeTranspose(shape, perm);
  const params = new Params();
  return gatherBy(params, dims, (coords) => offsetExpr(coords, paramsOf(params, inStrides)));
}

export function broadcastSpec(shape: Shape, outShape: Shape): KernelSpec {
  return elementwiseSpec(outShape, [shape], ([v]) => [`y = ${v};`]);
}

export function sliceSpec(
  shape: Shape,
  begin: readonly number[],
  step: readonly number[],
  outShape: Shape,
): KernelSpec {
  const strides = stridesFor(shape);
  const base = begin.reduce((s, b, d) => s + b * strides[d], 0);
  const kept = outShape.flatMap((size, d) => (size === 1 ? [] : [d]));
  const params = new Params();
  return gatherBy(
    params,
    kept.map((d) => outShape[d]),
    (coords) =>
      offsetExpr(
        coords,
        paramsOf(
          params,
          kept.map((d) => step[d] * strides[d]),
        ),
        params.expr(base),
      ),
  );
}

/** Joins non-empty inputs (at most a few, one texture unit each on GL) along `axis`. */
export function concatSpec(shapes: readonly Shape[], axis: number): KernelSpec {
  const [outer, , inner] = aroundAxis(shapes[0], axis);
  const sizes = shapes.map((s) => s[axis]);
  const total = sizes.reduce((a, b) => a + b, 0);
  const params = new Params();
  const { lines, coords } = unflatten('c', 't', stridesOf(params, [outer, total, inner]));
  const [co, cc, ci] = coords;
  const innerParam = params.expr(inner);
  const src = [...THREAD_INDEX, ...lines, 'let y = 0.5;'];
  let start = 0;
  shapes.forEach((_, k) => {
    const end = start + sizes[k];
    const offset = offsetExpr(
      [co, cc, ci],
      [params.expr(sizes[k] * inner), innerParam, '1'],
      params.expr(-start * inner),
    );
    const read = `  y = a${k}[${offset}];`;
    const below = k < shapes.length - 1 ? `${cc} < ${params.add(end)}` : '';
    if (k === 0) src.push(...(shapes.length === 1 ? [read.trim()] : [`if (${below}) {`, read]));
    else if (k === shapes.length - 1) src.push('} else {', read, '}');
    else src.push(`} else if (${below}) {`, read);
    start = end;
  });
  return kernelSpec(shapes.length, params, src);
}

/** Entries of `shape` along `axis` at the `count` indices in a1. */
export function gatherSpec(shape: Shape, axis: number, count: number): KernelSpec {
  const [outer, size, inner] = aroundAxis(shape, axis);
  const params = new Params();
  const { lines, coords } = unflatten('c', 't', stridesOf(params, [outer, count, inner]));
  const [co, cj, ci] = coords;
  const src = [
    ...THREAD_INDEX,
    ...lines,
    `const ix = Math.floor(a1[${cj}] + 0.5);`,
    `const o = ${offsetExpr([co, 'ix', ci], paramsOf(params, [size * inner, inner, 1]))};`,
    'let y = 0.5;',
    'y = a0[o];',
  ];
  return kernelSpec(2, params, src);
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
  const params = new Params();
  const { lines, coords } = unflatten('c', 't', stridesOf(params, [outer, size, inner]));
  const [co, ca, ci] = coords;
  const innerParam = params.expr(inner);
  const first = params.expr(start);
  const src = [
    ...THREAD_INDEX,
    ...lines,
    'let y = 0.5;',
    'y = a0[this.thread.x];',
    `const sb = ${offsetExpr([co, ci, first], [params.add(count * inner), '1', innerParam])};`,
    `for (let j = 0; j < ${params.add(length)}; j++) {`,
    `  if (Math.floor(a1[${first === '0' ? 'j' : `j + ${first}`}] + 0.5) == ${ca}) {`,
    `    y += a2[sb + ${offsetExpr(['j'], [innerParam])}];`,
    '  }',
    '}',
  ];
  return kernelSpec(3, params, src);
}
