/**
 * This thread's instance of the SIMD module (simd-module.ts) and the unshared memory it works in,
 * made once and used by every kernel that runs on the calling thread (matmul, the optimizer updates).
 */
import type { HeapPack, MacroKernel } from './gemm-loop.js';
import { simdModuleBytes } from './simd-module.js';

/** The module's functions and its memory on this thread. */
export interface SimdHere {
  macro: MacroKernel;
  pack: HeapPack;
  /** The optimizer updates (simd-module.ts `updateFunctions`), in place on byte addresses. */
  sgd: (p: number, g: number, n: number, lr: number) => void;
  sgdMomentum: (
    p: number,
    g: number,
    b: number,
    n: number,
    lr: number,
    momentum: number,
    keep: number,
  ) => void;
  sgdNesterov: SimdHere['sgdMomentum'];
  adam: (
    p: number,
    g: number,
    m: number,
    v: number,
    n: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    biasCorrection2Sqrt: number,
    eps: number,
    stepSize: number,
  ) => void;
  /** The memory as floats, grown to at least `floats` (a new view after growing). */
  heap(floats: number): Float32Array;
}

let made = false;
let here: SimdHere | null = null;

/**
 * The instance, compiled synchronously on first use (the module is about a kilobyte); null where
 * WebAssembly SIMD is missing or a content security policy forbids compiling.
 */
export function simdHere(): SimdHere | null {
  if (made) return here;
  made = true;
  const bytes = simdModuleBytes();
  if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(bytes)) return null;
  try {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    here = {
      macro: exports.macro as MacroKernel,
      pack: exports.pack as HeapPack,
      sgd: exports.sgd as SimdHere['sgd'],
      sgdMomentum: exports.sgdMomentum as SimdHere['sgdMomentum'],
      sgdNesterov: exports.sgdNesterov as SimdHere['sgdNesterov'],
      adam: exports.adam as SimdHere['adam'],
      heap(floats) {
        const needed = Math.ceil((floats * 4) / 65536) - memory.buffer.byteLength / 65536;
        if (needed > 0) memory.grow(needed);
        return new Float32Array(memory.buffer);
      },
    };
  } catch {
    // A content security policy without 'wasm-unsafe-eval' forbids compiling: the JavaScript paths run.
    here = null;
  }
  return here;
}
