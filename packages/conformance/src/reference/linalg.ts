/** Float64 reference matrix products and the fused/nn composites. */
import { sigmoid } from './math.js';
import { broadcastShape, type RefTensor, size } from './ndarray.js';
import { refLogsumexp } from './reduce.js';

/** NumPy matmul: 1-D operands become a row (left) or column (right), batch dimensions broadcast. */
export function refMatmul(a: RefTensor, b: RefTensor): RefTensor {
  const a2 = a.shape.length === 1 ? [1, a.shape[0]] : a.shape.slice(-2);
  const b2 = b.shape.length === 1 ? [b.shape[0], 1] : b.shape.slice(-2);
  const [m, k] = a2;
  const n = b2[1];
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batchShape = broadcastShape(a.shape.length > 2 ? aBatch : [], b.shape.length > 2 ? bBatch : []);
  const batch = size(batchShape);
  const out = new Float64Array(batch * m * n);
  const batchOffset = (shape: readonly number[], p: number): number => {
    // index into an operand's own (broadcast) batch
    const lead = batchShape.length - shape.length;
    let o = 0;
    let s = 1;
    let rest = p;
    const coord = new Array<number>(batchShape.length);
    for (let d = batchShape.length - 1; d >= 0; d--) {
      coord[d] = rest % batchShape[d];
      rest = Math.floor(rest / batchShape[d]);
    }
    for (let d = shape.length - 1; d >= 0; d--) {
      if (shape[d] !== 1) o += coord[d + lead] * s;
      s *= shape[d];
    }
    return o;
  };
  for (let p = 0; p < batch; p++) {
    const ao = batchOffset(a.shape.length > 2 ? aBatch : [], p) * m * k;
    const bo = batchOffset(b.shape.length > 2 ? bBatch : [], p) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += a.data[ao + i * k + q] * b.data[bo + q * n + j];
        out[p * m * n + i * n + j] = s;
      }
    }
  }
  const shape = [...batchShape];
  if (a.shape.length > 1) shape.push(m);
  if (b.shape.length > 1) shape.push(n);
  return { shape, data: out, dtype: 'float32' };
}

export type RefActivation = 'none' | 'relu' | 'sigmoid' | 'tanh';

export function activate(v: number, activation: RefActivation): number {
  if (activation === 'relu') return Math.max(v, 0);
  if (activation === 'sigmoid') return sigmoid(v);
  if (activation === 'tanh') return Math.tanh(v);
  return v;
}

/** activation(x · wᵀ + bias), x [M, K], w [N, K], bias [N]. */
export function refLinear(
  x: RefTensor,
  w: RefTensor,
  bias: RefTensor | null,
  activation: RefActivation,
): RefTensor {
  const [m, k] = x.shape;
  const n = w.shape[0];
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = bias ? bias.data[j] : 0;
      for (let q = 0; q < k; q++) s += x.data[i * k + q] * w.data[j * k + q];
      out[i * n + j] = activate(s, activation);
    }
  }
  return { shape: [m, n], data: out, dtype: 'float32' };
}

/** Softmax along `axis`, by subtracting the maximum. */
export function refSoftmax(x: RefTensor, axis: number): RefTensor {
  const lse = refLogsumexp(x, axis, true);
  return {
    shape: [...x.shape],
    data: expandApply(x, lse, axis, (v, l) => Math.exp(v - l)),
    dtype: 'float32',
  };
}

export function refLogSoftmax(x: RefTensor, axis: number): RefTensor {
  const lse = refLogsumexp(x, axis, true);
  return { shape: [...x.shape], data: expandApply(x, lse, axis, (v, l) => v - l), dtype: 'float32' };
}

/** Applies f(x, g) where g is a keepDims reduction of x along `axis`. */
function expandApply(
  x: RefTensor,
  g: RefTensor,
  axis: number,
  f: (v: number, r: number) => number,
): Float64Array {
  const rank = x.shape.length;
  const a = axis < 0 ? axis + rank : axis;
  const inner = size(x.shape.slice(a + 1));
  const n = x.shape[a] ?? 1;
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < out.length; i++) {
    const outer = Math.floor(i / (inner * n));
    const j = i % inner;
    out[i] = f(x.data[i], g.data[outer * inner + j]);
  }
  return out;
}

/** Per-row −log softmax(logits)[i, label[i]]. */
export function refSoftmaxCrossEntropy(logits: RefTensor, labels: RefTensor): RefTensor {
  const ls = refLogSoftmax(logits, 1);
  const c = logits.shape[1];
  const out = new Float64Array(logits.shape[0]);
  for (let i = 0; i < out.length; i++) out[i] = -ls.data[i * c + labels.data[i]];
  return { shape: [out.length], data: out, dtype: 'float32' };
}
