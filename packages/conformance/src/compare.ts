import type { DType } from '@backprop/core';
import type { Tolerance } from './types.js';

/** Null when `actual` matches `expected` within `tol` (NaN matches NaN, infinities must match exactly), else a message naming the first mismatches. */
export function mismatch(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance,
  exact = false,
): string | null {
  if (actual.length !== expected.length) return `expected ${expected.length} elements, got ${actual.length}`;
  const bad: string[] = [];
  let count = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    let ok: boolean;
    if (Number.isNaN(e)) ok = Number.isNaN(a);
    else if (!Number.isFinite(e)) ok = a === e;
    else if (exact) ok = a === e;
    else {
      const err = Math.abs(a - e);
      ok = err <= tol.atol + tol.rtol * Math.abs(e);
      if (Number.isFinite(err)) worst = Math.max(worst, err);
    }
    if (!ok) {
      count++;
      if (bad.length < 5) bad.push(`[${i}] got ${a}, expected ${e}`);
    }
  }
  if (count === 0) return null;
  return `${count} of ${expected.length} elements differ (atol ${tol.atol}, rtol ${tol.rtol}${exact ? ', exact' : ''}; largest finite error ${worst.toExponential(3)}): ${bad.join('; ')}`;
}

/** Integer and bool outputs compare exactly. */
export function isExactDType(dtype: DType): boolean {
  return dtype !== 'float32';
}
