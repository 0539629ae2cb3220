import { ArgumentError, argmax, ShapeError, Tensor } from '@backprop/core';

/**
 * Predictions: a tensor of logits or probabilities `[N, C]` (the predicted class is the row's
 * argmax; the first maximum wins), or predicted class indices `[N]` as a tensor or an array.
 * Tensors are read with `dataSync()`; on a backend that cannot read synchronously, use
 * `predictedClassesAsync` (or `accuracyAsync`), or read them with `await t.data()` first and pass
 * the array.
 */
export type Predictions = Tensor | ArrayLike<number>;

/** True class indices `[N]`: an int32 tensor or an array (`Int32Array`, `number[]`). */
export type Targets = Tensor | ArrayLike<number>;

function assertTargetShape(op: string, targets: Tensor): void {
  if (targets.rank !== 1)
    throw new ShapeError(
      `${op}: targets must be 1-D class indices [N], got shape [${targets.shape.join(', ')}]`,
    );
}

function readTargets(op: string, targets: Targets): ArrayLike<number> {
  if (targets instanceof Tensor) {
    assertTargetShape(op, targets);
    return targets.dataSync();
  }
  return targets;
}

/** Checks that a tensor of predictions of rank other than 1 is logits [N, C] with classes. */
function assertLogits(predictions: Tensor): void {
  if (predictions.rank !== 2) {
    throw new ShapeError(
      `metrics: predictions must be logits [N, C] or class indices [N], got shape [${predictions.shape.join(', ')}]`,
    );
  }
  if (predictions.shape[1] === 0) throw new ShapeError('metrics: logits have no classes (shape [N, 0])');
}

/** Predicted class indices from logits `[N, C]` or indices `[N]`. */
export function predictedClasses(predictions: Predictions): Int32Array {
  if (!(predictions instanceof Tensor)) return Int32Array.from(predictions);
  if (predictions.rank === 1) return Int32Array.from(predictions.dataSync());
  assertLogits(predictions);
  const [n, c] = predictions.shape;
  const values = predictions.dataSync();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (values[i * c + j] > values[i * c + best]) best = j;
    out[i] = best;
  }
  return out;
}

function checkedPair(
  op: string,
  predictions: Predictions,
  targets: Targets,
): { pred: Int32Array; target: ArrayLike<number> } {
  const pred = predictedClasses(predictions);
  const target = readTargets(op, targets);
  if (pred.length !== target.length)
    throw new ShapeError(`${op}: ${pred.length} predictions but ${target.length} targets`);
  for (let i = 0; i < target.length; i++) {
    if (!Number.isInteger(target[i]) || target[i] < 0)
      throw new ArgumentError(`${op}: target ${target[i]} at position ${i} is not a class index`);
  }
  return { pred, target };
}

/**
 * `predictedClasses` for every backend, those that read back only asynchronously (WebGPU)
 * included: logits `[N, C]` are reduced to their argmax (the first maximum) on the device, so only
 * the N classes are read. Pass the result to any metric here.
 */
export async function predictedClassesAsync(predictions: Predictions): Promise<Int32Array> {
  if (!(predictions instanceof Tensor)) return Int32Array.from(predictions);
  if (predictions.rank === 1) return Int32Array.from(await predictions.data());
  assertLogits(predictions);
  const classes = argmax(predictions, 1);
  try {
    return Int32Array.from(await classes.data());
  } finally {
    classes.dispose();
  }
}

/** `accuracy` for every backend: tensors are read back with `await` (see `predictedClassesAsync`). */
export async function accuracyAsync(predictions: Predictions, targets: Targets): Promise<number> {
  let target: ArrayLike<number> = targets as ArrayLike<number>;
  if (targets instanceof Tensor) {
    assertTargetShape('accuracyAsync', targets);
    target = await targets.data();
  }
  return accuracy(await predictedClassesAsync(predictions), target);
}

/** Fraction of samples whose predicted class equals the target (0 for no samples). */
export function accuracy(predictions: Predictions, targets: Targets): number {
  const { pred, target } = checkedPair('accuracy', predictions, targets);
  let hits = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === target[i]) hits++;
  return pred.length === 0 ? 0 : hits / pred.length;
}

/**
 * Fraction of samples whose target is among the `k` highest scores of its row of `logits` `[N, C]`:
 * a target counts when fewer than `k` classes score strictly higher (ties favour the target).
 */
export function topKAccuracy(
  logits: Tensor | { values: ArrayLike<number>; numClasses: number },
  targets: Targets,
  k: number,
): number {
  let values: ArrayLike<number>;
  let c: number;
  if (logits instanceof Tensor) {
    if (logits.rank !== 2)
      throw new ShapeError(`topKAccuracy: logits must be [N, C], got shape [${logits.shape.join(', ')}]`);
    values = logits.dataSync();
    c = logits.shape[1];
  } else {
    values = logits.values;
    c = logits.numClasses;
  }
  if (!Number.isInteger(k) || k < 1)
    throw new ArgumentError(`topKAccuracy: k must be a positive integer, got ${k}`);
  const target = readTargets('topKAccuracy', targets);
  const n = target.length;
  if (values.length !== n * c)
    throw new ShapeError(`topKAccuracy: ${values.length} scores do not fit ${n} targets × ${c} classes`);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const t = target[i];
    if (!Number.isInteger(t) || t < 0 || t >= c)
      throw new ArgumentError(`topKAccuracy: target ${t} at position ${i} is outside 0..${c - 1}`);
    const score = values[i * c + t];
    let higher = 0;
    for (let j = 0; j < c; j++) if (values[i * c + j] > score) higher++;
    if (higher < k) hits++;
  }
  return n === 0 ? 0 : hits / n;
}

function classCount(op: string, pred: Int32Array, target: ArrayLike<number>, numClasses?: number): number {
  let max = -1;
  for (let i = 0; i < pred.length; i++) max = Math.max(max, pred[i], target[i]);
  const c = numClasses ?? max + 1;
  if (!Number.isInteger(c) || c < 1)
    throw new ArgumentError(`${op}: numClasses must be a positive integer, got ${numClasses}`);
  if (max >= c) throw new ArgumentError(`${op}: class index ${max} is outside 0..${c - 1} (numClasses ${c})`);
  for (let i = 0; i < pred.length; i++) {
    if (pred[i] < 0)
      throw new ArgumentError(`${op}: predicted class ${pred[i]} at position ${i} is not a class index`);
  }
  return c;
}

/**
 * Counts `matrix[t][p]` of samples with true class `t` predicted as `p` (rows: truth, columns:
 * prediction). `numClasses` defaults to the largest index seen + 1.
 */
export function confusionMatrix(predictions: Predictions, targets: Targets, numClasses?: number): number[][] {
  const { pred, target } = checkedPair('confusionMatrix', predictions, targets);
  const c = classCount('confusionMatrix', pred, target, numClasses);
  const m = Array.from({ length: c }, () => new Array<number>(c).fill(0));
  for (let i = 0; i < pred.length; i++) m[target[i]][pred[i]]++;
  return m;
}

/** Per-class and averaged precision, recall and F1. */
export interface ClassificationReport {
  /** Per class: of the samples predicted as the class, the fraction that are (0 when none is predicted). */
  precision: number[];
  /** Per class: of the samples of the class, the fraction predicted as it (0 when the class has no samples). */
  recall: number[];
  /** Per class: harmonic mean of precision and recall (0 when both are 0). */
  f1: number[];
  /** Per class: number of samples whose true class it is. */
  support: number[];
  /** Unweighted means over all `numClasses` classes (scikit-learn's `average='macro'`). */
  macro: { precision: number; recall: number; f1: number };
  /** Means weighted by support (`average='weighted'`). */
  weighted: { precision: number; recall: number; f1: number };
  /** Fraction of correct predictions (equal to micro-averaged precision, recall and F1). */
  accuracy: number;
  confusion: number[][];
}

/**
 * Precision, recall and F1 per class with macro and weighted averages, following scikit-learn's
 * definitions (zero where a ratio's denominator is zero).
 */
export function classificationReport(
  predictions: Predictions,
  targets: Targets,
  numClasses?: number,
): ClassificationReport {
  const confusion = confusionMatrix(predictions, targets, numClasses);
  const c = confusion.length;
  const support = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = confusion[0].map((_, p) => confusion.reduce((s, row) => s + row[p], 0));
  const tp = confusion.map((row, k) => row[k]);
  const precision = tp.map((t, k) => (predicted[k] === 0 ? 0 : t / predicted[k]));
  const recall = tp.map((t, k) => (support[k] === 0 ? 0 : t / support[k]));
  const f1 = precision.map((p, k) => (p + recall[k] === 0 ? 0 : (2 * p * recall[k]) / (p + recall[k])));
  const n = support.reduce((a, b) => a + b, 0);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / c;
  const wmean = (v: number[]) => (n === 0 ? 0 : v.reduce((a, b, k) => a + b * support[k], 0) / n);
  return {
    precision,
    recall,
    f1,
    support,
    macro: { precision: mean(precision), recall: mean(recall), f1: mean(f1) },
    weighted: { precision: wmean(precision), recall: wmean(recall), f1: wmean(f1) },
    accuracy: n === 0 ? 0 : tp.reduce((a, b) => a + b, 0) / n,
    confusion,
  };
}

/** Options of `precision`, `recall` and `f1Score`. */
export interface AverageOptions {
  /** Number of classes (default: largest index seen + 1). */
  numClasses?: number;
}

/** Per-class precision (`average: 'none'`) or its macro / weighted / micro average (default macro). */
export function precision(
  predictions: Predictions,
  targets: Targets,
  average: 'none',
  options?: AverageOptions,
): number[];
export function precision(
  predictions: Predictions,
  targets: Targets,
  average?: Average,
  options?: AverageOptions,
): number;
export function precision(
  predictions: Predictions,
  targets: Targets,
  average: Average | 'none' = 'macro',
  options: AverageOptions = {},
): number | number[] {
  return pick(classificationReport(predictions, targets, options.numClasses), 'precision', average);
}

/** Per-class recall (`average: 'none'`) or its macro / weighted / micro average (default macro). */
export function recall(
  predictions: Predictions,
  targets: Targets,
  average: 'none',
  options?: AverageOptions,
): number[];
export function recall(
  predictions: Predictions,
  targets: Targets,
  average?: Average,
  options?: AverageOptions,
): number;
export function recall(
  predictions: Predictions,
  targets: Targets,
  average: Average | 'none' = 'macro',
  options: AverageOptions = {},
): number | number[] {
  return pick(classificationReport(predictions, targets, options.numClasses), 'recall', average);
}

/** Per-class F1 (`average: 'none'`) or its macro / weighted / micro average (default macro). */
export function f1Score(
  predictions: Predictions,
  targets: Targets,
  average: 'none',
  options?: AverageOptions,
): number[];
export function f1Score(
  predictions: Predictions,
  targets: Targets,
  average?: Average,
  options?: AverageOptions,
): number;
export function f1Score(
  predictions: Predictions,
  targets: Targets,
  average: Average | 'none' = 'macro',
  options: AverageOptions = {},
): number | number[] {
  return pick(classificationReport(predictions, targets, options.numClasses), 'f1', average);
}

/** How per-class scores are averaged. */
export type Average = 'macro' | 'weighted' | 'micro';

function pick(
  report: ClassificationReport,
  metric: 'precision' | 'recall' | 'f1',
  average: Average | 'none',
): number | number[] {
  switch (average) {
    case 'none':
      return report[metric];
    case 'macro':
      return report.macro[metric];
    case 'weighted':
      return report.weighted[metric];
    case 'micro':
      return report.accuracy;
    default:
      throw new ArgumentError(
        `${metric}: average must be 'macro', 'weighted', 'micro' or 'none', got ${String(average)}`,
      );
  }
}
