import { ArgumentError, describeValue, Generator, globalGenerator } from '@backprop/core';

/** Where randomness comes from: a seed (a private generator), a generator, or core's global generator. */
export interface SeedOptions {
  /** Seed a private generator: the same seed gives the same result every time. */
  seed?: number;
  /** Draw from this generator instead (its state advances). */
  generator?: Generator;
}

/**
 * The generator that `options` asks for: a new `Generator(seed)` for a seed, the given generator,
 * or core's `globalGenerator` (seeded by `manualSeed`) when neither is given.
 */
export function resolveGenerator(op: string, options: SeedOptions = {}): Generator {
  if (options.generator !== undefined && !(options.generator instanceof Generator))
    throw new ArgumentError(`${op}: generator must be a Generator, got ${describeValue(options.generator)}`);
  if (options.seed !== undefined && options.generator !== undefined) {
    throw new ArgumentError(`${op}: give either seed or generator, not both`);
  }
  if (options.seed !== undefined) {
    if (typeof options.seed !== 'number' || !Number.isSafeInteger(options.seed))
      throw new ArgumentError(`${op}: seed must be an integer, got ${describeValue(options.seed)}`);
    return new Generator(options.seed);
  }
  return options.generator ?? globalGenerator;
}

/** Shuffles `values` in place (Fisher–Yates) with `generator`. */
export function shuffleInPlace<A extends { length: number; [i: number]: number }>(
  values: A,
  generator: Generator,
): A {
  for (let i = values.length - 1; i > 0; i--) {
    const j = generator.integer(0, i + 1);
    const tmp = values[i];
    values[i] = values[j];
    values[j] = tmp;
  }
  return values;
}

/** A random permutation of `0..n-1` drawn from `generator`. */
export function permutation(n: number, generator: Generator = globalGenerator): Int32Array {
  if (!Number.isInteger(n) || n < 0)
    throw new ArgumentError(`permutation: n must be a non-negative integer, got ${n}`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return shuffleInPlace(out, generator);
}

/** Splits `total` into parts proportional to `weights` that sum to `total` exactly (largest remainder, ties to the first). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum === 0 ? 0 : (total * w) / sum));
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => [e - Math.floor(e), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k][1]]++;
  return counts;
}
