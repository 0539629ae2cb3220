import { ShapeError, tensor } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import './setup.js';
import {
  accuracy,
  accuracyAsync,
  classificationReport,
  confusionMatrix,
  f1Score,
  precision,
  predictedClasses,
  predictedClassesAsync,
  recall,
  topKAccuracy,
} from '../src/index.js';

// Hand-made example: 3 classes, 8 samples.
const targets = Int32Array.from([0, 0, 0, 1, 1, 2, 2, 2]);
const preds = Int32Array.from([0, 1, 0, 1, 2, 2, 2, 0]);
// Confusion (rows truth, cols prediction):
//   0: [2, 1, 0]   1: [0, 1, 1]   2: [1, 0, 2]
// precision: c0 2/3, c1 1/2, c2 2/3; recall: c0 2/3, c1 1/2, c2 2/3; f1 = same as p=r.

describe('metrics', () => {
  it('accuracy from indices and from logits (argmax, first maximum wins)', () => {
    expect(accuracy(preds, targets)).toBe(5 / 8);
    const logits = tensor([
      [2, 1, 0],
      [0, 3, 3], // tie: class 1
      [0.1, 0.2, 0.3],
    ]);
    expect(Array.from(predictedClasses(logits))).toEqual([0, 1, 2]);
    expect(accuracy(logits, [0, 2, 2])).toBe(2 / 3);
    const y = tensor(new Int32Array([0, 1, 2]));
    expect(accuracy(logits, y)).toBe(1);
    expect(() => accuracy(logits, [0, 1])).toThrow('accuracy: 3 predictions but 2 targets');
    logits.dispose();
    y.dispose();
  });

  it('the async forms read tensors with await and agree with the synchronous ones', async () => {
    const logits = tensor([
      [2, 1, 0],
      [0, 3, 3], // tie: class 1
      [0.1, 0.2, 0.3],
      [5, 5, -1], // tie: class 0
    ]);
    const y = tensor(new Int32Array([0, 2, 2, 0]));
    expect(Array.from(await predictedClassesAsync(logits))).toEqual([0, 1, 2, 0]);
    expect(Array.from(await predictedClassesAsync(y))).toEqual([0, 2, 2, 0]);
    expect(await accuracyAsync(logits, y)).toBe(3 / 4);
    expect(await accuracyAsync(preds, targets)).toBe(5 / 8);
    await expect(accuracyAsync(logits, [0, 1])).rejects.toThrow('accuracy: 4 predictions but 2 targets');
    await expect(predictedClassesAsync(tensor([[[1]]]))).rejects.toThrow(ShapeError);
    logits.dispose();
    y.dispose();
  });

  it('top-k accuracy', () => {
    const logits = tensor([
      [0.5, 0.3, 0.2],
      [0.1, 0.6, 0.3],
      [0.2, 0.3, 0.5],
      [0.4, 0.4, 0.2],
    ]);
    const y = [2, 2, 0, 1];
    // ranks of the target: row0 3rd, row1 2nd, row2 3rd, row3 tied 1st.
    expect(topKAccuracy(logits, y, 1)).toBe(1 / 4);
    expect(topKAccuracy(logits, y, 2)).toBe(2 / 4);
    expect(topKAccuracy(logits, y, 3)).toBe(1);
    expect(topKAccuracy({ values: [1, 0, 0, 1], numClasses: 2 }, [0, 0], 1)).toBe(0.5);
    logits.dispose();
  });

  it('confusion matrix: rows are truth, columns predictions', () => {
    expect(confusionMatrix(preds, targets)).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [1, 0, 2],
    ]);
    expect(confusionMatrix([0], [0], 3)).toEqual([
      [1, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(() => confusionMatrix([3], [0], 3)).toThrow(/class index 3 is outside 0..2/);
  });

  it('precision, recall and F1 per class and averaged', () => {
    const r = classificationReport(preds, targets);
    expect(r.precision).toEqual([2 / 3, 1 / 2, 2 / 3]);
    expect(r.recall).toEqual([2 / 3, 1 / 2, 2 / 3]);
    expect(r.support).toEqual([3, 2, 3]);
    expect(r.macro.f1).toBeCloseTo((2 / 3 + 1 / 2 + 2 / 3) / 3, 12);
    expect(r.weighted.recall).toBeCloseTo((3 * (2 / 3) + 2 * 0.5 + 3 * (2 / 3)) / 8, 12);
    expect(r.accuracy).toBe(5 / 8);

    // An asymmetric example: binary, truth [1,1,1,0], prediction [1,0,0,0].
    // class 1: precision 1/1, recall 1/3, f1 = 2·1·(1/3)/(4/3) = 0.5; class 0: precision 1/3, recall 1, f1 0.5.
    expect(precision([1, 0, 0, 0], [1, 1, 1, 0], 'none')).toEqual([1 / 3, 1]);
    expect(recall([1, 0, 0, 0], [1, 1, 1, 0], 'none')).toEqual([1, 1 / 3]);
    expect(f1Score([1, 0, 0, 0], [1, 1, 1, 0], 'none')).toEqual([0.5, 0.5]);
    expect(precision([1, 0, 0, 0], [1, 1, 1, 0])).toBeCloseTo(2 / 3, 12);
    expect(recall([1, 0, 0, 0], [1, 1, 1, 0], 'micro')).toBe(0.5);
    // A class never predicted has precision 0; one never present has recall 0 (counted in macro).
    const z = classificationReport([0, 0], [0, 1], 3);
    expect(z.precision).toEqual([0.5, 0, 0]);
    expect(z.recall).toEqual([1, 0, 0]);
    expect(z.macro.recall).toBeCloseTo(1 / 3, 12);
  });
});
