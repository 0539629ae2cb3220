import type { OptionSpec } from '../args.js';
import { BACKENDS } from '../config.js';

/** The options of `sample`. */
export const SAMPLE_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'count',
    kind: 'int',
    placeholder: 'N',
    min: 1,
    max: 100_000,
    description: 'words to generate (default 20)',
  },
  {
    name: 'temperature',
    kind: 'number',
    placeholder: 'T',
    min: 0,
    minExclusive: true,
    max: 100,
    description: 'divides the logits: below 1 likelier characters, above 1 more surprising ones (default 1)',
  },
  {
    name: 'seed',
    kind: 'int',
    placeholder: 'N',
    min: 0,
    max: 4294967295,
    description: 'seed of the draws: the same seed prints the same words (default 0)',
  },
  {
    name: 'backend',
    kind: 'string',
    placeholder: 'NAME',
    choices: BACKENDS,
    description: 'compute backend (default cpu)',
  },
  { name: 'json', kind: 'flag', description: 'print one JSON document instead of one word a line' },
  { name: 'help', kind: 'flag', description: 'show this help' },
];
