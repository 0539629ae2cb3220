import { ArgumentError, DTypeError, detach, keep, type Tensor } from '@backprop/core';
import { checkTensor } from './validate.js';

declare const parameterBrand: unique symbol;

/**
 * A learnable tensor: a real core `Tensor` (every op accepts it) that is float32, a leaf, has
 * `requiresGrad = true`, and is recognised by `Module` as a parameter. Make one with `parameter()`.
 */
export type Parameter = Tensor & { readonly [parameterBrand]: true };

const PARAMETERS = new WeakSet<Tensor>();

/**
 * Turns `t` into a `Parameter` in place (and returns it): sets `requiresGrad`, marks it so modules
 * find it, and exempts it from enclosing `tidy` scopes, so a model built inside `tidy` survives.
 * A non-leaf tensor is detached first (the returned parameter is then a new leaf sharing its data).
 * Pass `requiresGrad = false` for a frozen parameter.
 */
export function parameter(t: Tensor, requiresGrad = true): Parameter {
  checkTensor('parameter', 'tensor', t);
  if (t.isDisposed) throw new ArgumentError(`parameter: tensor ${t.id} was disposed`);
  if (t.dtype !== 'float32') throw new DTypeError(`parameter: parameters must be float32, got ${t.dtype}`);
  const leaf = t.isLeaf ? t : detach(t);
  leaf.requiresGrad = requiresGrad;
  PARAMETERS.add(leaf);
  keep(leaf);
  return leaf as Parameter;
}

/** Whether `value` is a tensor made into a parameter with `parameter()`. */
export function isParameter(value: unknown): value is Parameter {
  return typeof value === 'object' && value !== null && PARAMETERS.has(value as Tensor);
}
