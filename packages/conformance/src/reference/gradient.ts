/** Float64 reference gradients: central differences on the reference function itself (never on a backend). */
import type { RefTensor } from './ndarray.js';

/**
 * d/d inputs[k] of Σ weights[o]·out[o] (all outputs concatenated), for every `k` in `which`,
 * by central differences with a step of 1e-6·max(1, |x|) in float64.
 */
export function refVjp(
  fn: (inputs: RefTensor[]) => readonly RefTensor[],
  inputs: readonly RefTensor[],
  weights: readonly Float64Array[],
  which: readonly number[],
): Float64Array[] {
  const objective = (xs: RefTensor[]): number => {
    const outs = fn(xs);
    let total = 0;
    outs.forEach((o, j) => {
      for (let i = 0; i < o.data.length; i++) total += weights[j][i] * o.data[i];
    });
    return total;
  };
  return which.map((k) => {
    const x = inputs[k];
    const g = new Float64Array(x.data.length);
    for (let i = 0; i < g.length; i++) {
      const h = 1e-6 * Math.max(1, Math.abs(x.data[i]));
      const shifted = (delta: number): RefTensor[] => {
        const data = Float64Array.from(x.data);
        data[i] += delta;
        const xs = [...inputs];
        xs[k] = { ...x, data };
        return xs;
      };
      g[i] = (objective(shifted(h)) - objective(shifted(-h))) / (2 * h);
    }
    return g;
  });
}
