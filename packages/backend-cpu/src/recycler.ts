import { allocArray, type DType, type TypedArray } from '@backprop/core';

/** Makes an output array of `dtype` and `length`, with unspecified contents: the kernel writes every element. */
export type Allocate = (dtype: DType, length: number) => TypedArray;

/**
 * Arrays below this many bytes are not kept: V8 allocates them cheaply. From here up a fresh array
 * is zeroed memory outside V8's heap (the MLP's 64×128 activations, 32 KiB, cost about 4 µs each to
 * allocate), and its bytes count towards the next garbage collection.
 */
export const MIN_RECYCLED_BYTES = 4096;
/** At most this many bytes are kept in all (a training step's intermediates, several times over). */
export const MAX_RECYCLED_BYTES = 256 * 2 ** 20;

/**
 * The arrays of disposed tensors, kept for the next output of the same type and length. A training
 * step makes the same large arrays every step (the gradients, the optimizer update of a 100k-element
 * weight); a fresh one of 64 KiB or more comes from `mmap`, so every write to it faults in a page
 * that the kernel zeroes first, which costs more than the arithmetic of an elementwise op, and a
 * smaller one is zeroed by the allocator. A kept
 * array is handed out as it is, without zeroing: kernels that take one write every element.
 */
export class ArrayRecycler {
  private readonly free = new Map<string, TypedArray[]>();
  private bytes = 0;

  /** An array for an output: a kept one of this type and length, else a new one. */
  readonly take: Allocate = (dtype, length) => {
    const kept = this.free.get(keyOf(dtype, length))?.pop();
    if (kept === undefined) return allocArray(dtype, length);
    this.bytes -= kept.byteLength;
    return kept;
  };

  /** The same, zero-filled: for kernels that accumulate into their output. */
  readonly takeZeroed: Allocate = (dtype, length) => {
    const array = this.take(dtype, length);
    array.fill(0);
    return array;
  };

  /** Keeps `array` (which nothing reads or writes any more) for a later output, if it is large and there is room. */
  give(array: TypedArray): void {
    const bytes = array.byteLength;
    // Only whole, unshared buffers: a view may share its buffer with data that is still live.
    if (bytes < MIN_RECYCLED_BYTES || this.bytes + bytes > MAX_RECYCLED_BYTES) return;
    if (array.byteOffset !== 0 || array.buffer.byteLength !== bytes || !(array.buffer instanceof ArrayBuffer))
      return;
    const key = keyOf(dtypeOf(array), array.length);
    const list = this.free.get(key);
    if (list) list.push(array);
    else this.free.set(key, [array]);
    this.bytes += bytes;
  }

  /** Drops every kept array. */
  clear(): void {
    this.free.clear();
    this.bytes = 0;
  }
}

function dtypeOf(array: TypedArray): DType {
  return array instanceof Float32Array ? 'float32' : array instanceof Int32Array ? 'int32' : 'bool';
}

function keyOf(dtype: DType, length: number): string {
  return `${dtype}:${length}`;
}
