/**
 * Per-parameter optimizer updates that a backend may run as one fused kernel (`sgdUpdate`,
 * `sgdMomentumUpdate`, `adamUpdate` on the Backend interface); elsewhere they are composed from elementwise ops. Both
 * compute every intermediate in float32, the scalars rounded to float32 as a scalar tensor is, so a
 * fused kernel can match the composition bit for bit. Updates are not differentiable: the
 * composition runs under `noGrad` and the outputs never require gradients.
 */
import { noGrad } from '../autograd/grad-mode.js';
import type { AdamUpdateScalars, SgdMomentumScalars, SgdScalars } from '../backend/backend.js';
import { describeValue } from '../describe.js';
import { makeTensor } from '../engine/make-tensor.js';
import { ArgumentError, ShapeError } from '../errors.js';
import { backendOf } from '../primitives/run.js';
import { formatShape, shapesEqual } from '../shape.js';
import { type Tensor, tensorInfo } from '../tensor.js';
import { add, div, mul, sub } from './arithmetic.js';
import { assertFloat } from './operands.js';
import { sqrt } from './unary.js';

/** The new parameter and momentum buffer of an SGD-with-momentum step. */
export interface SgdMomentumResult {
  param: Tensor;
  momentumBuffer: Tensor;
}

/** The new parameter and moment estimates of an Adam step. */
export interface AdamUpdateResult {
  param: Tensor;
  expAvg: Tensor;
  expAvgSq: Tensor;
}

/** Checks that the update's tensors are float32 of one shape and its scalars finite numbers. */
function checkUpdate(op: string, tensors: Record<string, Tensor>, scalars: Record<string, unknown>): void {
  const entries = Object.entries(tensors);
  const [, first] = entries[0];
  for (const [name, t] of entries) {
    assertFloat(`${op} (${name})`, t);
    if (!shapesEqual(t.shape, first.shape))
      throw new ShapeError(
        `${op}: ${name} ${formatShape(t.shape)} does not match param ${formatShape(first.shape)} (expected one shape)`,
      );
  }
  for (const [name, value] of Object.entries(scalars)) {
    const ok = name === 'nesterov' ? typeof value === 'boolean' : Number.isFinite(value);
    if (!ok)
      throw new ArgumentError(
        `${op}: ${name} must be ${name === 'nesterov' ? 'a boolean' : 'a finite number'}, got ${describeValue(value)}`,
      );
  }
}

/**
 * One plain SGD step (the gradient already carrying weight decay, the sign for maximize, and
 * momentum's first step): W ← W − lr·g. Returns the new W.
 */
export function sgdUpdate(param: Tensor, grad: Tensor, scalars: SgdScalars): Tensor {
  const op = 'sgdUpdate';
  checkUpdate(op, { param, grad }, { ...scalars });
  const backend = backendOf(op, [param, grad]);
  if (backend.sgdUpdate) {
    return makeTensor(
      backend,
      backend.sgdUpdate(tensorInfo(param), tensorInfo(grad), scalars),
      param.shape,
      'float32',
    );
  }
  return noGrad(() => sub(param, mul(grad, scalars.lr)));
}

/**
 * One SGD step with momentum after the first (PyTorch's rule, the gradient already carrying weight
 * decay and the sign for maximize): b ← momentum·b + (1 − dampening)·g, then
 * W ← W − lr·(g + momentum·b) with Nesterov, else W ← W − lr·b. Returns the new W and b.
 */
export function sgdMomentumUpdate(
  param: Tensor,
  grad: Tensor,
  momentumBuffer: Tensor,
  scalars: SgdMomentumScalars,
): SgdMomentumResult {
  const op = 'sgdMomentumUpdate';
  checkUpdate(op, { param, grad, momentumBuffer }, { ...scalars });
  const backend = backendOf(op, [param, grad, momentumBuffer]);
  if (backend.sgdMomentumUpdate) {
    const [p, b] = backend.sgdMomentumUpdate(
      tensorInfo(param),
      tensorInfo(grad),
      tensorInfo(momentumBuffer),
      scalars,
    );
    return {
      param: makeTensor(backend, p, param.shape, 'float32'),
      momentumBuffer: makeTensor(backend, b, param.shape, 'float32'),
    };
  }
  const { lr, momentum, dampening, nesterov } = scalars;
  return noGrad(() => {
    const buffer = add(mul(momentumBuffer, momentum), mul(grad, 1 - dampening));
    const direction = nesterov ? add(grad, mul(buffer, momentum)) : buffer;
    return { param: sub(param, mul(direction, lr)), momentumBuffer: buffer };
  });
}

/**
 * One Adam step (PyTorch's `_single_tensor_adam` without AMSGrad, the gradient already carrying
 * weight decay and the sign for maximize): m ← m + (1 − β₁)(g − m), v ← β₂·v + (1 − β₂)·g², and
 * W ← W − stepSize · m / (√v / biasCorrection2Sqrt + eps), with stepSize = lr / (1 − β₁ᵗ) and
 * biasCorrection2Sqrt = √(1 − β₂ᵗ). Returns the new W, m and v.
 */
export function adamUpdate(
  param: Tensor,
  grad: Tensor,
  expAvg: Tensor,
  expAvgSq: Tensor,
  scalars: AdamUpdateScalars,
): AdamUpdateResult {
  const op = 'adamUpdate';
  checkUpdate(op, { param, grad, expAvg, expAvgSq }, { ...scalars });
  const backend = backendOf(op, [param, grad, expAvg, expAvgSq]);
  if (backend.adamUpdate) {
    const [p, m, v] = backend.adamUpdate(
      tensorInfo(param),
      tensorInfo(grad),
      tensorInfo(expAvg),
      tensorInfo(expAvgSq),
      scalars,
    );
    return {
      param: makeTensor(backend, p, param.shape, 'float32'),
      expAvg: makeTensor(backend, m, param.shape, 'float32'),
      expAvgSq: makeTensor(backend, v, param.shape, 'float32'),
    };
  }
  const { beta1, beta2, stepSize, biasCorrection2Sqrt, eps } = scalars;
  return noGrad(() => {
    const m = add(expAvg, mul(sub(grad, expAvg), 1 - beta1));
    const v = add(mul(expAvgSq, beta2), mul(mul(grad, grad), 1 - beta2));
    const denom = add(div(sqrt(v), biasCorrection2Sqrt), eps);
    return { param: sub(param, mul(div(m, denom), stepSize)), expAvg: m, expAvgSq: v };
  });
}
