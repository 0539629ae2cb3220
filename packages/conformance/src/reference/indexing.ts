/** Float64 reference of the movement/indexing ops with PyTorch's semantics (flip, roll, repeat, pad, …). */
import { type RefTensor, ravel, size, strides, unravel } from './ndarray.js';

const norm = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

/** A new tensor of `shape` whose entry at each coordinate is `at(coord)` (NaN-free bookkeeping in plain loops). */
export function buildRef(
  shape: readonly number[],
  dtype: RefTensor['dtype'],
  at: (coord: number[]) => number,
): RefTensor {
  const out = new Float64Array(size(shape));
  for (let i = 0; i < out.length; i++) out[i] = at(unravel(i, shape));
  return { shape: [...shape], data: out, dtype };
}

function get(x: RefTensor, coord: readonly number[]): number {
  return x.data[ravel(coord, strides(x.shape))];
}

export function refFlip(x: RefTensor, dims: readonly number[]): RefTensor {
  const axes = dims.map((d) => norm(d, x.shape.length));
  return buildRef(x.shape, x.dtype, (c) =>
    get(
      x,
      c.map((v, d) => (axes.includes(d) ? x.shape[d] - 1 - v : v)),
    ),
  );
}

export function refRoll(x: RefTensor, shifts: readonly number[], dims?: readonly number[]): RefTensor {
  if (dims === undefined) {
    const n = x.data.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[(((i + shifts[0]) % n) + n) % n] = x.data[i];
    return { shape: [...x.shape], data: out, dtype: x.dtype };
  }
  const axes = dims.map((d) => norm(d, x.shape.length));
  return buildRef(x.shape, x.dtype, (c) => {
    const src = [...c];
    axes.forEach((a, k) => {
      const n = x.shape[a];
      src[a] = (((c[a] - shifts[k]) % n) + n) % n;
    });
    return get(x, src);
  });
}

/** torch.Tensor.repeat. */
export function refRepeat(x: RefTensor, repeats: readonly number[]): RefTensor {
  const lead = repeats.length - x.shape.length;
  const base = [...new Array<number>(lead).fill(1), ...x.shape];
  const shape = base.map((d, i) => d * repeats[i]);
  return buildRef(shape, x.dtype, (c) =>
    get(
      x,
      c.slice(lead).map((v, d) => v % x.shape[d]),
    ),
  );
}

export function refTile(x: RefTensor, reps: readonly number[]): RefTensor {
  return refRepeat(x, [...new Array<number>(Math.max(0, x.shape.length - reps.length)).fill(1), ...reps]);
}

export function refTriangle(x: RefTensor, lower: boolean, diagonal: number): RefTensor {
  const r = x.shape.length;
  return buildRef(x.shape, x.dtype, (c) => {
    const offset = c[r - 1] - c[r - 2];
    return (lower ? offset <= diagonal : offset >= diagonal) ? get(x, c) : 0;
  });
}

/** torch.gather. */
export function refTakeAlongAxis(x: RefTensor, index: RefTensor, axis: number): RefTensor {
  const a = norm(axis, x.shape.length);
  return buildRef(index.shape, x.dtype, (c) => {
    const src = [...c];
    src[a] = get(index, c);
    return get(x, src);
  });
}

/** torch.scatter / scatter_add (`source` a tensor or a number). */
export function refScatter(
  x: RefTensor,
  axis: number,
  index: RefTensor,
  source: RefTensor | number,
  add: boolean,
): RefTensor {
  const a = norm(axis, x.shape.length);
  const out = Float64Array.from(x.data);
  const st = strides(x.shape);
  for (let i = 0; i < index.data.length; i++) {
    const c = unravel(i, index.shape);
    const value = typeof source === 'number' ? source : get(source, c);
    const target = [...c];
    target[a] = index.data[i];
    const o = ravel(target, st);
    out[o] = add ? out[o] + value : value;
  }
  return { shape: [...x.shape], data: out, dtype: x.dtype };
}

export function refMaskedFill(x: RefTensor, mask: RefTensor, value: number): RefTensor {
  const lead = x.shape.length - mask.shape.length;
  return buildRef(x.shape, x.dtype, (c) => {
    const m = get(
      mask,
      c.slice(lead).map((v, d) => (mask.shape[d] === 1 ? 0 : v)),
    );
    return m !== 0 ? value : get(x, c);
  });
}

/** torch.nn.functional.pad (pairs from the last dimension). */
export function refPad(x: RefTensor, pad: readonly number[], mode: string, value: number): RefTensor {
  const r = x.shape.length;
  const before = new Array<number>(r).fill(0);
  const after = new Array<number>(r).fill(0);
  for (let i = 0; i < pad.length / 2; i++) {
    before[r - 1 - i] = pad[2 * i];
    after[r - 1 - i] = pad[2 * i + 1];
  }
  const shape = x.shape.map((d, i) => d + before[i] + after[i]);
  return buildRef(shape, x.dtype, (c) => {
    const src: number[] = [];
    for (let d = 0; d < r; d++) {
      const n = x.shape[d];
      let v = c[d] - before[d];
      if (v < 0 || v >= n) {
        if (mode === 'constant') return value;
        if (mode === 'reflect') v = v < 0 ? -v : 2 * (n - 1) - v;
        else if (mode === 'replicate') v = v < 0 ? 0 : n - 1;
        else v = ((v % n) + n) % n;
      }
      src.push(v);
    }
    return get(x, src);
  });
}
