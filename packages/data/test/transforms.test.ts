import { tensor } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import './setup.js';
import { classificationData, normalize, oneHot, Standardizer, standardize } from '../src/index.js';

describe('normalize', () => {
  it('applies per-feature and scalar mean/std to arrays and tensors', () => {
    const x = Float32Array.from([1, 10, 3, 20]);
    expect(Array.from(normalize(x, [2, 15], [1, 5], 2))).toEqual([-1, -1, 1, 1]);
    expect(Array.from(normalize(x, 1, 2, 2))).toEqual([0, 4.5, 1, 9.5]);
    const t = tensor([
      [1, 10],
      [3, 20],
    ]);
    const out = normalize(t, [2, 15], [1, 5]);
    expect(out.arraySync()).toEqual([
      [-1, -1],
      [1, 1],
    ]);
    expect(() => normalize(x, [1, 2, 3], 1, 2)).toThrow(/mean has 3 values but there are 2 features/);
    expect(() => normalize(x, 0, 0, 2)).toThrow(/std must be positive and finite, got 0 for feature 0/);
    t.dispose();
    out.dispose();
  });
});

describe('standardize', () => {
  it('fits on the training set and applies the same statistics to the test set', () => {
    const train = classificationData(Float32Array.from([0, 5, 2, 5, 4, 5]), Int32Array.from([0, 1, 0]), 2, 2);
    const test = classificationData(Float32Array.from([6, 7]), Int32Array.from([1]), 2, 2);
    const {
      data: [tr, te],
      standardizer,
    } = standardize(train, test);
    // Feature 0: mean 2, population std sqrt(8/3); feature 1: constant, so only centered.
    const sd = Math.sqrt(8 / 3);
    expect(Array.from(standardizer.mean)).toEqual([2, 5]);
    expect(standardizer.std[0]).toBeCloseTo(sd, 6);
    expect(standardizer.std[1]).toBe(1);
    [-2 / sd, 0, 0, 0, 2 / sd, 0].forEach((v, i) => {
      expect(tr.x[i]).toBeCloseTo(v, 6);
    });
    expect(te.x[0]).toBeCloseTo(4 / sd, 6);
    expect(te.x[1]).toBe(2);
    expect(Array.from(train.x)).toEqual([0, 5, 2, 5, 4, 5]); // inputs untouched
    expect(te.y).toBe(test.y);
    const back = standardizer.inverse(tr.x);
    expect(back[4]).toBeCloseTo(4, 5);
    const again = Standardizer.fromJSON(JSON.parse(JSON.stringify(standardizer)));
    expect(Array.from(again.transform(test.x))).toEqual(Array.from(te.x));
    const t = tensor([[6, 7]]);
    const tt = standardizer.transform(t);
    expect(tt.dataSync()[0]).toBeCloseTo(4 / sd, 6);
    t.dispose();
    tt.dispose();
  });
});

describe('oneHot', () => {
  it('encodes arrays and tensors, and names a bad label', () => {
    expect(Array.from(oneHot([2, 0], 3))).toEqual([0, 0, 1, 1, 0, 0]);
    const t = tensor(new Int32Array([1, 0]));
    const h = oneHot(t, 2);
    expect(h.arraySync()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(() => oneHot([0, 3], 3)).toThrow('oneHot: label 3 at position 1 is not a class index in 0..2');
    t.dispose();
    h.dispose();
  });
});
