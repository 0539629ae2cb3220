/**
 * Option types shared by the op functions and the Tensor's fluent methods; they sit below both so
 * that neither has to import the other.
 */

/** Which axes to reduce: one, several, or all when undefined. */
export type Axis = number | readonly number[] | undefined;

export interface ReduceOptions {
  keepDims?: boolean;
}

export interface VarianceOptions extends ReduceOptions {
  /** Subtracted from the count in the denominator: 1 (Bessel's correction, the default) or 0. */
  correction?: number;
}

/** One axis of a slice: `[start, end, step]` with Python semantics (negatives count from the end; each part optional), or null for the whole axis. */
export type SliceRange = readonly [start?: number | null, end?: number | null, step?: number | null] | null;
