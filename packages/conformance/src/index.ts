/**
 * @backprop/conformance: the suite every backprop backend must pass, as a library. A backend
 * package calls `describeBackendConformance(name, factory)` from one of its vitest files.
 */

export { ERROR_CASES } from './checks/errors.js';
export {
  ALL_CASES,
  activationCases,
  arithmeticCases,
  binarySamples,
  castCases,
  compareCases,
  creationCases,
  fusedCases,
  gatherCases,
  input,
  joinSliceCases,
  matmulCases,
  movementCases,
  NOTES_SOFTMAX_INPUT,
  NOTES_SOFTMAX_OUTPUT,
  OP_TABLES,
  optimizerUpdateCases,
  reduceCases,
  softmaxCases,
  transposed,
  unaryCases,
  unarySamples,
} from './ops-table/index.js';
/** The float64 reference implementations, for extra case tables (losses, optimizers). */
export * as reference from './reference/index.js';
export { describeBackendConformance } from './suite.js';
export { tolerancesFor } from './tolerance.js';
export type {
  BackendFactoryLike,
  CaseTable,
  ConformanceOptions,
  Distribution,
  ErrorCase,
  FusedKernel,
  InputSpec,
  OpCase,
  Sample,
  Tolerance,
  ToleranceConfig,
  ToleranceScale,
} from './types.js';
