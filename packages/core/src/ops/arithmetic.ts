import type { BinaryOp } from '../backend/backend.js';
import { COMPARISON_OPS } from '../backend/backend.js';
import { type DType, promoteTypes } from '../dtype.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { ge, gt, lt, where } from './compare.js';
import { zerosLike } from './creation.js';
import { record, runKernel, type TensorOrScalar, toTensorPair } from './kernel.js';
import { sumToShape } from './reduce.js';
import { log, neg, square } from './unary.js';

type Grads = (g: Tensor, a: Tensor, b: Tensor, out: Tensor) => [Tensor | null, Tensor | null];

/** Runs a broadcasting binary kernel after promoting both operands to a common dtype. */
export function binaryKernel(
  op: BinaryOp,
  a: TensorOrScalar,
  b: TensorOrScalar,
  computeDtype?: DType,
): { out: Tensor; x: Tensor; y: Tensor } {
  const [x0, y0] = toTensorPair(op, a, b);
  const dtype = computeDtype ?? promoteTypes(x0.dtype, y0.dtype);
  const x = x0.dtype === dtype ? x0 : cast(x0, dtype);
  const y = y0.dtype === dtype ? y0 : cast(y0, dtype);
  const shape = broadcastShapes(op, x.shape, y.shape);
  const outDtype: DType = COMPARISON_OPS.has(op) ? 'bool' : dtype;
  const out = runKernel(op, [x, y], shape, outDtype, (be) =>
    be.binary(op, x.info(), y.info(), shape, outDtype),
  );
  return { out, x, y };
}

function binary(
  op: BinaryOp,
  a: TensorOrScalar,
  b: TensorOrScalar,
  grads: Grads,
  computeDtype?: DType,
): Tensor {
  const { out, x, y } = binaryKernel(op, a, b, computeDtype);
  return record(op, out, [x, y], (g) => {
    const [ga, gb] = grads(g, x, y, out);
    return [ga && sumToShape(ga, x.shape), gb && sumToShape(gb, y.shape)];
  });
}

/** a + b, broadcasting. */
export function add(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary('add', a, b, (g) => [g, g]);
}

/** a − b, broadcasting. */
export function sub(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary('sub', a, b, (g) => [g, neg(g)]);
}

/** a · b elementwise, broadcasting. */
export function mul(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary('mul', a, b, (g, x, y) => [mul(g, y), mul(g, x)]);
}

/** a / b elementwise (true division: integer inputs give float32). */
export function div(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary('div', a, b, (g, _x, y, out) => [div(g, y), neg(div(mul(g, out), y))], 'float32');
}

/** a ** b elementwise. The gradient for b is taken where a > 0 (zero elsewhere). */
export function pow(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary(
    'pow',
    a,
    b,
    (g, x, y, out) => [
      mul(g, mul(y, pow(x, sub(y, 1)))),
      y.requiresGrad ? where(gt(x, 0), mul(g, mul(out, log(x))), zerosLike(out)) : null,
    ],
    'float32',
  );
}

/** Elementwise maximum; where both are equal the gradient goes to `a`. */
export function maximum(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary('maximum', a, b, (g, x, y) => {
    const zero = zerosLike(g);
    const pickA = ge(x, y);
    return [where(pickA, g, zero), where(pickA, zero, g)];
  });
}

/** Elementwise minimum; where both are equal the gradient goes to `a`. */
export function minimum(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary('minimum', a, b, (g, x, y) => {
    const zero = zerosLike(g);
    const pickB = lt(y, x);
    return [where(pickB, zero, g), where(pickB, g, zero)];
  });
}

/** (a − b)², a common building block of losses. */
export function squaredDifference(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return square(sub(a, b));
}
