import { concat, type DType, reshape, type Tensor, tidy } from '@backprop/core';

/**
 * The first value of each tensor (a loss, a metric), read from the backend in one read per dtype
 * rather than one per tensor: each read waits for the backend's queued work, which on a GPU is
 * the cost, not the few bytes.
 */
export async function readFirstValues(tensors: readonly Tensor[]): Promise<number[]> {
  const values = new Array<number>(tensors.length);
  const byDType = new Map<DType, number[]>();
  tensors.forEach((t, i) => {
    const indices = byDType.get(t.dtype);
    if (indices) indices.push(i);
    else byDType.set(t.dtype, [i]);
  });
  for (const indices of byDType.values()) {
    const joined = tidy(() => concat(indices.map((i) => reshape(tensors[i], [tensors[i].size]))));
    const data = await joined.data().finally(() => joined.dispose());
    let at = 0;
    for (const i of indices) {
      values[i] = Number(data[at]);
      at += tensors[i].size;
    }
  }
  return values;
}
