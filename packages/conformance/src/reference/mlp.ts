/** A float64 reference of a tiny MLP trained with SGD: tanh hidden layer, softmax cross-entropy, hand-written gradients. */

export interface MlpParams {
  w1: Float64Array; // [H, D]
  b1: Float64Array; // [H]
  w2: Float64Array; // [C, H]
  b2: Float64Array; // [C]
}

/** Trains in place for `steps` SGD steps and returns the loss before each step. */
export function refTrainMlp(
  x: Float64Array,
  labels: readonly number[],
  dims: { n: number; d: number; h: number; c: number },
  p: MlpParams,
  lr: number,
  steps: number,
): number[] {
  const { n, d, h, c } = dims;
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const hid = new Float64Array(n * h);
    const z = new Float64Array(n * c);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < h; j++) {
        let s = p.b1[j];
        for (let k = 0; k < d; k++) s += x[i * d + k] * p.w1[j * d + k];
        hid[i * h + j] = Math.tanh(s);
      }
      for (let j = 0; j < c; j++) {
        let s = p.b2[j];
        for (let k = 0; k < h; k++) s += hid[i * h + k] * p.w2[j * h + k];
        z[i * c + j] = s;
      }
    }
    let loss = 0;
    const dz = new Float64Array(n * c);
    for (let i = 0; i < n; i++) {
      const row = Array.from(z.subarray(i * c, i * c + c));
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
      loss += (lse - row[labels[i]]) / n;
      for (let j = 0; j < c; j++) dz[i * c + j] = (Math.exp(row[j] - lse) - (j === labels[i] ? 1 : 0)) / n;
    }
    losses.push(loss);
    const gw2 = new Float64Array(c * h);
    const gb2 = new Float64Array(c);
    const dpre = new Float64Array(n * h);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < c; j++) {
        gb2[j] += dz[i * c + j];
        for (let k = 0; k < h; k++) gw2[j * h + k] += dz[i * c + j] * hid[i * h + k];
      }
      for (let k = 0; k < h; k++) {
        let s = 0;
        for (let j = 0; j < c; j++) s += dz[i * c + j] * p.w2[j * h + k];
        dpre[i * h + k] = s * (1 - hid[i * h + k] ** 2);
      }
    }
    const gw1 = new Float64Array(h * d);
    const gb1 = new Float64Array(h);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < h; j++) {
        gb1[j] += dpre[i * h + j];
        for (let k = 0; k < d; k++) gw1[j * d + k] += dpre[i * h + j] * x[i * d + k];
      }
    }
    const update = (w: Float64Array, g: Float64Array) => {
      for (let i = 0; i < w.length; i++) w[i] -= lr * g[i];
    };
    update(p.w1, gw1);
    update(p.b1, gb1);
    update(p.w2, gw2);
    update(p.b2, gb2);
  }
  return losses;
}
