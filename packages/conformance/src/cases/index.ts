import type { CaseTable } from '../types.js';
import { LOSS_TABLE } from './losses.js';
import { OPTIM_TABLE } from './optim.js';

export { LOSS_TABLE, lossCases } from './losses.js';
export { OPTIM_STEPS, OPTIM_TABLE, optimCases } from './optim.js';

/**
 * Case tables of the packages built on core (@backprop/losses, @backprop/optim): every backend runs
 * them after the op tables, so a loss or an optimizer step is checked forward and backward everywhere.
 */
export const LIBRARY_TABLES: readonly CaseTable[] = [LOSS_TABLE, OPTIM_TABLE];
