/**
 * This thread's instance of the SIMD module (simd-module.ts) and the unshared memory it works in,
 * made once and used by every kernel that runs on the calling thread (matmul, the SGD update).
 */
import type { HeapPack, MacroKernel } from './gemm-loop.js';
import { simdModuleBytes } from './simd-module.js';

/** The module's functions and its memory on this thread. */
export interface SimdHere {
  macro: MacroKernel;
  pack: HeapPack;
  /** See simd-module.ts `sgd`. */
  sgd: (p: number, g: number, n: number, lr: number) => void;
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
