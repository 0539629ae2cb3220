import { ArgumentError, type Tensor } from '@backprop/core';

/** A batch split into the model's input and the loss's target. */
export interface Example {
  readonly input: Tensor;
  readonly target: Tensor;
}

/** Splits a batch into input and target (see {@link defaultUnpack}). */
export type Unpack<B> = (batch: B) => Example;

function isTensor(v: unknown): v is Tensor {
  return (
    v !== null &&
    typeof v === 'object' &&
    'shape' in v &&
    'dtype' in v &&
    typeof (v as Tensor).data === 'function'
  );
}

/**
 * The batch layouts a `DataLoader` yields by default: `[input, target]` (a `TensorDataset` of
 * two tensors) or `{ x, y }` / `{ input, target }` (collated objects).
 */
export function defaultUnpack(batch: unknown): Example {
  if (Array.isArray(batch) && batch.length === 2 && isTensor(batch[0]) && isTensor(batch[1]))
    return { input: batch[0], target: batch[1] };
  if (batch !== null && typeof batch === 'object') {
    const b = batch as Record<string, unknown>;
    if (isTensor(b.x) && isTensor(b.y)) return { input: b.x, target: b.y };
    if (isTensor(b.input) && isTensor(b.target)) return { input: b.input, target: b.target };
  }
  throw new ArgumentError(
    'fit: expected batches as [input, target] or { x, y } of tensors; pass `unpack` to split other batches',
  );
}

/** The model input of a batch for `predict`: a tensor, the first of an array, or `x` / `input`. */
export function inputOf(batch: unknown): Tensor {
  if (isTensor(batch)) return batch;
  if (Array.isArray(batch) && isTensor(batch[0])) return batch[0];
  if (batch !== null && typeof batch === 'object') {
    const b = batch as Record<string, unknown>;
    if (isTensor(b.x)) return b.x;
    if (isTensor(b.input)) return b.input;
  }
  throw new ArgumentError('predict: expected batches as a tensor, [input, ...] or { x } of tensors');
}

/** Lets timers, an AbortSignal's listeners and stream writes run between synchronous batches. */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (fn: () => void) => void };
  return new Promise((resolve) => (g.setImmediate ? g.setImmediate(resolve) : setTimeout(resolve, 0)));
}
