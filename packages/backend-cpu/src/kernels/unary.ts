import { allocArray, type TypedArray, UNARY_OPS, type UnaryOp } from '@backprop/core';
import type { Allocate } from '../recycler.js';
import { erf, roundHalfEven, sigmoid } from './math.js';

/** Small integer codes, so the per-element `switch` compiles to a jump table (V8 inlines `apply`). */
const CODES = Object.fromEntries(UNARY_OPS.map((op, i) => [op, i])) as Record<UnaryOp, number>;
const INT_SQUARE = UNARY_OPS.length;

function apply(code: number, x: number): number {
  switch (code) {
    case CODES.neg:
      return -x;
    case CODES.abs:
      return Math.abs(x);
    case CODES.sign:
      return Math.sign(x);
    case CODES.exp:
      return Math.exp(x);
    case CODES.log:
      return Math.log(x);
    case CODES.sqrt:
      return Math.sqrt(x);
    case CODES.reciprocal:
      return 1 / x;
    case CODES.square:
      return x * x;
    case CODES.sin:
      return Math.sin(x);
    case CODES.cos:
      return Math.cos(x);
    case CODES.tanh:
      return Math.tanh(x);
    case CODES.sigmoid:
      return sigmoid(x);
    case CODES.relu:
      // Math.max lets NaN through, as PyTorch does.
      return Math.max(x, 0);
    case CODES.erf:
      return erf(x);
    case CODES.floor:
      return Math.floor(x);
    case CODES.ceil:
      return Math.ceil(x);
    case CODES.round:
      return roundHalfEven(x);
    case CODES.log1p:
      return Math.log1p(x);
    case CODES.expm1:
      return Math.expm1(x);
    case CODES.asin:
      return Math.asin(x);
    case CODES.atan:
      return Math.atan(x);
    case INT_SQUARE:
      // A double product of two int32s can exceed 2^53 and lose the low bits that int32 wrap-around keeps.
      return Math.imul(x, x);
    default:
      throw new Error(`cpu: unknown unary op code ${code}`);
  }
}

/**
 * Elementwise `op` over `x` into a new array of the same type: float32 for most ops, int32 where core
 * keeps integers (`neg`, `abs`, `sign`, `square`, `relu`).
 */
export function unaryKernel(op: UnaryOp, x: TypedArray, alloc: Allocate = allocArray): TypedArray {
  const out = alloc(
    x instanceof Int32Array ? 'int32' : x instanceof Uint8Array ? 'bool' : 'float32',
    x.length,
  );
  const n = x.length;
  // relu and sign run in every ReLU network's forward and backward pass: loops of their own, same results as `apply`.
  if (op === 'relu') {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      out[i] = v > 0 || Number.isNaN(v) ? v : 0;
    }
    return out;
  }
  if (op === 'sign') {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      out[i] = v > 0 ? 1 : v < 0 ? -1 : v;
    }
    return out;
  }
  const code = op === 'square' && x instanceof Int32Array ? INT_SQUARE : CODES[op];
  for (let i = 0; i < n; i++) out[i] = apply(code, x[i]);
  return out;
}
