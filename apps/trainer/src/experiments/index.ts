import { activations } from './activations.js';
import type { Experiment } from './common.js';
import { depthWidth } from './depth-width.js';
import { languageModels } from './language-models.js';
import { vanishing } from './vanishing.js';

/** The experiments by their command-line name. */
export const EXPERIMENTS: Readonly<Record<string, Experiment>> = {
  vanishing,
  activations,
  'depth-width': depthWidth,
  'language-models': languageModels,
};
