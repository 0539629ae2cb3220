/**
 * Conformance case tables for the packages built on core (@backprop/losses, @backprop/optim). They
 * live above those packages, not in @backprop/conformance, so that the suite depends on core alone
 * and the workspace has no dependency cycle; a backend runs them as `extraCases`.
 */
import type { CaseTable } from '@backprop/conformance';
import { LOSS_TABLE } from './losses.js';
import { OPTIM_TABLE } from './optim.js';

export { LOSS_TABLE, lossCases } from './losses.js';
export { OPTIM_STEPS, OPTIM_TABLE, optimCases } from './optim.js';

/** Every loss and optimizer case table, in the order the suite runs them. */
export const LIBRARY_TABLES: readonly CaseTable[] = [LOSS_TABLE, OPTIM_TABLE];
