import type { Backend, DataId, TensorInfo } from '../backend/backend.js';
import type { DType } from '../dtype.js';
import { inheritIndexChecks } from '../engine/index-checks.js';
import { makeTensor } from '../engine/make-tensor.js';
import { BackendError } from '../errors.js';
import { assertTensor } from '../ops/operands.js';
import type { Shape } from '../shape.js';
import { type Tensor, tensorInfo } from '../tensor.js';

/** The backend all `inputs` live on; throws when they disagree, naming the op. */
export function backendOf(op: string, inputs: readonly Tensor[]): Backend {
  for (const [i, t] of inputs.entries()) assertTensor(op, t, inputs.length === 1 ? 'input' : `input ${i}`);
  const backend = inputs[0].backend;
  for (const t of inputs) {
    if (t.backend !== backend) {
      const first = inputs[0].device;
      throw new BackendError(
        `${op}: tensors are on different backends ('${first}' and '${t.device}'); move one with .to('${first}')`,
      );
    }
  }
  return backend;
}

/** Runs a kernel on the inputs' backend and wraps its output (of `shape`, dense row-major) as a new tensor. */
export function runKernel(
  op: string,
  inputs: readonly Tensor[],
  shape: Shape,
  dtype: DType,
  kernel: (backend: Backend) => DataId,
): Tensor {
  const backend = backendOf(op, inputs);
  return inheritIndexChecks(makeTensor(backend, kernel(backend), shape, dtype), inputs);
}

/**
 * What a kernel receives for `t` read as `shape` (same element count): dense row-major data can
 * be seen in any shape of its size, so a kernel gets the shape it needs without a view tensor.
 */
export function infoAs(t: Tensor, shape: Shape): TensorInfo {
  return { dataId: tensorInfo(t).dataId, shape, dtype: t.dtype };
}
