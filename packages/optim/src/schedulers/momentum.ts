import { ArgumentError } from '@backprop/core';
import type { ParamGroup } from '../optimizer.js';
import type { OptimizerLike } from './scheduler.js';

/**
 * Throws unless every group has a momentum to cycle: SGD's/RMSprop's `momentum` or Adam's β₁
 * (the first of `betas`).
 */
export function checkCyclableMomentum(name: string, optimizer: OptimizerLike): void {
  optimizer.paramGroups.forEach((g, i) => {
    if (!Array.isArray(g.betas) && typeof g.momentum !== 'number') {
      throw new ArgumentError(
        `${name}: param group ${i} has no momentum or betas to cycle; pass cycleMomentum: false`,
      );
    }
  });
}

/** Sets a group's momentum: β₁ for optimizers with betas, else `momentum`. */
export function setMomentum(g: ParamGroup, m: number): void {
  if (Array.isArray(g.betas)) g.betas = [m, ...g.betas.slice(1)];
  else g.momentum = m;
}
