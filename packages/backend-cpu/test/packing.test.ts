import { describe, expect, it } from 'vitest';
import { type HeapPack, heapPacker, packPanels } from '../src/kernels/gemm-loop.js';
import { simdModuleBytes } from '../src/kernels/simd-module.js';
import { randomValues } from './helpers.js';

const memory = new WebAssembly.Memory({ initial: 16 });
const instance = new WebAssembly.Instance(new WebAssembly.Module(simdModuleBytes()), {
  env: { memory },
});
const pack = heapPacker(instance.exports.pack as HeapPack);
const heap = new Float32Array(memory.buffer);
const SOURCE_AT = 7; // floats: an operand that does not start at the heap's first element
const PACKED_AT = 100_000;
const values = Float32Array.from(randomValues(60_000, 9));
heap.set(values, SOURCE_AT);

// [rowStride, colStride, r0, count, p0, kc]: contiguous rows (the vector copy), contiguous depths
// (the 4×4 transposes, with depths left over), other strides, partial last panels, offsets.
const layouts: [number, number, number, number, number, number][] = [
  [1, 40, 0, 16, 0, 9],
  [1, 40, 8, 24, 3, 5],
  [1, 40, 5, 13, 0, 4],
  [50, 1, 0, 16, 0, 12],
  [50, 1, 4, 8, 3, 11],
  [50, 1, 1, 13, 2, 7],
  [9, 1, 0, 3, 0, 1],
  [3, 97, 2, 17, 1, 30],
  [97, 3, 0, 9, 4, 6],
];

describe('the SIMD module packs panels as packPanels does', () => {
  for (const width of [4, 8]) {
    for (const [rowStride, colStride, r0, count, p0, kc] of layouts) {
      it(`width ${width}, strides ${rowStride}/${colStride}, rows ${r0}+${count}, depths ${p0}+${kc}`, () => {
        const floats = Math.ceil(count / width) * width * kc;
        const expected = new Float32Array(floats);
        packPanels(values, 0, rowStride, colStride, r0, count, p0, kc, width, expected, 0);
        // Filled with a marker, so that an element left unwritten or written past the end shows.
        heap.fill(-7, PACKED_AT, PACKED_AT + floats + 16);
        pack(heap, SOURCE_AT, rowStride, colStride, r0, count, p0, kc, width, heap, PACKED_AT);
        expect(Array.from(heap.subarray(PACKED_AT, PACKED_AT + floats))).toEqual(Array.from(expected));
        expect(Array.from(heap.subarray(PACKED_AT + floats, PACKED_AT + floats + 16))).toEqual(
          new Array(16).fill(-7),
        );
      });
    }
  }
});
