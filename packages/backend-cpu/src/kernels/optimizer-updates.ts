/**
 * The fused optimizer updates: one pass over a parameter instead of two to eight elementwise
 * kernels, each with its own output array. Every intermediate is rounded to float32 (`fround`),
 * and every scalar first, as the composition's scalar tensors are, so the result is the
 * composition's bit for bit.
 */
import type { AdamUpdateScalars, SgdMomentumScalars, SgdScalars } from '@backprop/core';
import type { Allocate } from '../recycler.js';
import { type SimdHere, simdHere } from './simd-here.js';

const f = Math.fround;

/**
 * Parameters from this many elements take the SIMD module's updates (simd-module.ts): below it,
 * copying the operands into its memory and the results out costs more than the JavaScript loops.
 */
const SIMD_UPDATE_MIN = 1024;

/** The SIMD module on this thread when it has one and `n` elements are worth its copies. */
function simdFor(n: number) {
  return n >= SIMD_UPDATE_MIN ? simdHere() : null;
}

/**
 * The module's memory with `arrays` copied in one after another (the update runs there in place),
 * and a reader of the i-th back out into a new array.
 */
function stage(simd: SimdHere, arrays: Float32Array[], alloc: Allocate) {
  const n = arrays[0].length;
  const heap = simd.heap(arrays.length * n);
  for (const [i, array] of arrays.entries()) heap.set(array, i * n);
  return {
    at: (i: number) => 4 * i * n,
    out: (i: number) => {
      const next = alloc('float32', n) as Float32Array;
      next.set(heap.subarray(i * n, (i + 1) * n));
      return next;
    },
  };
}

/**
 * The new param of a plain SGD step (core's `sgdUpdate`): four lanes at a time in the SIMD module
 * where there is one (about 5× the JavaScript loop on the MLP's 100k weights, copies included).
 */
export function sgdKernel(
  param: Float32Array,
  grad: Float32Array,
  scalars: SgdScalars,
  alloc: Allocate,
): Float32Array {
  const n = param.length;
  const lr = f(scalars.lr);
  const simd = simdFor(n);
  if (simd) {
    const staged = stage(simd, [param, grad], alloc);
    simd.sgd(staged.at(0), staged.at(1), n, lr);
    return staged.out(0);
  }
  const next = alloc('float32', n) as Float32Array;
  for (let i = 0; i < n; i++) next[i] = param[i] - f(grad[i] * lr);
  return next;
}

/** New [param, momentumBuffer] of an SGD-with-momentum step (core's `sgdMomentumUpdate`). */
export function sgdMomentumKernel(
  param: Float32Array,
  grad: Float32Array,
  buffer: Float32Array,
  scalars: SgdMomentumScalars,
  alloc: Allocate,
): [Float32Array, Float32Array] {
  const n = param.length;
  const [lr, momentum, keep] = [f(scalars.lr), f(scalars.momentum), f(1 - scalars.dampening)];
  const simd = simdFor(n);
  if (simd) {
    const staged = stage(simd, [param, grad, buffer], alloc);
    const update = scalars.nesterov ? simd.sgdNesterov : simd.sgdMomentum;
    update(staged.at(0), staged.at(1), staged.at(2), n, lr, momentum, keep);
    return [staged.out(0), staged.out(2)];
  }
  const nextParam = alloc('float32', n) as Float32Array;
  const nextBuffer = alloc('float32', n) as Float32Array;
  if (scalars.nesterov) {
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const b = f(f(buffer[i] * momentum) + f(g * keep));
      nextBuffer[i] = b;
      nextParam[i] = param[i] - f(f(g + f(b * momentum)) * lr);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const b = f(f(buffer[i] * momentum) + f(grad[i] * keep));
      nextBuffer[i] = b;
      nextParam[i] = param[i] - f(b * lr);
    }
  }
  return [nextParam, nextBuffer];
}

/** New [param, expAvg, expAvgSq] of an Adam step (core's `adamUpdate`). */
export function adamKernel(
  param: Float32Array,
  grad: Float32Array,
  expAvg: Float32Array,
  expAvgSq: Float32Array,
  scalars: AdamUpdateScalars,
  alloc: Allocate,
): [Float32Array, Float32Array, Float32Array] {
  const n = param.length;
  const oneMinusBeta1 = f(1 - scalars.beta1);
  const beta2 = f(scalars.beta2);
  const oneMinusBeta2 = f(1 - scalars.beta2);
  const correction2 = f(scalars.biasCorrection2Sqrt);
  const eps = f(scalars.eps);
  const stepSize = f(scalars.stepSize);
  const simd = simdFor(n);
  if (simd) {
    const staged = stage(simd, [param, grad, expAvg, expAvgSq], alloc);
    const [p, g, m, v] = [0, 1, 2, 3].map(staged.at);
    simd.adam(p, g, m, v, n, oneMinusBeta1, beta2, oneMinusBeta2, correction2, eps, stepSize);
    return [staged.out(0), staged.out(2), staged.out(3)];
  }
  const nextParam = alloc('float32', n) as Float32Array;
  const nextAvg = alloc('float32', n) as Float32Array;
  const nextAvgSq = alloc('float32', n) as Float32Array;
  for (let i = 0; i < n; i++) {
    const g = grad[i];
    const mOld = expAvg[i];
    const m = f(mOld + f(f(g - mOld) * oneMinusBeta1));
    const v = f(f(expAvgSq[i] * beta2) + f(f(g * g) * oneMinusBeta2));
    const denom = f(f(f(Math.sqrt(v)) / correction2) + eps);
    nextAvg[i] = m;
    nextAvgSq[i] = v;
    nextParam[i] = param[i] - f(f(m / denom) * stepSize);
  }
  return [nextParam, nextAvg, nextAvgSq];
}
