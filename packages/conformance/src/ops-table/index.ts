import type { CaseTable, OpCase } from '../types.js';
import { activationCases } from './activation.js';
import { arithmeticCases } from './arithmetic.js';
import { compareCases } from './compare.js';
import { convCases } from './conv.js';
import { castCases, creationCases } from './creation.js';
import { fusedCases } from './fused.js';
import { gatherCases } from './gather.js';
import { joinSliceCases } from './join-slice.js';
import { LIBRARY_TABLES } from './library.js';
import { matmulCases } from './matmul.js';
import { movementCases } from './movement.js';
import { optimizerUpdateCases } from './optimizer-updates.js';
import { reduceCases } from './reduce.js';
import { softmaxCases } from './softmax.js';
import { unaryCases } from './unary.js';

export { binarySamples, input, transposed, unarySamples } from './helpers.js';
export { NOTES_SOFTMAX_INPUT, NOTES_SOFTMAX_OUTPUT } from './softmax.js';
export {
  activationCases,
  arithmeticCases,
  castCases,
  compareCases,
  convCases,
  creationCases,
  fusedCases,
  gatherCases,
  joinSliceCases,
  matmulCases,
  movementCases,
  optimizerUpdateCases,
  reduceCases,
  softmaxCases,
  unaryCases,
};

/** The built-in op table, one entry per op, grouped by family. */
export const OP_TABLES: readonly CaseTable[] = [
  { name: 'arithmetic', cases: arithmeticCases },
  { name: 'unary', cases: unaryCases },
  { name: 'activation', cases: activationCases },
  { name: 'compare', cases: compareCases },
  { name: 'reduce', cases: reduceCases },
  { name: 'movement', cases: movementCases },
  { name: 'join/slice', cases: joinSliceCases },
  { name: 'gather', cases: gatherCases },
  { name: 'matmul', cases: matmulCases },
  { name: 'conv', cases: convCases },
  { name: 'softmax', cases: softmaxCases },
  { name: 'fused', cases: [...fusedCases, ...optimizerUpdateCases] },
  { name: 'creation', cases: creationCases },
  { name: 'cast', cases: castCases },
  ...LIBRARY_TABLES,
];

/** Every built-in case. */
export const ALL_CASES: readonly OpCase[] = OP_TABLES.flatMap((t) => t.cases);

export {
  einsumCases,
  indexingCases,
  LIBRARY_ERROR_CASES,
  LIBRARY_TABLES,
  logicCases,
  mathCases,
  orderCases,
} from './library.js';
