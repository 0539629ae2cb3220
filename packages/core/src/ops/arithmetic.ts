import type { Tensor } from '../tensor.js';
import { checkNumber } from '../validate.js';
import { clone } from './cast.js';
import { binaryOp } from './elementwise.js';
import { assertTensor, type TensorOrScalar } from './operands.js';
import { square } from './unary.js';

/** a + b, broadcasting. */
export function add(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binaryOp('add', a, b);
}

/** a − b, broadcasting. */
export function sub(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binaryOp('sub', a, b);
}

/** a · b elementwise, broadcasting. */
export function mul(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binaryOp('mul', a, b);
}

/** a / b elementwise (true division: integer inputs give float32). */
export function div(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binaryOp('div', a, b, 'float32');
}

/**
 * a ** b elementwise. The gradient for b is taken where a > 0 (zero elsewhere); the gradient for
 * a is 0 where b = 0 (so `pow(0, 0)` has gradient 0, as in PyTorch).
 */
export function pow(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binaryOp('pow', a, b, 'float32');
}

/**
 * Elementwise maximum. Where both are equal the whole gradient goes to `a` (PyTorch splits it in
 * half between the two); the value is the same either way.
 */
export function maximum(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binaryOp('maximum', a, b);
}

/**
 * Elementwise minimum. Where both are equal the whole gradient goes to `a` (PyTorch splits it in
 * half between the two).
 */
export function minimum(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binaryOp('minimum', a, b);
}

/** (a − b)², a common building block of losses. */
export function squaredDifference(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return square(sub(a, b));
}

/**
 * Limits values to [min, max]. The gradient flows where the input is inside the range, bounds
 * included (as PyTorch's clamp; `hardtanh` excludes them).
 */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  assertTensor('clamp', x);
  if (min !== undefined) checkNumber('clamp', 'min', min);
  if (max !== undefined) checkNumber('clamp', 'max', max);
  const low = min === undefined ? x : maximum(x, min);
  if (max === undefined) return low === x ? clone(x) : low;
  return minimum(low, max);
}
