/** 1 / (1 + e^−x) without overflow: for x < 0 it is computed as e^x / (1 + e^x), whose exp cannot overflow. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Rounds half to even (banker's rounding), as NumPy and PyTorch do; `Math.round` rounds halves up. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // r − x is exact for float32 inputs, so a tie shows up as exactly 0.5.
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * The Gauss error function to well under float32 precision. JavaScript has no `Math.erf`: below
 * |x| = 2.5 the Maclaurin series converges in double precision with little cancellation; beyond it
 * erf is within 4e-4 of ±1, so the complementary function's Chebyshev fit (Numerical Recipes'
 * erfcc, relative error < 1.2e-7) is far more accurate than float32 needs.
 */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (Number.isNaN(a)) return Number.NaN;
  if (a < 2.5) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 100 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= -x2 / n;
      sum += term / (2 * n + 1);
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  const t = 1 / (1 + 0.5 * a);
  const poly =
    -a * a -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(poly);
  return x > 0 ? 1 - erfc : erfc - 1;
}
