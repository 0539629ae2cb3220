/**
 * Long-axis samples: reductions and fused kernels along axes of 250,000 elements (10^6 in all).
 * They catch kernels that silently stop part-way along a long axis (a GPU driver's loop limit, a
 * fixed-size workgroup reduction, a tiling bound): the samples of at most a few hundred elements
 * elsewhere in the table cannot. Forward checks only: no gradcheck (finite differences over 10^6
 * inputs), no gradients, and the memory check picks a small sample.
 */
import type { InputSpec, Sample, ToleranceScale } from '../types.js';
import { input } from './helpers.js';

/** The long axis: at least 250,000 elements, 10^6 in all with four rows or columns. */
export const LONG_AXIS = 250_000;

/** Sums of 250,000 float32 terms: room for a careful (blocked or pairwise) float32 accumulation. */
export const LONG_TOLERANCE: ToleranceScale = { atol: 10, rtol: 10 };

const forwardOnly = { grad: false, gradcheck: false } as const;

/**
 * A sample reducing a [4, 250000] input along axis 1 and, with `columns`, one reducing a
 * [250000, 4] input along axis 0 (strided reads); `args` builds the op's arguments for an axis.
 */
export function longAxisSamples<A>(
  dist: InputSpec['dist'],
  args: (axis: number) => A,
  options: { columns?: boolean; tolerance?: ToleranceScale } = {},
): Sample<A>[] {
  const tolerance = options.tolerance ?? LONG_TOLERANCE;
  const samples: Sample<A>[] = [
    {
      name: `long axis 1 of [4, ${LONG_AXIS}]`,
      inputs: [input([4, LONG_AXIS], { dist })],
      args: args(1),
      tolerance,
      ...forwardOnly,
    },
  ];
  if (options.columns) {
    samples.push({
      name: `long axis 0 of [${LONG_AXIS}, 4]`,
      inputs: [input([LONG_AXIS, 4], { dist })],
      args: args(0),
      tolerance,
      ...forwardOnly,
    });
  }
  return samples;
}
