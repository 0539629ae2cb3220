/** Deterministic sample inputs, made twice: as core tensors and as float64 reference arrays. */
import { type DType, fromArray, permute, type Tensor } from '@backprop/core';
import { permuteRef, type RefTensor, ref, size, store } from './reference/ndarray.js';
import type { InputSpec } from './types.js';

/** mulberry32: a tiny PRNG of the suite's own (core's generator is what the random checks test). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The stored shape of an input: the shape before `permute` is applied. */
export function storedShape(spec: InputSpec): number[] {
  if (!spec.permute) return [...spec.shape];
  const stored = new Array<number>(spec.shape.length);
  spec.permute.forEach((p, i) => {
    stored[p] = spec.shape[i];
  });
  return stored;
}

function draw(spec: InputSpec, n: number, random: () => number): number[] {
  const dtype = spec.dtype ?? 'float32';
  const dist = spec.dist ?? (dtype === 'int32' ? 'int' : dtype === 'bool' ? 'bool' : 'normal');
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  switch (dist) {
    case 'normal':
      return Array.from({ length: n }, normal);
    case 'uniform':
      return Array.from({ length: n }, () => 2 * random() - 1);
    case 'positive':
      return Array.from({ length: n }, () => 0.5 + 1.5 * random());
    case 'nonzero':
      return Array.from({ length: n }, () => {
        const v = normal();
        return Math.sign(v || 1) * (0.2 + Math.abs(v));
      });
    case 'distinct':
    case 'interleaved': {
      const shift = dist === 'distinct' ? 0.013 : 0.038;
      const grid = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.1 + shift);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [grid[i], grid[j]] = [grid[j], grid[i]];
      }
      return grid;
    }
    case 'offgrid':
      return Array.from(
        { length: n },
        () => Math.floor(8 * random() - 4) + 0.1 + 0.3 * random() + (random() < 0.5 ? 0 : 0.5),
      );
    case 'nearone':
      return Array.from({ length: n }, () => 0.99 + 0.02 * random());
    case 'int':
      return Array.from({ length: n }, () => Math.floor(9 * random()) - 4);
    case 'bool':
      return Array.from({ length: n }, () => (random() < 0.5 ? 0 : 1));
  }
}

/** The stored values of an input (already rounded to its dtype), deterministic in `seed`. */
export function inputValues(spec: InputSpec, seed: number): number[] {
  const dtype: DType = spec.dtype ?? 'float32';
  const n = size(storedShape(spec));
  const raw = spec.values ? [...spec.values] : draw(spec, n, prng(seed));
  if (raw.length !== n)
    throw new Error(`conformance: ${raw.length} values given for stored shape [${storedShape(spec)}]`);
  return raw.map((v) => store(v, dtype));
}

/** The stored tensor (a leaf) on the active backend. */
export function makeStored(spec: InputSpec, values: readonly number[], requiresGrad = false): Tensor {
  return fromArray(values, storedShape(spec), { dtype: spec.dtype ?? 'float32', requiresGrad });
}

/** What the op receives: the stored tensor, permuted when the spec asks for a non-contiguous input. */
export function layOut(spec: InputSpec, stored: Tensor): Tensor {
  return spec.permute ? permute(stored, spec.permute) : stored;
}

export function makeStoredRef(spec: InputSpec, values: readonly number[]): RefTensor {
  return ref(storedShape(spec), values, spec.dtype ?? 'float32');
}

export function layOutRef(spec: InputSpec, stored: RefTensor): RefTensor {
  return spec.permute ? permuteRef(stored, spec.permute) : stored;
}
