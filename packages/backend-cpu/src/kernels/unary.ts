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
 * Float32 relu and sign on the values' bits (`x` and `out` are Int32Array views of float32 data):
 * integer masks in place of a branch on the sign, which data of random sign (activations after a
 * normalisation) mispredicts half the time, so both run about 4× faster there. They keep what the
 * comparisons give: relu(−0) = +0, sign(±0) = ±0, and NaN, of either sign bit, passes through.
 */
function floatSignBits(op: 'relu' | 'sign', x: Int32Array, out: Int32Array): void {
  const n = x.length;
  if (op === 'relu') {
    for (let i = 0; i < n; i++) {
      const bits = x[i];
      const nan = (0x7f800000 - (bits & 0x7fffffff)) >> 31;
      // Negative values (sign bit set) become +0 bits; NaN keeps every bit.
      out[i] = bits & (~(bits >> 31) | nan);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const bits = x[i];
    const magnitude = bits & 0x7fffffff;
    // ±0 and NaN keep their bits; any other value becomes ±1 (0x3f800000 is 1.0) with its sign.
    const kept = ((magnitude - 1) >> 31) | ((0x7f800000 - magnitude) >> 31);
    out[i] = (bits & kept) | (((bits & 0x80000000) | 0x3f800000) & ~kept);
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
  // relu and sign run in every ReLU network's forward and backward pass: float32 gets a loop of its own, same results as `apply`.
  if ((op === 'relu' || op === 'sign') && x instanceof Float32Array) {
    floatSignBits(
      op,
      new Int32Array(x.buffer, x.byteOffset, n),
      new Int32Array(out.buffer, out.byteOffset, n),
    );
    return out;
  }
  const code = op === 'square' && x instanceof Int32Array ? INT_SQUARE : CODES[op];
  for (let i = 0; i < n; i++) out[i] = apply(code, x[i]);
  return out;
}
