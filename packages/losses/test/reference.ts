/** Float64 references written from the PyTorch definitions, independent of the library. */

export function logSoftmaxRow(row: readonly number[]): number[] {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((s, x) => s + Math.exp(x - m), 0));
  return row.map((x) => x - lse);
}

export function reduceRef(values: number[], reduction: 'mean' | 'sum' | 'none'): number | number[] {
  if (reduction === 'none') return values;
  const s = values.reduce((a, b) => a + b, 0);
  return reduction === 'sum' ? s : s / values.length;
}

export interface CERefOptions {
  weight?: number[];
  ignoreIndex?: number;
  labelSmoothing?: number;
  reduction?: 'mean' | 'sum' | 'none';
}

/** PyTorch's cross_entropy for rows [N][C] and class indices. */
export function crossEntropyRef(
  logits: number[][],
  target: number[],
  o: CERefOptions = {},
): number | number[] {
  const { weight, ignoreIndex = -100, labelSmoothing: eps = 0, reduction = 'mean' } = o;
  const C = logits[0].length;
  const nllRows: number[] = [];
  const smoothRows: number[] = [];
  let wsum = 0;
  logits.forEach((row, n) => {
    const lp = logSoftmaxRow(row);
    const t = target[n];
    if (t === ignoreIndex) {
      nllRows.push(0);
      smoothRows.push(0);
      return;
    }
    const w = weight ? weight[t] : 1;
    wsum += w;
    nllRows.push(-w * lp[t]);
    smoothRows.push(-lp.reduce((s, v, c) => s + (weight ? weight[c] : 1) * v, 0));
  });
  const red = (rows: number[]): number | number[] =>
    reduction === 'none'
      ? rows
      : reduction === 'sum'
        ? rows.reduce((a, b) => a + b, 0)
        : rows.reduce((a, b) => a + b, 0) / wsum;
  const a = red(nllRows);
  const b = red(smoothRows);
  if (typeof a === 'number') return (1 - eps) * a + (eps / C) * (b as number);
  return a.map((v, i) => (1 - eps) * v + (eps / C) * (b as number[])[i]);
}

/** PyTorch's cross_entropy with probability targets, rows [N][C]. */
export function crossEntropyProbRef(
  logits: number[][],
  probs: number[][],
  o: { weight?: number[]; labelSmoothing?: number; reduction?: 'mean' | 'sum' | 'none' } = {},
): number | number[] {
  const { weight, labelSmoothing: eps = 0, reduction = 'mean' } = o;
  const C = logits[0].length;
  const rows = logits.map((row, n) => {
    const lp = logSoftmaxRow(row);
    return -lp.reduce((s, v, c) => s + v * (probs[n][c] * (1 - eps) + eps / C) * (weight ? weight[c] : 1), 0);
  });
  return reduceRef(rows, reduction);
}

export function bceWithLogitsRef(x: number, y: number, posWeight = 1, weight = 1): number {
  const lw = 1 + (posWeight - 1) * y;
  const softplusNeg = Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  return weight * ((1 - y) * x + lw * softplusNeg);
}

export function bceRef(p: number, y: number, weight = 1): number {
  const lp = Math.max(Math.log(p), -100);
  const l1p = Math.max(Math.log(1 - p), -100);
  return -weight * (y * lp + (1 - y) * l1p);
}

export function multiMarginRef(x: number[][], y: number[], p = 1, margin = 1, weight?: number[]): number[] {
  return x.map((row, n) => {
    let s = 0;
    row.forEach((v, i) => {
      if (i === y[n]) return;
      const z = margin - row[y[n]] + v;
      if (z > 0) s += (p === 1 ? z : z * z) * (weight ? weight[y[n]] : 1);
    });
    return s / row.length;
  });
}
