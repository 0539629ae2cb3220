/**
 * Inclusive scans along an axis (cumulative sum and product), as Hillis–Steele log-step scans:
 * ⌈log₂ n⌉ rounds of slice + concat + one binary op, O(n log n) work in all. Built from core's
 * primitives, so the gradients are exact by composition (cumprod included, with zeros and
 * negative values: no exp(cumsum(log x)) anywhere).
 */
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, mul } from './arithmetic.js';
import { cast } from './cast.js';
import { assertTensor, composed } from './compose.js';
import { concat } from './join.js';
import { reshape } from './movement.js';
import { type SliceRange, slice } from './slice.js';

function scan(op: string, x: Tensor, axis: number, combine: (a: Tensor, b: Tensor) => Tensor): Tensor {
  assertTensor(op, x);
  const a = normalizeAxis(op, axis, x.rank);
  if (x.rank === 0) return reshape(x, []);
  const n = x.shape[a];
  const part = (t: Tensor, start: number, end: number): Tensor => {
    const ranges: SliceRange[] = t.shape.map(() => null);
    ranges[a] = [start, end];
    return slice(t, ranges);
  };
  return composed([x], () => {
    // bool counts as int32, as sum does.
    let out = x.dtype === 'bool' ? cast(x, 'int32') : reshape(x, x.shape);
    for (let offset = 1; offset < n; offset *= 2)
      out = concat([part(out, 0, offset), combine(part(out, offset, n), part(out, 0, n - offset))], a);
    return out;
  });
}

/**
 * Cumulative sum along `axis` (torch.cumsum): `out[i] = x[0] + … + x[i]`. Keeps float32 and int32
 * (PyTorch widens integers to int64, which backprop does not have); bool counts as int32.
 */
export function cumsum(x: Tensor, axis: number): Tensor {
  return scan('cumsum', x, axis, add);
}

/**
 * Cumulative product along `axis` (torch.cumprod): `out[i] = x[0] · … · x[i]`, computed by
 * multiplication only, so zeros and negative entries give exact values and gradients.
 */
export function cumprod(x: Tensor, axis: number): Tensor {
  return scan('cumprod', x, axis, mul);
}
