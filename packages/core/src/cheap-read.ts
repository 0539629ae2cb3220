import type { Tensor } from './tensor.js';

/**
 * The tensor's elements when its backend says a synchronous read is cheap (`syncReadIsCheap`,
 * e.g. data in this process's memory), else null: how ops and libraries validate values (indices
 * in range, probabilities in [0, 1]) without forcing a GPU round trip on every call.
 */
export function readIfCheap(t: Tensor): ArrayLike<number> | null {
  return t.backend.syncReadIsCheap === true ? t.dataSync() : null;
}
