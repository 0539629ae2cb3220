import type { Backend, DataId } from '../backend/backend.js';
import { bytesPerElement, type DType } from '../dtype.js';
import { type Shape, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { ENGINE } from './engine.js';

/** Wraps a kernel's output handle as a new tensor, counting its bytes. */
export function makeTensor(backend: Backend, dataId: DataId, shape: Shape, dtype: DType): Tensor {
  const storage = ENGINE.newStorage(backend, dataId, sizeOf(shape) * bytesPerElement(dtype));
  return new Tensor(storage, shape, dtype);
}
