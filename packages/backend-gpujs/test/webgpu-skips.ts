import type { ConformanceOptions } from '@backprop/conformance';

const NO_NAN =
  'WGSL lets implementations assume no NaN or infinity (Tint folds `x != x` and NaN comparisons), so they do not propagate';

/**
 * The conformance checks webgpu skips, in a browser and in Node alike: only the samples that need
 * NaN or infinity semantics WGSL does not promise (a limit of the shading language, not of
 * backprop). Everything else that the software-GPU modes run runs here too (see
 * `GRADCHECK_ON_CPU_MODES`), the index range errors included, which core checks on the device and
 * reports when the result is read.
 */
export const WEBGPU_SKIPS: ConformanceOptions['skip'] = {
  'maximum/forward/NaN propagates': NO_NAN,
  'minimum/forward/NaN propagates': NO_NAN,
  'ne/forward/NaN and infinities': NO_NAN,
  'cast/forward/float32 to bool': NO_NAN,
  'sort/forward/NaN and infinities': NO_NAN,
  'sort/forward/NaN descending': NO_NAN,
  'argsort/forward/NaN and infinities': NO_NAN,
  'argsort/forward/NaN descending': NO_NAN,
  'any/forward/float with NaN': NO_NAN,
  'isclose/forward/loose, equal NaN': NO_NAN,
  'isnan/forward/special values': NO_NAN,
  'isnan/forward/transposed special': NO_NAN,
  'logicalAnd/forward/float truthiness, NaN true': NO_NAN,
  'logicalXor/forward/float truthiness, NaN true': NO_NAN,
  'acosh/forward/edge values': NO_NAN,
  'hypot/forward/zeros, huge and infinite': NO_NAN,
  'xlogy/forward/zeros, NaN and infinities': NO_NAN,
};
