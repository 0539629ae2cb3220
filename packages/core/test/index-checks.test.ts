import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import './setup-backend.js';
import { minimalBackend } from '../../conformance/test/minimal-backend.js';
import {
  ArgumentError,
  BackendError,
  fromArray,
  gather,
  indexAdd,
  memory,
  oneHot,
  registerBackend,
  setBackend,
  softmaxCrossEntropy,
  type Tensor,
  tidy,
  zeros,
} from '../src/index.js';

registerBackend(
  'reads-async-only',
  () => ({
    ...minimalBackend(),
    name: 'reads-async-only',
    syncReadIsCheap: false,
    readsAsyncOnly: true,
    readSync: () => {
      throw new BackendError('reads-async-only: use await t.data()');
    },
  }),
  0,
);

const i32 = (values: number[]) => fromArray(Int32Array.from(values), [values.length], { dtype: 'int32' });

/** What `fn` throws on the minimal backend, which reads synchronously. */
async function syncError(fn: () => Tensor): Promise<unknown> {
  await setBackend('minimal');
  try {
    tidy(fn);
  } catch (e) {
    return e;
  } finally {
    await setBackend('reads-async-only');
  }
  return null;
}

describe('index checks where reads are asynchronous only', () => {
  beforeAll(() => setBackend('reads-async-only'));
  afterAll(() => setBackend('minimal'));

  it("rejects the result's read with the ArgumentError a synchronous backend throws at once", async () => {
    const cases: [string, () => Tensor][] = [
      ['gather', () => gather(zeros([3, 2]), i32([0, 3]), 0)],
      ['gather, negative', () => gather(zeros([3, 2]), i32([-1, 1]), 0)],
      ['indexAdd', () => indexAdd(zeros([3, 2]), 0, i32([5]), zeros([1, 2]))],
      ['oneHot', () => oneHot(i32([0, 3]), 3)],
      ['softmaxCrossEntropy', () => softmaxCrossEntropy(zeros([2, 4]), i32([0, 4]))],
    ];
    for (const [name, fn] of cases) {
      const expected = await syncError(fn);
      expect(expected, name).toBeInstanceOf(ArgumentError);
      const before = memory().numTensors;
      const out = tidy(fn);
      await expect(out.data(), name).rejects.toThrow(ArgumentError);
      await expect(out.data(), name).rejects.toThrow((expected as Error).message);
      out.dispose();
      expect(memory().numTensors, name).toBe(before);
    }
  });

  it('reports through what is computed from the result, not on the indices own read', async () => {
    const indices = i32([2, 7]);
    const loss = tidy(() =>
      gather(zeros([4, 3]), indices, 0)
        .exp()
        .reshape([6])
        .sum(),
    );
    await expect(loss.data()).rejects.toThrow(
      'gather: index 7 is out of range for axis 0 of size 4 (expected 0..3)',
    );
    expect(Array.from(await indices.data())).toEqual([2, 7]);
    loss.dispose();
    indices.dispose();
  });

  it('reads in-range results, and frees checks whose holders are disposed unread', async () => {
    const before = memory().numTensors;
    const labels = i32([1, 0]);
    const x = fromArray([1, 2, 3, 4, 5, 6], [3, 2]);
    const rows = gather(x, labels, 0);
    expect(Array.from(await rows.data())).toEqual([3, 4, 1, 2]);
    // The same indices checked again for the same range reuse the check that passed.
    const again = gather(x, labels, 0);
    expect(Array.from(await again.data())).toEqual([3, 4, 1, 2]);
    tidy(() => {
      oneHot(i32([9]), 3).sum();
    });
    // New values in the indices need a new check: the one that passed is dropped by assign.
    tidy(() => labels.assign(i32([1, 3])));
    const moved = gather(x, labels, 0);
    await expect(moved.data()).rejects.toThrow('gather: index 3 is out of range for axis 0 of size 3');
    moved.dispose();
    for (const t of [labels, x, rows, again]) t.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
