import type { BinaryOp } from '@backprop/core';

/**
 * Float32 add, sub, mul and div over same-shape or scalar operands, the bulk of a training step's
 * elementwise work (gradient sums, the optimizer update), as one loop per op: each loop sees one
 * array type and one operation, which V8 compiles to straight arithmetic, where the generic loop
 * pays a switch per element and element access shared by three array types. The values are the
 * generic loop's exactly (the same float64 operation, rounded once on store).
 *
 * Returns false (and writes nothing) for any other op or layout.
 */
export function binaryFloat32(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array): boolean {
  const n = out.length;
  if (a.length === n && b.length === n) {
    if (op === 'add') for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
    else if (op === 'sub') for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
    else if (op === 'mul') for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
    else if (op === 'div') for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
    else return false;
    return true;
  }
  if (b.length === 1 && a.length === n) {
    const s = b[0];
    if (op === 'add') for (let i = 0; i < n; i++) out[i] = a[i] + s;
    else if (op === 'sub') for (let i = 0; i < n; i++) out[i] = a[i] - s;
    else if (op === 'mul') for (let i = 0; i < n; i++) out[i] = a[i] * s;
    else if (op === 'div') for (let i = 0; i < n; i++) out[i] = a[i] / s;
    else return false;
    return true;
  }
  if (a.length === 1 && b.length === n) {
    const s = a[0];
    if (op === 'add') for (let i = 0; i < n; i++) out[i] = s + b[i];
    else if (op === 'sub') for (let i = 0; i < n; i++) out[i] = s - b[i];
    else if (op === 'mul') for (let i = 0; i < n; i++) out[i] = s * b[i];
    else if (op === 'div') for (let i = 0; i < n; i++) out[i] = s / b[i];
    else return false;
    return true;
  }
  return false;
}
