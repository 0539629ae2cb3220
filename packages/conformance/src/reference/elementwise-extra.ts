/** Float64 reference of the composed elementwise math and logic ops (PyTorch's definitions). */

/** C fmod: the sign of the dividend. */
export function fmodC(a: number, b: number): number {
  return a % b;
}

/** Python's modulo: the sign of the divisor. */
export function remainderPy(a: number, b: number): number {
  if (b === 0) return Number.NaN;
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

export function lerpRef(start: number, end: number, weight: number): number {
  return Math.abs(weight) < 0.5 ? start + weight * (end - start) : end - (end - start) * (1 - weight);
}

export function xlogyRef(x: number, y: number): number {
  if (Number.isNaN(y)) return Number.NaN;
  return x === 0 ? 0 : x * Math.log(y);
}

export function hypotRef(a: number, b: number): number {
  return Math.hypot(a, b);
}

/** PyTorch's truthiness: non-zero (NaN included) is true. */
export function truthy(v: number): boolean {
  return v !== 0;
}

/** torch.isclose. */
export function iscloseRef(a: number, b: number, rtol: number, atol: number, equalNan: boolean): number {
  if (a === b) return 1;
  if (Number.isNaN(a) || Number.isNaN(b)) return equalNan && Number.isNaN(a) && Number.isNaN(b) ? 1 : 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return 0;
  return Math.abs(a - b) <= atol + rtol * Math.abs(b) ? 1 : 0;
}
