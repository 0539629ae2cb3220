/**
 * Samples at ranks 4–6: broadcasting with size-1 axes in every position and missing leading
 * axes of every count, permutations, slices, joins and gathers. Attention masks broadcast at rank 4
 * ([B, H, T, T] against [T, T]) and convolution layouts permute rank-5 and rank-6 views; a kernel
 * whose index math is right only up to rank 3 fails these. Sizes differ per axis (2, 3, 4, 5, ...),
 * so a stride taken from the wrong axis shows.
 */
import type { InputSpec, Sample } from '../types.js';
import { input } from './helpers.js';

/** Full shapes per rank: small (at most 360 elements), with neighbouring axes of different sizes. */
export const RANK_SHAPES: Readonly<Record<4 | 5 | 6, readonly number[]>> = {
  4: [2, 3, 4, 5],
  5: [2, 3, 2, 4, 3],
  6: [2, 3, 2, 2, 3, 2],
};

const RANKS = [4, 5, 6] as const;

/** `shape` with size 1 at the positions where `ones(position)` holds. */
function withOnes(shape: readonly number[], ones: (position: number) => boolean): number[] {
  return shape.map((d, i) => (ones(i) ? 1 : d));
}

/**
 * Operand shapes whose broadcast is the full shape of each rank: size-1 axes alternating between
 * the operands (so every position is size-1 in one operand, in one sample or the other), and the
 * last operand missing k leading axes (k = 1 … rank − 1, with a size-1 axis inside the rest).
 * `operands` is 2 (binary ops) or 3 (`where`).
 */
export function broadcastShapes(operands: 2 | 3): { name: string; shapes: number[][] }[] {
  const out: { name: string; shapes: number[][] }[] = [];
  for (const rank of RANKS) {
    const full = RANK_SHAPES[rank];
    const even = withOnes(full, (i) => i % 2 === 0);
    const odd = withOnes(full, (i) => i % 2 === 1);
    const middle = [...full];
    out.push(
      {
        name: `rank ${rank}: size-1 axes alternate`,
        shapes: operands === 2 ? [odd, even] : [odd, even, middle],
      },
      {
        name: `rank ${rank}: size-1 axes alternate, swapped`,
        shapes: operands === 2 ? [even, odd] : [even, middle, odd],
      },
    );
    // Every count of missing axes at rank 4; the first and last counts at ranks 5 and 6.
    for (const k of rank === 4 ? [1, 2, 3] : [1, rank - 1]) {
      const rest = full.slice(k);
      const missing = rest.length > 1 ? withOnes(rest, (i) => i === rest.length - 2) : rest;
      const name = `rank ${rank}: ${k} leading ${k === 1 ? 'axis' : 'axes'} missing`;
      out.push({ name, shapes: operands === 2 ? [[...full], missing] : [missing, [...full], odd] });
    }
  }
  return out;
}

/** Broadcasting samples of a binary op at ranks 4–6 (gradients for the rank-4 alternation only). */
export function highRankBinarySamples<A>(a: InputSpec['dist'], b: InputSpec['dist']): Sample<A>[] {
  return broadcastShapes(2).map(({ name, shapes: [sa, sb] }) => ({
    name,
    inputs: [input(sa, { dist: a }), input(sb, { dist: b })],
    grad: name === 'rank 4: size-1 axes alternate',
  }));
}

/** Permutations at ranks 4–6: reversed, a swap of the inner axes, and a rotation of a permuted input. */
export function highRankPermuteSamples(): Sample<number[]>[] {
  const samples: Sample<number[]>[] = [];
  for (const rank of RANKS) {
    const shape = RANK_SHAPES[rank];
    const axes = Array.from({ length: rank }, (_, i) => i);
    samples.push(
      { name: `rank ${rank} reversed`, inputs: [input(shape)], args: [...axes].reverse() },
      {
        name: `rank ${rank} inner axes swapped`,
        inputs: [input(shape)],
        args: [0, ...axes.slice(1, -2), rank - 1, rank - 2],
      },
      {
        name: `rank ${rank} of a permuted input`,
        inputs: [input(shape, { permute: [...axes.slice(2), 1, 0] })],
        args: [rank - 1, 0, ...axes.slice(1, -1)],
      },
    );
  }
  return samples;
}
