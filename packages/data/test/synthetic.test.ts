import { manualSeed } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import './setup.js';
import { blobs, circles, classCounts, moons, sine, spirals, toTensorDataset, xor } from '../src/index.js';

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const column = (x: Float32Array, d: number, f: number, rows?: number[]) =>
  (rows ?? Array.from({ length: x.length / d }, (_, i) => i)).map((i) => x[i * d + f]);
const rowsOf = (y: Int32Array, c: number) => Array.from(y.keys()).filter((i) => y[i] === c);

describe('synthetic data sets', () => {
  it('xor without noise is the truth table', () => {
    const d = xor({ numSamples: 4, noise: 0, shuffle: false, seed: 0 });
    expect(Array.from(d.x)).toEqual([0, 0, 0, 1, 1, 0, 1, 1]);
    expect(Array.from(d.y)).toEqual([0, 1, 1, 0]);
    expect([d.numSamples, d.numFeatures, d.numClasses]).toEqual([4, 2, 2]);
  });

  it('xor labels match the nearest corner', () => {
    const d = xor({ numSamples: 400, noise: 0.1, seed: 1 });
    expect(classCounts(d)).toEqual([200, 200]);
    for (let i = 0; i < d.numSamples; i++) {
      const a = d.x[2 * i] > 0.5 ? 1 : 0;
      const b = d.x[2 * i + 1] > 0.5 ? 1 : 0;
      expect(d.y[i]).toBe(a ^ b); // noise 0.1 never crosses 0.5 in practice (5 sigma)
    }
  });

  it('same seed gives the same data, another seed other data, for every generator', () => {
    const makers = [
      (seed: number) => xor({ seed }),
      (seed: number) => spirals({ seed }),
      (seed: number) => moons({ seed }),
      (seed: number) => circles({ seed }),
      (seed: number) => blobs({ seed }),
      (seed: number) => sine({ seed }),
    ];
    for (const make of makers) {
      const a = make(5);
      const b = make(5);
      const c = make(6);
      expect(Array.from(a.x)).toEqual(Array.from(b.x));
      expect(Array.from(a.y)).toEqual(Array.from(b.y));
      expect(Array.from(a.x)).not.toEqual(Array.from(c.x));
    }
  });

  it('without a seed draws from the global generator (manualSeed)', () => {
    manualSeed(123);
    const a = moons();
    manualSeed(123);
    const b = moons();
    const c = moons();
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(b.x)).not.toEqual(Array.from(c.x));
  });

  it('spirals: k classes of (nearly) equal size, radius in [0, 1]', () => {
    const d = spirals({ numSamples: 301, numClasses: 4, noise: 0.1, seed: 0 });
    expect(d.numClasses).toBe(4);
    expect(classCounts(d)).toEqual([76, 75, 75, 75]);
    for (let i = 0; i < d.numSamples; i++)
      expect(Math.hypot(d.x[2 * i], d.x[2 * i + 1])).toBeLessThanOrEqual(1 + 1e-6);
    // Without noise the arms are exact: the outermost point of arm c sits at angle 4 + c·2π/k.
    const exact = spirals({ numSamples: 30, numClasses: 3, noise: 0, shuffle: false, seed: 0 });
    const last = 9; // arm 0 has 10 points, the last at r = 1
    expect(exact.x[2 * last]).toBeCloseTo(Math.sin(4), 6);
    expect(exact.x[2 * last + 1]).toBeCloseTo(Math.cos(4), 6);
    expect(exact.y[10]).toBe(1);
  });

  it('moons and circles lie on their curves without noise', () => {
    const m = moons({ numSamples: 101, noise: 0, seed: 0 });
    expect(classCounts(m)).toEqual([51, 50]);
    for (let i = 0; i < m.numSamples; i++) {
      const [x, y] = [m.x[2 * i], m.x[2 * i + 1]];
      const r = m.y[i] === 0 ? Math.hypot(x, y) : Math.hypot(1 - x, 0.5 - y);
      expect(r).toBeCloseTo(1, 5);
    }
    const c = circles({ numSamples: 100, noise: 0, factor: 0.3, seed: 0 });
    expect(classCounts(c)).toEqual([50, 50]);
    for (let i = 0; i < c.numSamples; i++) {
      expect(Math.hypot(c.x[2 * i], c.x[2 * i + 1])).toBeCloseTo(c.y[i] === 0 ? 1 : 0.3, 5);
    }
    expect(() => circles({ factor: 1 })).toThrow(/factor must be in \(0, 1\), got 1/);
  });

  it('blobs center on their centers with the asked spread', () => {
    const centers = [
      [0, 0, 0],
      [10, -5, 2],
    ];
    const d = blobs({ numSamples: 4000, centers, std: [0.5, 2], seed: 3 });
    expect(d.numFeatures).toBe(3);
    expect(classCounts(d)).toEqual([2000, 2000]);
    for (const c of [0, 1]) {
      const rows = rowsOf(d.y, c);
      for (let f = 0; f < 3; f++) {
        const v = column(d.x, 3, f, rows);
        const m = mean(v);
        expect(m).toBeCloseTo(centers[c][f], 0);
        const sd = Math.sqrt(mean(v.map((a) => (a - m) ** 2)));
        expect(sd).toBeGreaterThan([0.5, 2][c] * 0.9);
        expect(sd).toBeLessThan([0.5, 2][c] * 1.1);
      }
    }
    const drawn = blobs({ centers: 5, numFeatures: 4, seed: 1 });
    expect(drawn.centers).toHaveLength(5);
    expect(drawn.centers.flat().every((v) => v >= -10 && v < 10)).toBe(true);
    expect(drawn.numClasses).toBe(5);
  });

  it('sine: y = sin(x) + noise, x in range', () => {
    const d = sine({ numSamples: 2000, noise: 0.1, seed: 0 });
    expect(d.task).toBe('regression');
    expect([d.numFeatures, d.numTargets]).toEqual([1, 1]);
    const residuals = Array.from(d.x, (x, i) => d.y[i] - Math.sin(x));
    expect(Math.abs(mean(residuals))).toBeLessThan(0.01);
    expect(Math.sqrt(mean(residuals.map((r) => r * r)))).toBeCloseTo(0.1, 2);
    expect(Array.from(d.x).every((x) => x >= -Math.PI && x < Math.PI)).toBe(true);
    const clean = sine({ numSamples: 10, noise: 0, range: [0, 1], seed: 0 });
    clean.x.forEach((x, i) => {
      expect(clean.y[i]).toBeCloseTo(Math.sin(x), 6);
    });
  });

  it('becomes a TensorDataset: float32 [N, d] features and int32 [N] labels (float [N, 1] targets for regression)', () => {
    const ds = toTensorDataset(spirals({ numSamples: 30, seed: 0 }));
    const [x, y] = ds.tensors;
    expect([x.shape, x.dtype, y.shape, y.dtype]).toEqual([[30, 2], 'float32', [30], 'int32']);
    const rs = toTensorDataset(sine({ numSamples: 8, seed: 0 }));
    expect([rs.tensors[1].shape, rs.tensors[1].dtype]).toEqual([[8, 1], 'float32']);
    for (const t of [...ds.tensors, ...rs.tensors]) t.dispose();
  });
});
