import { describe, expect, it } from 'vitest';
import './setup-backend.js';
import { Generator, getRngState, manualSeed, rand, randint, randn, setRngState } from '../src/index.js';

describe('seeded generator', () => {
  it('gives the same numbers for the same seed and different ones for another', () => {
    manualSeed(42);
    const a = Array.from(randn([5]).dataSync());
    manualSeed(42);
    const b = Array.from(randn([5]).dataSync());
    manualSeed(43);
    const c = Array.from(randn([5]).dataSync());
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('replays from a saved state', () => {
    manualSeed(7);
    rand([3]);
    const state = getRngState();
    const first = Array.from(rand([4]).dataSync());
    setRngState(state);
    expect(Array.from(rand([4]).dataSync())).toEqual(first);
  });

  it('has the moments of its distributions', () => {
    const g = new Generator(1);
    let sum = 0;
    let sumSq = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const x = g.normal();
      sum += x;
      sumSq += x * x;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.05);
    const u = rand([n], { low: 2, high: 4 }).dataSync();
    expect(Math.min(...u)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...u)).toBeLessThan(4);
  });

  it('randint stays in [low, high) and reaches both ends', () => {
    manualSeed(3);
    const v = Array.from(randint(-2, 3, [500]).dataSync());
    expect(new Set(v)).toEqual(new Set([-2, -1, 0, 1, 2]));
  });
});
