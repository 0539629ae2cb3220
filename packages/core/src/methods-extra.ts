/**
 * Binds the movement/indexing, scan, order, norm, math and logic ops onto Tensor as fluent methods
 * (`x.flip(0)`, `x.cumsum(1)`, `x.T`), beside the core set bound in `methods.ts`.
 */
import type { Axis, ReduceOptions } from './op-options.js';
import * as indexing from './ops/indexing.js';
import * as logic from './ops/logic.js';
import * as math from './ops/math.js';
import * as normOps from './ops/norm.js';
import * as scan from './ops/scan.js';
import * as sortOps from './ops/sort.js';
import { Tensor, type TensorOrScalar } from './tensor.js';

const methods: Partial<Record<keyof Tensor, (this: Tensor, ...args: never[]) => unknown>> = {
  flip(this: Tensor, dims: number | readonly number[]) {
    return indexing.flip(this, dims);
  },
  roll(this: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]) {
    return indexing.roll(this, shifts, dims);
  },
  repeat(this: Tensor, repeats: readonly number[]) {
    return indexing.repeat(this, repeats);
  },
  tile(this: Tensor, reps: readonly number[]) {
    return indexing.tile(this, reps);
  },
  tril(this: Tensor, diagonal?: number) {
    return indexing.tril(this, diagonal);
  },
  triu(this: Tensor, diagonal?: number) {
    return indexing.triu(this, diagonal);
  },
  scatter(this: Tensor, axis: number, index: Tensor, source: Tensor | number) {
    return indexing.scatter(this, axis, index, source);
  },
  scatterAdd(this: Tensor, axis: number, index: Tensor, source: Tensor) {
    return indexing.scatterAdd(this, axis, index, source);
  },
  takeAlongAxis(this: Tensor, index: Tensor, axis: number) {
    return indexing.takeAlongAxis(this, index, axis);
  },
  maskedFill(this: Tensor, mask: Tensor, value: number | Tensor) {
    return indexing.maskedFill(this, mask, value);
  },
  cumsum(this: Tensor, axis: number) {
    return scan.cumsum(this, axis);
  },
  cumprod(this: Tensor, axis: number) {
    return scan.cumprod(this, axis);
  },
  sort(this: Tensor, axis?: number, o?: sortOps.SortOptions) {
    return sortOps.sort(this, axis, o);
  },
  argsort(this: Tensor, axis?: number, o?: sortOps.SortOptions) {
    return sortOps.argsort(this, axis, o);
  },
  topk(this: Tensor, k: number, axis?: number, o?: sortOps.TopkOptions) {
    return sortOps.topk(this, k, axis, o);
  },
  kthvalue(this: Tensor, k: number, axis?: number, o?: ReduceOptions) {
    return sortOps.kthvalue(this, k, axis, o);
  },
  median(this: Tensor, axis?: number, o?: ReduceOptions) {
    return sortOps.median(this, axis, o);
  },
  norm(this: Tensor, p?: normOps.NormOrder, axis?: Axis, o?: ReduceOptions) {
    return normOps.norm(this, p, axis, o);
  },
  tan(this: Tensor) {
    return math.tan(this);
  },
  sinh(this: Tensor) {
    return math.sinh(this);
  },
  cosh(this: Tensor) {
    return math.cosh(this);
  },
  asinh(this: Tensor) {
    return math.asinh(this);
  },
  acosh(this: Tensor) {
    return math.acosh(this);
  },
  atanh(this: Tensor) {
    return math.atanh(this);
  },
  acos(this: Tensor) {
    return math.acos(this);
  },
  atan2(this: Tensor, o: TensorOrScalar) {
    return math.atan2(this, o);
  },
  log2(this: Tensor) {
    return math.log2(this);
  },
  log10(this: Tensor) {
    return math.log10(this);
  },
  exp2(this: Tensor) {
    return math.exp2(this);
  },
  rsqrt(this: Tensor) {
    return math.rsqrt(this);
  },
  trunc(this: Tensor) {
    return math.trunc(this);
  },
  fmod(this: Tensor, o: TensorOrScalar) {
    return math.fmod(this, o);
  },
  remainder(this: Tensor, o: TensorOrScalar) {
    return math.remainder(this, o);
  },
  lerp(this: Tensor, end: Tensor, weight: TensorOrScalar) {
    return math.lerp(this, end, weight);
  },
  xlogy(this: Tensor, o: TensorOrScalar) {
    return math.xlogy(this, o);
  },
  hypot(this: Tensor, o: TensorOrScalar) {
    return math.hypot(this, o);
  },
  isnan(this: Tensor) {
    return logic.isnan(this);
  },
  isinf(this: Tensor) {
    return logic.isinf(this);
  },
  isfinite(this: Tensor) {
    return logic.isfinite(this);
  },
  logicalAnd(this: Tensor, o: Tensor) {
    return logic.logicalAnd(this, o);
  },
  logicalOr(this: Tensor, o: Tensor) {
    return logic.logicalOr(this, o);
  },
  logicalXor(this: Tensor, o: Tensor) {
    return logic.logicalXor(this, o);
  },
  any(this: Tensor, axis?: Axis, o?: ReduceOptions) {
    return logic.any(this, axis, o);
  },
  all(this: Tensor, axis?: Axis, o?: ReduceOptions) {
    return logic.all(this, axis, o);
  },
  isclose(this: Tensor, o: TensorOrScalar, options?: logic.CloseOptions) {
    return logic.isclose(this, o, options);
  },
  allclose(this: Tensor, o: TensorOrScalar, options?: logic.CloseOptions) {
    return logic.allclose(this, o, options);
  },
};

Object.assign(Tensor.prototype, methods);

// `.T` and `.mT` are getters, as in PyTorch.
Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor) {
    return indexing.transposeAll(this);
  },
  configurable: true,
});
Object.defineProperty(Tensor.prototype, 'mT', {
  get(this: Tensor) {
    return indexing.matrixTranspose(this);
  },
  configurable: true,
});
