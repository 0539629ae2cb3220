/**
 * Float64 reference einsum: a direct loop over every assignment of the labels, independent of
 * core's lowering to matmul. Supports letters, repeated letters (diagonals), the implicit form and
 * '...' (broadcast dimensions).
 */
import { type RefTensor, size, strides } from './ndarray.js';

export function refEinsum(equation: string, operands: readonly RefTensor[]): RefTensor {
  const [lhs, rhs] = equation.replace(/\s+/g, '').split('->');
  const terms = lhs.split(',');
  const ell = Math.max(0, ...terms.map((t, k) => operands[k].shape.length - t.replace('...', '').length));
  const batch = Array.from({ length: ell }, (_, i) => String.fromCharCode(0x100 + i));
  const expand = (t: string, rank: number) => {
    const letters = t.replace('...', '');
    const span = rank - letters.length;
    return t.includes('...') ? t.replace('...', batch.slice(ell - span).join('')).split('') : t.split('');
  };
  const labels = terms.map((t, k) => expand(t, operands[k].shape.length));
  let out: string[];
  if (rhs !== undefined)
    out = rhs.includes('...') ? rhs.replace('...', batch.join('')).split('') : rhs.split('');
  else {
    const count = new Map<string, number>();
    for (const l of labels.flat()) count.set(l, (count.get(l) ?? 0) + 1);
    out = [
      ...batch,
      ...[...count]
        .filter(([l, n]) => n === 1 && l.charCodeAt(0) < 0x100)
        .map(([l]) => l)
        .sort(),
    ];
  }
  const sizes = new Map<string, number>();
  labels.forEach((ls, k) => {
    ls.forEach((l, d) => {
      const known = sizes.get(l);
      const d2 = operands[k].shape[d];
      sizes.set(l, known === undefined || known === 1 ? d2 : known);
    });
  });
  const all = [...new Set([...out, ...labels.flat()])];
  const outShape = out.map((l) => sizes.get(l) as number);
  const result = new Float64Array(size(outShape));
  const outSt = strides(outShape);
  const st = operands.map((o) => strides(o.shape));
  const value = new Map<string, number>();
  const visit = (i: number): void => {
    if (i === all.length) {
      let prod = 1;
      operands.forEach((o, k) => {
        let off = 0;
        labels[k].forEach((l, d) => {
          off += (o.shape[d] === 1 ? 0 : (value.get(l) as number)) * st[k][d];
        });
        prod *= o.data[off];
      });
      let o = 0;
      out.forEach((l, d) => {
        o += (value.get(l) as number) * outSt[d];
      });
      result[o] += prod;
      return;
    }
    const n = sizes.get(all[i]) as number;
    for (let v = 0; v < n; v++) {
      value.set(all[i], v);
      visit(i + 1);
    }
  };
  visit(0);
  return { shape: outShape, data: result, dtype: 'float32' };
}
