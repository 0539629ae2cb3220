/** The op library's families beyond the kernels: indexing, scans and order, math, logic, einsum. */
import type { CaseTable, ErrorCase } from '../types.js';
import { einsumCases, einsumErrorCases } from './einsum.js';
import { indexingCases, indexingErrorCases } from './indexing.js';
import { logicCases, logicErrorCases } from './logic.js';
import { mathCases } from './math.js';
import { orderCases, orderErrorCases } from './order.js';

export { einsumCases, indexingCases, logicCases, mathCases, orderCases };

/** The library families' tables, appended to `OP_TABLES`. */
export const LIBRARY_TABLES: readonly CaseTable[] = [
  { name: 'indexing', cases: indexingCases },
  { name: 'order', cases: orderCases },
  { name: 'math', cases: mathCases },
  { name: 'logic', cases: logicCases },
  { name: 'einsum', cases: einsumCases },
];

/** The library families' error-parity cases, appended to `ERROR_CASES`. */
export const LIBRARY_ERROR_CASES: readonly ErrorCase[] = [
  ...indexingErrorCases,
  ...orderErrorCases,
  ...logicErrorCases,
  ...einsumErrorCases,
];
