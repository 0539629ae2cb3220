import { describe, expect, it } from 'vitest';
import './setup-backend.js';
import { minimalBackend } from '../../conformance/test/minimal-backend.js';
import { ENGINE, Engine } from '../src/backend-entry.js';
import {
  BackendError,
  dispose,
  getBackend,
  initBackend,
  keep,
  listBackends,
  memory,
  ones,
  registerBackend,
  setBackend,
  tensor,
  tidy,
  zeros,
} from '../src/index.js';

registerBackend('second', () => ({ ...minimalBackend(), name: 'second' }), 0);
// A second instance of the same backend class under a name of its own (its `name` stays 'minimal').
registerBackend('minimal-2', () => minimalBackend(), 0);
registerBackend(
  'async-only',
  async () => {
    const base = minimalBackend();
    return {
      ...base,
      name: 'async-only',
      readSync: () => {
        throw new BackendError('async-only: synchronous reads are not supported; use await t.data()');
      },
    };
  },
  0,
);

describe('backend registry', () => {
  it('picks the highest-priority backend with a synchronous factory by default', () => {
    expect(getBackend()).toBe('minimal');
    expect(listBackends()).toEqual(expect.arrayContaining(['minimal', 'second', 'async-only']));
  });

  it('names the registered backends when asked for an unknown one', async () => {
    await expect(setBackend('nope')).rejects.toThrow(
      /backend 'nope' is not registered \(registered: minimal, second/,
    );
  });

  it('says what to do when no backend is registered', () => {
    expect(() => new Engine().activeBackend()).toThrow(/no backend is registered: import a backend package/);
  });

  it('switches the active backend at run time', async () => {
    await setBackend('second');
    try {
      expect(zeros([2]).device).toBe('second');
    } finally {
      await setBackend('minimal');
    }
    expect(zeros([2]).device).toBe('minimal');
  });
});

describe('reads', () => {
  it('reads flat, nested and scalar values synchronously and asynchronously', async () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await t.array()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(tensor(7).item()).toBe(7);
    expect(() => t.item()).toThrow(/item: expected a tensor with one element, got shape \[2, 3\]/);
  });

  it('reading returns a copy, so mutating it leaves the tensor intact', () => {
    const t = tensor([1, 2]);
    t.dataSync()[0] = 99;
    expect(Array.from(t.dataSync())).toEqual([1, 2]);
  });

  it('a backend without synchronous reads still answers data(), and says so on dataSync()', async () => {
    await initBackend('async-only');
    const t = tensor([1, 2, 3], { device: 'async-only' });
    expect(Array.from(await t.data())).toEqual([1, 2, 3]);
    expect(() => t.dataSync()).toThrow(/synchronous reads are not supported; use await t.data\(\)/);
    const moved = await t.toAsync('minimal');
    expect(Array.from(moved.dataSync())).toEqual([1, 2, 3]);
  });
});

describe('memory accounting', () => {
  it('counts tensors and bytes per backend, and views share bytes', () => {
    const before = memory();
    const t = zeros([4, 4]);
    const view = t.reshape([16]);
    const after = memory();
    expect(after.numTensors - before.numTensors).toBe(2);
    expect(after.backends.minimal.numBytes - before.backends.minimal.numBytes).toBe(64);
    t.dispose();
    expect(memory().backends.minimal.numBytes - before.backends.minimal.numBytes).toBe(64);
    view.dispose();
    expect(memory().backends.minimal.numBytes).toBe(before.backends.minimal.numBytes);
    expect(memory().numTensors).toBe(before.numTensors);
  });

  it('tidy disposes what it made except its result and kept tensors, and nests', () => {
    const before = memory().numTensors;
    let kept = zeros([1]);
    kept.dispose();
    const result = tidy(() => {
      const a = ones([3]);
      const inner = tidy(() => a.add(1).mul(2));
      kept = keep(inner.sum());
      return { out: inner.mul(3), list: [a.sub(1)] };
    });
    expect(Array.from(result.out.dataSync())).toEqual([12, 12, 12]);
    expect(kept.item()).toBe(12);
    expect(memory().numTensors - before).toBe(3);
    dispose(result, kept);
    expect(memory().numTensors).toBe(before);
  });

  it('using disposes at the end of the block', () => {
    const before = memory().numTensors;
    {
      using t = ones([2]);
      expect(t.isDisposed).toBe(false);
    }
    expect(memory().numTensors).toBe(before);
  });

  it('a disposed tensor names itself when used', () => {
    const t = ones([2, 2]);
    t.dispose();
    expect(() => t.add(1)).toThrow(/was disposed/);
    expect(() => t.dispose()).not.toThrow();
  });

  it('moveTo moves data in place and keeps the counts per backend', async () => {
    await initBackend('second');
    const t = tensor([1, 2, 3], { requiresGrad: true });
    const before = memory();
    t.moveTo('second');
    const after = memory();
    expect(t.device).toBe('second');
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3]);
    expect(after.backends.second.numTensors - (before.backends.second?.numTensors ?? 0)).toBe(1);
    expect(after.backends.minimal.numTensors - before.backends.minimal.numTensors).toBe(-1);
    t.dispose();
  });

  it('ops refuse tensors on different backends and say how to fix it', async () => {
    await initBackend('second');
    const a = ones([2]);
    const b = ones([2], { device: 'second' });
    expect(() => a.add(b)).toThrow(
      /add: tensors are on different backends \('minimal' and 'second'\); move one with \.to\('minimal'\)/,
    );
    expect(Array.from(a.add(b.to('minimal')).dataSync())).toEqual([2, 2]);
  });

  it('a backend registered under another name than its own is known by the registered one', async () => {
    await initBackend('minimal-2');
    const before = memory().backends['minimal-2']?.numTensors ?? 0;
    const t = tensor([1, 2, 3], { device: 'minimal-2' });
    expect(t.device).toBe('minimal-2');
    expect(String(t)).toContain('device=minimal-2');
    expect(memory().backends['minimal-2'].numTensors).toBe(before + 1);
    // Made with the tensor's own device name, a tensor lands on that same instance.
    const same = zeros([3], { device: t.device });
    expect(same.backend).toBe(t.backend);
    expect(() => t.add(ones([3]))).toThrow(
      /add: tensors are on different backends \('minimal-2' and 'minimal'\); move one with \.to\('minimal-2'\)/,
    );
    const moved = ones([3]);
    moved.moveTo('minimal-2');
    expect(moved.backend).toBe(t.backend);
    const sum = t.add(moved);
    expect(Array.from(sum.dataSync())).toEqual([2, 3, 4]);
    dispose([t, same, moved, sum]);
    expect(memory().backends['minimal-2'].numTensors).toBe(before);
    await setBackend('minimal-2');
    expect(getBackend()).toBe('minimal-2');
    await setBackend('minimal');
    expect(getBackend()).toBe('minimal');
  });

  it('the global engine is the one the ops use', () => {
    expect(ENGINE.activeBackend().name).toBe('minimal');
  });
});
