import type { BinaryOp } from '@backprop/core';

/**
 * Float32 add, sub, mul and div, the bulk of a training step's elementwise work (gradient sums,
 * normalisation, the optimizer update), as one loop per op and layout: each loop sees one array
 * type and one operation, which V8 compiles to straight arithmetic, where the generic loop pays a
 * switch per element and element access shared by three array types. The values are the generic
 * loop's exactly (the same float64 operation, rounded once on store).
 */

/** The ops these loops run. */
export type Float32Op = 'add' | 'sub' | 'mul' | 'div';

/** Whether `op` has the float32 loops below. */
export function isFloat32Op(op: BinaryOp): op is Float32Op {
  return op === 'add' || op === 'sub' || op === 'mul' || op === 'div';
}

/**
 * out[o..o+n) = a op b over one row, where an operand either walks along the row (`aWalks`,
 * `bWalks`) or repeats its value at `ao` / `bo` (a scalar, or a broadcast along the row). At least
 * one operand walks.
 */
export function binaryRowFloat32(
  op: Float32Op,
  a: Float32Array,
  ao: number,
  aWalks: boolean,
  b: Float32Array,
  bo: number,
  bWalks: boolean,
  out: Float32Array,
  o: number,
  n: number,
): void {
  if (aWalks && bWalks) {
    if (op === 'add') for (let i = 0; i < n; i++) out[o + i] = a[ao + i] + b[bo + i];
    else if (op === 'sub') for (let i = 0; i < n; i++) out[o + i] = a[ao + i] - b[bo + i];
    else if (op === 'mul') for (let i = 0; i < n; i++) out[o + i] = a[ao + i] * b[bo + i];
    else for (let i = 0; i < n; i++) out[o + i] = a[ao + i] / b[bo + i];
  } else if (aWalks) {
    const s = b[bo];
    if (op === 'add') for (let i = 0; i < n; i++) out[o + i] = a[ao + i] + s;
    else if (op === 'sub') for (let i = 0; i < n; i++) out[o + i] = a[ao + i] - s;
    else if (op === 'mul') for (let i = 0; i < n; i++) out[o + i] = a[ao + i] * s;
    else for (let i = 0; i < n; i++) out[o + i] = a[ao + i] / s;
  } else {
    const s = a[ao];
    if (op === 'add') for (let i = 0; i < n; i++) out[o + i] = s + b[bo + i];
    else if (op === 'sub') for (let i = 0; i < n; i++) out[o + i] = s - b[bo + i];
    else if (op === 'mul') for (let i = 0; i < n; i++) out[o + i] = s * b[bo + i];
    else for (let i = 0; i < n; i++) out[o + i] = s / b[bo + i];
  }
}

/**
 * The whole of `out` from same-shape or scalar operands. Returns false (and writes nothing) for
 * other ops or for operands that broadcast along some axes only.
 */
export function binaryFloat32(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array): boolean {
  const n = out.length;
  const aWalks = a.length === n;
  const bWalks = b.length === n;
  if (!isFloat32Op(op)) return false;
  if (!(aWalks || a.length === 1) || !(bWalks || b.length === 1) || !(aWalks || bWalks)) return false;
  binaryRowFloat32(op, a, 0, aWalks, b, 0, bWalks, out, 0, n);
  return true;
}
