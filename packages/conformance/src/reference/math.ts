/** Scalar float64 functions the reference needs and JavaScript's Math lacks. */

/** The Gauss error function to near float64 accuracy: Maclaurin series below 3, a continued fraction for erfc above. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const t = Math.abs(x);
  if (t < 3) {
    let sum = 0;
    let term = t;
    for (let n = 0; n < 100; n++) {
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
      term *= (-t * t) / (n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(t) = exp(-t²)/√π · 1/(t + (1/2)/(t + 1/(t + (3/2)/(t + …)))), evaluated bottom-up.
  let f = t;
  for (let k = 80; k >= 1; k--) f = t + k / 2 / f;
  return Math.sign(x) * (1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / f);
}

/** Round half to even (banker's rounding), as NumPy and PyTorch do. */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** log(1 + eˣ) without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

export function relu(x: number): number {
  return Math.max(x, 0);
}

/** NaN-propagating maximum/minimum (IEEE maximum, as PyTorch's). */
export function maxNaN(a: number, b: number): number {
  return Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b);
}

export function minNaN(a: number, b: number): number {
  return Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b);
}
