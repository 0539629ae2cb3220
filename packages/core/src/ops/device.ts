import { noGrad } from '../autograd/grad-mode.js';
import { recordPrimitive } from '../autograd/tape.js';
import { ENGINE } from '../engine/engine.js';
import { makeTensor } from '../engine/make-tensor.js';
import type { Tensor } from '../tensor.js';
import { reshape } from './movement.js';

/** What the gradient of a move needs: where the data came from. */
export interface TransferAttrs {
  readonly source: string;
}

/**
 * Copies a tensor to the backend named `device` (a view when it is already there). Gradients flow
 * back across the move. Reads synchronously from the source backend; use `toAsync` where it cannot.
 */
export function to(x: Tensor, device: string): Tensor {
  if (x.device === device) return reshape(x, x.shape);
  return moved(x, device, x.dataSync());
}

/** Like `to`, reading the source asynchronously (for backends without synchronous reads). */
export async function toAsync(x: Tensor, device: string): Promise<Tensor> {
  if (x.device === device) return reshape(x, x.shape);
  return moved(x, device, await x.data());
}

function moved(x: Tensor, device: string, values: ReturnType<Tensor['dataSync']>): Tensor {
  const target = ENGINE.backendByName(device);
  const out = makeTensor(target, target.write(values, x.shape, x.dtype), x.shape, x.dtype);
  return recordPrimitive<TransferAttrs>('transfer/to', out, [x], { source: x.device });
}

/** A tensor sharing `x`'s data that autograd does not track. */
export function detach(x: Tensor): Tensor {
  return noGrad(() => reshape(x, x.shape));
}
