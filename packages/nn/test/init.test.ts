import { Generator, manualSeed, type Tensor, tensor, zeros } from '@backprop/core';
import { afterEach, describe, expect, it } from 'vitest';
import './setup.js';
import { calculateGain, init, mlp } from '../src/index.js';

const values = (t: Tensor) => Array.from(t.dataSync());
const stats = (v: number[]) => {
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length;
  return { mean, std: Math.sqrt(variance), maxAbs: Math.max(...v.map(Math.abs)) };
};
const made: Tensor[] = [];
const make = (shape: number[]) => {
  const t = zeros(shape);
  made.push(t);
  return t;
};
afterEach(() => {
  for (const t of made.splice(0)) t.dispose();
});

describe('calculateGain and fans', () => {
  it('matches PyTorch’s table', () => {
    expect(calculateGain('linear')).toBe(1);
    expect(calculateGain('sigmoid')).toBe(1);
    expect(calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(calculateGain('relu')).toBeCloseTo(Math.SQRT2, 12);
    expect(calculateGain('leakyRelu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 12);
    expect(calculateGain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 12);
    expect(calculateGain('leakyRelu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(calculateGain('selu')).toBe(0.75);
    expect(() => calculateGain('nope' as 'relu')).toThrow(/unknown nonlinearity "nope"/);
  });

  it('fans of [out, in] and [out, in, k]', () => {
    expect(init.calculateFans(make([3, 5]))).toEqual({ fanIn: 5, fanOut: 3 });
    expect(init.calculateFans(make([4, 2, 3]))).toEqual({ fanIn: 6, fanOut: 12 });
    expect(() => init.calculateFans(make([4]))).toThrow(/at least 2 dimensions/);
  });
});

describe('initialisers', () => {
  it('fill in place (same tensor object) and are deterministic for a seed', () => {
    const t = make([10, 20]);
    manualSeed(7);
    expect(init.kaimingUniform(t)).toBe(t);
    const first = values(t);
    manualSeed(7);
    init.kaimingUniform(t);
    expect(values(t)).toEqual(first);
    init.kaimingUniform(t, { generator: new Generator(7) });
    const fromOwn = values(t);
    init.kaimingUniform(t, { generator: new Generator(7) });
    expect(values(t)).toEqual(fromOwn);
  });

  it('uniform, normal, constant, zeros, ones', () => {
    const t = make([2000]);
    init.uniform(t, -2, 3);
    const u = stats(values(t));
    expect(Math.min(...values(t))).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...values(t))).toBeLessThan(3);
    expect(u.mean).toBeCloseTo(0.5, 0);
    init.normal(t, 1, 0.5);
    const n = stats(values(t));
    expect(Math.abs(n.mean - 1)).toBeLessThan(0.05);
    expect(Math.abs(n.std - 0.5)).toBeLessThan(0.03);
    expect(values(init.constant(make([3]), 2.5))).toEqual([2.5, 2.5, 2.5]);
    expect(values(init.ones(make([2])))).toEqual([1, 1]);
    expect(values(init.zeros(init.ones(make([2]))))).toEqual([0, 0]);
    expect(() => init.uniform(t, 1, 0)).toThrow(/low <= high/);
    expect(() => init.constant(make([2]).cast('int32'), 1)).toThrow(/float32/);
  });

  it('xavier: bound √(6/(in+out)) and std √(2/(in+out)), times gain', () => {
    const t = make([200, 300]);
    init.xavierUniform(t, { gain: 2 });
    const bound = 2 * Math.sqrt(6 / 500);
    const u = stats(values(t));
    expect(u.maxAbs).toBeLessThanOrEqual(bound);
    expect(u.maxAbs).toBeGreaterThan(0.99 * bound);
    expect(Math.abs(u.std / (bound / Math.sqrt(3)) - 1)).toBeLessThan(0.02);
    init.xavierNormal(t);
    expect(Math.abs(stats(values(t)).std / Math.sqrt(2 / 500) - 1)).toBeLessThan(0.02);
  });

  it('kaiming: gain/√fan with mode fanIn or fanOut', () => {
    const t = make([100, 400]);
    init.kaimingNormal(t, { nonlinearity: 'relu' });
    expect(Math.abs(stats(values(t)).std / (Math.SQRT2 / Math.sqrt(400)) - 1)).toBeLessThan(0.02);
    init.kaimingNormal(t, { nonlinearity: 'relu', mode: 'fanOut' });
    expect(Math.abs(stats(values(t)).std / (Math.SQRT2 / Math.sqrt(100)) - 1)).toBeLessThan(0.02);
    init.kaimingUniform(t, { a: 0.2, nonlinearity: 'leakyRelu' });
    const bound = Math.sqrt(2 / 1.04) * Math.sqrt(3 / 400);
    const u = stats(values(t));
    expect(u.maxAbs).toBeLessThanOrEqual(bound);
    expect(u.maxAbs).toBeGreaterThan(0.99 * bound);
    expect(() => init.kaimingUniform(t, { mode: 'fan_in' as 'fanIn' })).toThrow(/mode must be/);
  });

  it('orthogonal: orthonormal rows (wide) or columns (tall), scaled by gain', () => {
    for (const [rows, cols] of [
      [3, 5],
      [5, 3],
      [4, 4],
    ]) {
      const t = make([rows, cols]);
      init.orthogonal(t, { gain: 2 });
      const m = t.arraySync() as number[][];
      const small = Math.min(rows, cols);
      for (let i = 0; i < small; i++) {
        for (let j = 0; j < small; j++) {
          let dot = 0;
          for (let k = 0; k < Math.max(rows, cols); k++) {
            dot += rows <= cols ? m[i][k] * m[j][k] : m[k][i] * m[k][j];
          }
          expect(dot).toBeCloseTo(i === j ? 4 : 0, 5);
        }
      }
    }
    const conv = make([2, 3, 2]);
    init.orthogonal(conv);
    const flat = values(conv);
    const dot = flat.slice(0, 6).reduce((s, v, i) => s + v * flat[6 + i], 0);
    expect(dot).toBeCloseTo(0, 5);
    expect(() => init.orthogonal(make([3]))).toThrow(/at least 2 dimensions/);
  });
});

describe('determinism of models', () => {
  it('the same seed gives the same model weights; another seed does not', () => {
    const weights = (seed: number) => {
      manualSeed(seed);
      const net = mlp({ sizes: [5, 7, 3] });
      const v = net.parameters().flatMap(values);
      net.dispose();
      return v;
    };
    expect(weights(3)).toEqual(weights(3));
    expect(weights(3)).not.toEqual(weights(4));
  });

  it('eye fills the identity in place', () => {
    const t = tensor([
      [5, 5, 5],
      [5, 5, 5],
    ]);
    made.push(t);
    expect(init.eye(t).arraySync()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(() => init.eye(make([2, 2, 2]))).toThrow(/2-D/);
  });
});
