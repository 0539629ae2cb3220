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
  const kept = [core.fromArray(valuesOf(0), [SIZE])];
  try {
    for (let step = 1; step <= STEPS; step++) {
      const batch = core.fromArray(valuesOf(step), [SIZE]);
      kept.push(core.fromArray(valuesOf(100 + step), [SIZE]));
      await expectValues(batch, step, `fromArray: the batch of step ${step}`);
      batch.dispose();
    }
    await expectValues(kept[0], 0, 'fromArray: the tensor made first, after the batches');
    for (let step = 1; step <= STEPS; step++)
      await expectValues(
        kept[step],
        100 + step,
        `fromArray: the tensor kept at step ${step}, after the batches`,
      );
  } finally {
    for (const t of kept) t.dispose();
  }
}
