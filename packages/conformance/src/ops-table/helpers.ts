import type { InputSpec, Sample } from '../types.js';

/** An input spec: `input([3, 4], { dist: 'positive' })`. */
export function input(shape: readonly number[], extra: Omit<InputSpec, 'shape'> = {}): InputSpec {
  return { shape, ...extra };
}

/** A transposed (non-contiguous) matrix input of logical `shape`. */
export function transposed(
  shape: readonly [number, number],
  extra: Omit<InputSpec, 'shape' | 'permute'> = {},
): InputSpec {
  return { shape, permute: [1, 0], ...extra };
}

/** Samples of a unary elementwise op over the shapes that matter, with values from `dist`. */
export function unarySamples(dist: InputSpec['dist'], extra: Sample<unknown>[] = []): Sample<unknown>[] {
  return [
    { name: 'scalar', inputs: [input([], { dist })] },
    { name: 'vector', inputs: [input([7], { dist })] },
    { name: 'matrix', inputs: [input([3, 4], { dist })] },
    { name: 'empty', inputs: [input([0, 3], { dist })] },
    { name: 'transposed', inputs: [transposed([4, 3], { dist })] },
    { name: 'permuted 3-D', inputs: [input([2, 3, 4], { dist, permute: [2, 0, 1] })] },
    { name: '256x256', inputs: [input([256, 256], { dist })], grad: false },
    ...extra,
  ];
}

/** Samples of a broadcasting binary op; `a` and `b` give each side's distribution. */
export function binarySamples(
  a: InputSpec['dist'],
  b: InputSpec['dist'],
  extra: Sample<unknown>[] = [],
): Sample<unknown>[] {
  return [
    { name: 'scalars', inputs: [input([], { dist: a }), input([], { dist: b })] },
    { name: 'same shape', inputs: [input([3, 4], { dist: a }), input([3, 4], { dist: b })] },
    { name: 'broadcast row', inputs: [input([3, 4], { dist: a }), input([4], { dist: b })] },
    { name: 'broadcast column x row', inputs: [input([3, 1], { dist: a }), input([1, 4], { dist: b })] },
    { name: 'broadcast 3-D', inputs: [input([2, 1, 3], { dist: a }), input([4, 1], { dist: b })] },
    { name: 'scalar tensor and matrix', inputs: [input([], { dist: a }), input([2, 3], { dist: b })] },
    { name: 'empty', inputs: [input([0, 3], { dist: a }), input([3], { dist: b })] },
    { name: 'transposed', inputs: [transposed([4, 3], { dist: a }), input([4, 3], { dist: b })] },
    {
      name: 'both permuted 3-D',
      inputs: [
        input([2, 3, 4], { dist: a, permute: [1, 2, 0] }),
        input([2, 3, 4], { dist: b, permute: [2, 1, 0] }),
      ],
    },
    {
      name: '256x256 and row',
      inputs: [input([256, 256], { dist: a }), input([256], { dist: b })],
      grad: false,
    },
    {
      name: 'extended 1024x1024',
      inputs: [input([1024, 1024], { dist: a }), input([1024, 1], { dist: b })],
      grad: false,
      extended: true,
    },
    ...extra,
  ];
}
