import { BackendError, type DataId, type TensorInfo, type TypedArray } from '@backprop/core';
import type { Allocate } from './recycler.js';

/** The CPU backend's data handle: one dense row-major typed array. */
export class CpuData {
  private values: TypedArray | null;

  /** `values` is the backend's alone (a kernel output, or an array core handed to `write`): it may be reused once the tensor is disposed. */
  constructor(values: TypedArray) {
    this.values = values;
  }

  /** The array itself (not a copy): kernels read it in place. */
  get array(): TypedArray {
    if (this.values === null) throw new BackendError('cpu: the tensor data was disposed and cannot be used');
    return this.values;
  }

  /** Drops the array (so that a use after dispose fails loudly instead of reading stale data) and returns it; null if already released. */
  release(): TypedArray | null {
    const values = this.values;
    this.values = null;
    return values;
  }
}

/** The CPU handle behind a data id; anything else came from another backend. */
export function cpuData(dataId: DataId): CpuData {
  if (!(dataId instanceof CpuData))
    throw new BackendError("cpu: got another backend's data handle; move the tensor with .to('cpu')");
  return dataId;
}

/** The typed array behind a kernel input. */
export function valuesOf(info: TensorInfo): TypedArray {
  return cpuData(info.dataId).array;
}

/** The float32 array behind a kernel input that core guarantees to be float32. */
export function floatsOf(info: TensorInfo): Float32Array {
  return valuesOf(info) as Float32Array;
}

/** The int32 array behind a kernel input that core guarantees to be int32 (indices, labels). */
export function intsOf(info: TensorInfo): Int32Array {
  return valuesOf(info) as Int32Array;
}

/**
 * An output array of the same type as `x`: from `allocate` when given (contents unspecified, for
 * kernels that write every element; the backend passes its recycler), else a new zero-filled one.
 */
export function allocLike(x: TypedArray, size: number, allocate?: Allocate): TypedArray {
  if (allocate)
    return allocate(x instanceof Float32Array ? 'float32' : x instanceof Int32Array ? 'int32' : 'bool', size);
  if (x instanceof Float32Array) return new Float32Array(size);
  if (x instanceof Int32Array) return new Int32Array(size);
  return new Uint8Array(size);
}
