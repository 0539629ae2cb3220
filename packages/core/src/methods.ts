/**
 * Binds the op library onto Tensor as fluent methods (`x.add(y).relu().sum()`), so the class
 * itself stays small and each op lives in the module named for it.
 */
import { backward } from './autograd/backward.js';
import type { FusedActivation } from './backend/backend.js';
import type { DType } from './dtype.js';
import type { Axis, ReduceOptions, SliceRange, VarianceOptions } from './op-options.js';
import * as activation from './ops/activation.js';
import * as arithmetic from './ops/arithmetic.js';
import * as castOps from './ops/cast.js';
import * as compare from './ops/compare.js';
import * as device from './ops/device.js';
import * as fused from './ops/fused.js';
import * as gatherOps from './ops/gather.js';
import * as join from './ops/join.js';
import * as matmulOps from './ops/matmul.js';
import * as movement from './ops/movement.js';
import * as reduce from './ops/reduce.js';
import * as sliceOps from './ops/slice.js';
import * as softmaxOps from './ops/softmax.js';
import * as unary from './ops/unary.js';
import type { Shape } from './shape.js';
import { type BackwardOptions, Tensor, type TensorOrScalar } from './tensor.js';

const methods: Partial<Record<keyof Tensor, (this: Tensor, ...args: never[]) => unknown>> = {
  add(this: Tensor, o: TensorOrScalar) {
    return arithmetic.add(this, o);
  },
  sub(this: Tensor, o: TensorOrScalar) {
    return arithmetic.sub(this, o);
  },
  mul(this: Tensor, o: TensorOrScalar) {
    return arithmetic.mul(this, o);
  },
  div(this: Tensor, o: TensorOrScalar) {
    return arithmetic.div(this, o);
  },
  pow(this: Tensor, o: TensorOrScalar) {
    return arithmetic.pow(this, o);
  },
  maximum(this: Tensor, o: TensorOrScalar) {
    return arithmetic.maximum(this, o);
  },
  minimum(this: Tensor, o: TensorOrScalar) {
    return arithmetic.minimum(this, o);
  },
  eq(this: Tensor, o: TensorOrScalar) {
    return compare.eq(this, o);
  },
  ne(this: Tensor, o: TensorOrScalar) {
    return compare.ne(this, o);
  },
  lt(this: Tensor, o: TensorOrScalar) {
    return compare.lt(this, o);
  },
  le(this: Tensor, o: TensorOrScalar) {
    return compare.le(this, o);
  },
  gt(this: Tensor, o: TensorOrScalar) {
    return compare.gt(this, o);
  },
  ge(this: Tensor, o: TensorOrScalar) {
    return compare.ge(this, o);
  },
  neg(this: Tensor) {
    return unary.neg(this);
  },
  abs(this: Tensor) {
    return unary.abs(this);
  },
  sign(this: Tensor) {
    return unary.sign(this);
  },
  exp(this: Tensor) {
    return unary.exp(this);
  },
  log(this: Tensor) {
    return unary.log(this);
  },
  sqrt(this: Tensor) {
    return unary.sqrt(this);
  },
  square(this: Tensor) {
    return unary.square(this);
  },
  reciprocal(this: Tensor) {
    return unary.reciprocal(this);
  },
  sin(this: Tensor) {
    return unary.sin(this);
  },
  cos(this: Tensor) {
    return unary.cos(this);
  },
  floor(this: Tensor) {
    return unary.floor(this);
  },
  ceil(this: Tensor) {
    return unary.ceil(this);
  },
  round(this: Tensor) {
    return unary.round(this);
  },
  log1p(this: Tensor) {
    return unary.log1p(this);
  },
  expm1(this: Tensor) {
    return unary.expm1(this);
  },
  asin(this: Tensor) {
    return unary.asin(this);
  },
  atan(this: Tensor) {
    return unary.atan(this);
  },
  erf(this: Tensor) {
    return unary.erf(this);
  },
  clamp(this: Tensor, min?: number, max?: number) {
    return arithmetic.clamp(this, min, max);
  },
  sigmoid(this: Tensor) {
    return activation.sigmoid(this);
  },
  tanh(this: Tensor) {
    return activation.tanh(this);
  },
  relu(this: Tensor) {
    return activation.relu(this);
  },
  softplus(this: Tensor) {
    return activation.softplus(this);
  },
  softmax(this: Tensor, axis?: number) {
    return softmaxOps.softmax(this, axis);
  },
  logSoftmax(this: Tensor, axis?: number) {
    return softmaxOps.logSoftmax(this, axis);
  },
  sum(this: Tensor, axis?: Axis, o?: ReduceOptions) {
    return reduce.sum(this, axis, o);
  },
  mean(this: Tensor, axis?: Axis, o?: ReduceOptions) {
    return reduce.mean(this, axis, o);
  },
  max(this: Tensor, axis?: Axis, o?: ReduceOptions) {
    return reduce.max(this, axis, o);
  },
  min(this: Tensor, axis?: Axis, o?: ReduceOptions) {
    return reduce.min(this, axis, o);
  },
  prod(this: Tensor, axis?: Axis, o?: ReduceOptions) {
    return reduce.prod(this, axis, o);
  },
  var(this: Tensor, axis?: Axis, o?: VarianceOptions) {
    return reduce.variance(this, axis, o);
  },
  std(this: Tensor, axis?: Axis, o?: VarianceOptions) {
    return reduce.std(this, axis, o);
  },
  logsumexp(this: Tensor, axis?: Axis, o?: ReduceOptions) {
    return reduce.logsumexp(this, axis, o);
  },
  argmax(this: Tensor, axis?: number, o?: ReduceOptions) {
    return reduce.argmax(this, axis, o);
  },
  argmin(this: Tensor, axis?: number, o?: ReduceOptions) {
    return reduce.argmin(this, axis, o);
  },
  matmul(this: Tensor, o: Tensor) {
    return matmulOps.matmul(this, o);
  },
  dot(this: Tensor, o: Tensor) {
    return matmulOps.dot(this, o);
  },
  linear(this: Tensor, w: Tensor, b?: Tensor | null, a?: FusedActivation) {
    return fused.linear(this, w, b, a);
  },
  reshape(this: Tensor, shape: Shape) {
    return movement.reshape(this, shape);
  },
  view(this: Tensor, shape: Shape) {
    return movement.reshape(this, shape);
  },
  flatten(this: Tensor, s?: number, e?: number) {
    return movement.flatten(this, s, e);
  },
  squeeze(this: Tensor, axis?: number) {
    return movement.squeeze(this, axis);
  },
  unsqueeze(this: Tensor, axis: number) {
    return movement.unsqueeze(this, axis);
  },
  transpose(this: Tensor, d0?: number, d1?: number) {
    return movement.transpose(this, d0, d1);
  },
  permute(this: Tensor, perm: readonly number[]) {
    return movement.permute(this, perm);
  },
  broadcastTo(this: Tensor, shape: Shape) {
    return movement.broadcastTo(this, shape);
  },
  expand(this: Tensor, shape: Shape) {
    return movement.expand(this, shape);
  },
  slice(this: Tensor, ranges: readonly SliceRange[]) {
    return sliceOps.slice(this, ranges);
  },
  narrow(this: Tensor, axis: number, start: number, length: number) {
    return sliceOps.narrow(this, axis, start, length);
  },
  split(this: Tensor, s: number | readonly number[], axis?: number) {
    return join.split(this, s, axis);
  },
  gather(this: Tensor, indices: Tensor, axis?: number) {
    return gatherOps.gather(this, indices, axis);
  },
  indexSelect(this: Tensor, axis: number, indices: Tensor) {
    return gatherOps.indexSelect(this, axis, indices);
  },
  where(this: Tensor, condition: Tensor, other: TensorOrScalar) {
    return compare.where(condition, this, other);
  },
  cast(this: Tensor, dtype: DType) {
    return castOps.cast(this, dtype);
  },
  clone(this: Tensor) {
    return castOps.clone(this);
  },
  detach(this: Tensor) {
    return device.detach(this);
  },
  to(this: Tensor, name: string) {
    return device.to(this, name);
  },
  toAsync(this: Tensor, name: string) {
    return device.toAsync(this, name);
  },
  backward(this: Tensor, g?: Tensor, o?: BackwardOptions) {
    backward(this, g, o);
  },
  requiresGrad_(this: Tensor, flag = true) {
    this.requiresGrad = flag;
    return this;
  },
};

Object.assign(Tensor.prototype, methods);
