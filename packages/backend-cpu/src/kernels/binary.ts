import {
  allocArray,
  BINARY_OPS,
  type BinaryOp,
  COMPARISON_OPS,
  type DType,
  type Shape,
  stridesOf,
  type TypedArray,
} from '@backprop/core';
import type { Allocate } from '../recycler.js';
import { binaryFloat32, binaryRowFloat32, isFloat32Op } from './binary-f32.js';
import { broadcastStrides, collapseLoop, forEachRow } from './layout.js';

/** Small integer codes, so the per-element `switch` stays cheap inside the loops (V8 inlines `apply`). */
const CODES = Object.fromEntries(BINARY_OPS.map((op, i) => [op, i])) as Record<BinaryOp, number>;
const INT_MUL = BINARY_OPS.length;

function apply(code: number, x: number, y: number): number {
  switch (code) {
    case CODES.add:
      return x + y;
    case CODES.sub:
      return x - y;
    case CODES.mul:
      return x * y;
    case CODES.div:
      return x / y;
    case CODES.pow:
      return x ** y;
    case CODES.maximum:
      return Math.max(x, y);
    case CODES.minimum:
      return Math.min(x, y);
    case CODES.eq:
      return x === y ? 1 : 0;
    case CODES.ne:
      return x !== y ? 1 : 0;
    case CODES.lt:
      return x < y ? 1 : 0;
    case CODES.le:
      return x <= y ? 1 : 0;
    case CODES.gt:
      return x > y ? 1 : 0;
    case CODES.ge:
      return x >= y ? 1 : 0;
    case INT_MUL:
      // A double product of two int32s can exceed 2^53 and lose the low bits that int32 wrap-around keeps.
      return Math.imul(x, y);
    default:
      throw new Error(`cpu: unknown binary op code ${code}`);
  }
}

/** out[o..o+n) = a[ao..] op b[bo..]: both operands walk along (the same-shape fast path). */
function rowBoth(
  code: number,
  a: TypedArray,
  ao: number,
  b: TypedArray,
  bo: number,
  out: TypedArray,
  o: number,
  n: number,
): void {
  for (let i = 0; i < n; i++) out[o + i] = apply(code, a[ao + i], b[bo + i]);
}

/** out[o..o+n) = a[ao..] op s: a scalar (or a value repeated along this row) on the right. */
function rowScalarB(
  code: number,
  a: TypedArray,
  ao: number,
  s: number,
  out: TypedArray,
  o: number,
  n: number,
): void {
  for (let i = 0; i < n; i++) out[o + i] = apply(code, a[ao + i], s);
}

/** out[o..o+n) = s op b[bo..]: a scalar (or a value repeated along this row) on the left. */
function rowScalarA(
  code: number,
  s: number,
  b: TypedArray,
  bo: number,
  out: TypedArray,
  o: number,
  n: number,
): void {
  for (let i = 0; i < n; i++) out[o + i] = apply(code, s, b[bo + i]);
}

/**
 * Elementwise `op` of `a` and `b` broadcast to `outShape`, into a new array of `outDtype`. Same-shape
 * and scalar operands (the bulk of a training step) run as one flat loop; other broadcasts are
 * collapsed to the fewest dimensions and run row by row with the same loops.
 */
export function binaryKernel(
  op: BinaryOp,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  outShape: Shape,
  outDtype: DType,
  alloc: Allocate = allocArray,
): TypedArray {
  const size = outShape.reduce((n, d) => n * d, 1);
  const out = alloc(outDtype, size);
  if (size === 0) return out;
  if (
    a instanceof Float32Array &&
    b instanceof Float32Array &&
    out instanceof Float32Array &&
    binaryFloat32(op, a, b, out)
  )
    return out;
  const code = op === 'mul' && a instanceof Int32Array ? INT_MUL : CODES[op];
  if (a.length === size && b.length === size) rowBoth(code, a, 0, b, 0, out, 0, size);
  else if (b.length === 1) rowScalarB(code, a, 0, b[0], out, 0, size);
  else if (a.length === 1) rowScalarA(code, a[0], b, 0, out, 0, size);
  else {
    const loop = collapseLoop(outShape, [
      stridesOf(outShape),
      broadcastStrides(aShape, outShape),
      broadcastStrides(bShape, outShape),
    ]);
    const inner = loop.shape.length - 1;
    const n = loop.shape[inner];
    const aStep = loop.strides[1][inner];
    const bStep = loop.strides[2][inner];
    if (
      isFloat32Op(op) &&
      a instanceof Float32Array &&
      b instanceof Float32Array &&
      out instanceof Float32Array
    )
      forEachRow(loop, [0, 0, 0], ([o, ao, bo]) =>
        binaryRowFloat32(op, a, ao, aStep !== 0, b, bo, bStep !== 0, out, o, n),
      );
    else
      forEachRow(loop, [0, 0, 0], ([o, ao, bo]) => {
        if (aStep === bStep) rowBoth(code, a, ao, b, bo, out, o, n);
        else if (bStep === 0) rowScalarB(code, a, ao, b[bo], out, o, n);
        else rowScalarA(code, a[ao], b, bo, out, o, n);
      });
  }
  // Arithmetic on bools (add of two masks) must still store 0 or 1.
  if (outDtype === 'bool' && !COMPARISON_OPS.has(op))
    for (let i = 0; i < size; i++) out[i] = out[i] === 0 ? 0 : 1;
  return out;
}
