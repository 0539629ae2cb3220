import type { Tolerance, ToleranceConfig, ToleranceScale } from './types.js';

/**
 * Tolerances for a backend computing in float32 (precision 32) or a 16-bit float (precision 16).
 * Float32 keeps about 7 significant digits (ε ≈ 1.2e-7); the forward tolerance leaves room for a
 * few ulps of error per transcendental function and for summation order, not for wrong answers.
 * 16-bit floats keep about 3 digits (half: ε ≈ 9.8e-4).
 */
export function tolerancesFor(precision: 16 | 32): ToleranceConfig {
  if (precision === 16) {
    return {
      forward: { atol: 1e-2, rtol: 1e-2 },
      gradcheck: { eps: 3e-2, atol: 5e-2, rtol: 5e-2 },
      referenceGrad: { atol: 2e-2, rtol: 2e-2 },
      fused: { atol: 1e-2, rtol: 1e-2 },
      random: { atol: 0, rtol: 1e-3 },
    };
  }
  return {
    forward: { atol: 1e-5, rtol: 1e-4 },
    gradcheck: { eps: 1e-3, atol: 1e-2, rtol: 1e-2 },
    referenceGrad: { atol: 1e-4, rtol: 1e-3 },
    fused: { atol: 1e-5, rtol: 1e-4 },
    random: { atol: 0, rtol: 0 },
  };
}

export function scaled(base: Tolerance, ...scales: (ToleranceScale | undefined)[]): Tolerance {
  let { atol, rtol } = base;
  for (const s of scales) {
    atol *= s?.atol ?? 1;
    rtol *= s?.rtol ?? 1;
  }
  return { atol, rtol };
}
