/**
 * Storage of one's own: whatever array a backend's `allocate` hands `fromArray` (a disposed
 * tensor's, say), every tensor reads back its own values, and tensors still alive keep theirs.
 */

import * as core from '@backprop/core';

/** Elements per tensor: above the sizes backends keep disposed arrays from (the cpu backend's 4 KiB). */
const SIZE = 4096;
const STEPS = 6;

function valuesOf(id: number): Float32Array {
  return Float32Array.from({ length: SIZE }, (_, i) => id * SIZE + i);
}

async function expectValues(t: core.Tensor, id: number, what: string): Promise<void> {
  const actual = await t.data();
  const expected = valuesOf(id);
  const at = expected.findIndex((v, i) => actual[i] !== v);
  if (at >= 0) throw new Error(`${what}: element ${at} is ${actual[at]}, expected ${expected[at]}`);
}

/** Batches of one size made and disposed step after step, as training makes them, beside tensors kept alive. */
export async function checkStorageReuse(): Promise<void> {
  const make = (id: number) => ({ id, tensor: core.fromArray(valuesOf(id), [SIZE]) });
  const kept = [make(0)];
  try {
    for (let step = 1; step <= STEPS; step++) {
      const batch = make(step);
      kept.push(make(100 + step));
      await expectValues(batch.tensor, batch.id, `fromArray: the batch of step ${step}`);
      batch.tensor.dispose();
    }
    for (const { id, tensor } of kept)
      await expectValues(
        tensor,
        id,
        `fromArray: the tensor kept with values from ${id * SIZE}, after the batches`,
      );
  } finally {
    for (const { tensor } of kept) tensor.dispose();
  }
}
