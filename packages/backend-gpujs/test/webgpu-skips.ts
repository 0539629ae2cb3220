import type { ConformanceOptions } from '@backprop/conformance';

const NO_NAN =
  'WGSL lets implementations assume no NaN or infinity (Tint folds `x != x` and NaN comparisons), so they do not propagate';
const NO_INDEX_CHECK = 'core validates indices only where the backend reads synchronously; WebGPU cannot';

/**
 * The conformance checks webgpu skips, in a browser and in Node alike: what needs a synchronous
 * read (core's float32 gradcheck, index range checks) or NaN semantics WGSL does not promise. It
 * passes the suite's forward, reference-gradient, fused, memory and training checks.
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
  'errors/gather: index past the end': NO_INDEX_CHECK,
  'errors/gather: negative index': NO_INDEX_CHECK,
  'errors/indexAdd: index past the end': NO_INDEX_CHECK,
  'errors/oneHot: class past numClasses': NO_INDEX_CHECK,
  'errors/softmaxCrossEntropy: label past the classes': NO_INDEX_CHECK,
};
