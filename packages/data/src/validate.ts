/**
 * The tensor check data's public entry points share (option objects, flags and how a bad value is
 * shown are core's checkOptions, checkBoolean and describeValue). Errors are core's typed ones.
 */
import { ArgumentError, describeValue, Tensor } from '@backprop/core';

/** A live Tensor. */
export function checkTensor(op: string, name: string, value: unknown): Tensor {
  if (value instanceof Tensor) return value;
  throw new ArgumentError(`${op}: ${name} must be a Tensor, got ${describeValue(value)}`);
}
