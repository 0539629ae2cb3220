import { listBackends } from '@backprop/core';
import { parseArgs, UsageError } from '../args.js';
import { BackendUnavailableError, useBackend } from '../backend.js';
import { ACTIVATIONS, BACKENDS, INFO_OPTIONS, type LOSSES, OPTIMIZERS, type SCHEDULES } from '../config.js';
import { DATASET_DESCRIPTIONS } from '../datasets.js';
import { EXPERIMENTS } from '../experiments/index.js';
import type { Io } from '../format.js';
import { helpText } from './help.js';

const LOSS_DESCRIPTIONS: Record<(typeof LOSSES)[number], string> = {
  'cross-entropy': 'softmax + cross-entropy on class indices (multiclass)',
  bce: 'one-vs-all sigmoids + binary cross-entropy on one-hot targets',
  mse: 'squared error between softmax probabilities and one-hot targets (Brier score)',
  'multi-margin': 'multiclass hinge loss on the class scores',
};

const SCHEDULE_DESCRIPTIONS: Record<(typeof SCHEDULES)[number], string> = {
  constant: 'the same learning rate throughout',
  cosine: 'half a cosine from lr down to 0 over the run',
  step: 'lr, then ÷10 at half and again at three quarters of the run',
  exponential: 'a smooth exponential decay to lr/100 at the end of the run',
};

/** `info`: what the trainer can use, for people and (with `--json`) for scripts. */
export async function infoCommand(argv: readonly string[], io: Io): Promise<number> {
  const { options, positionals } = parseArgs(argv, INFO_OPTIONS, 'info');
  if (options.help) {
    io.stdout.write(helpText('info'));
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`info takes no arguments (got '${positionals[0]}')`, 'info');
  const backends = await Promise.all(
    BACKENDS.map(async (name) => {
      if (name === 'cpu')
        return {
          name,
          available: true,
          note: 'the reference backend, typed arrays in this process (default)',
        };
      try {
        await useBackend(name);
        return { name, available: true, note: 'kernels compiled by gpu.js' };
      } catch (e) {
        if (!(e instanceof BackendUnavailableError)) throw e;
        return { name, available: false, note: e.message };
      } finally {
        await useBackend('cpu');
      }
    }),
  );
  const info = {
    backends,
    registeredBackends: listBackends(),
    datasets: DATASET_DESCRIPTIONS,
    activations: ACTIVATIONS,
    losses: LOSS_DESCRIPTIONS,
    optimizers: OPTIMIZERS,
    schedules: SCHEDULE_DESCRIPTIONS,
    experiments: Object.fromEntries(Object.entries(EXPERIMENTS).map(([k, e]) => [k, e.description])),
  };
  if (options.json) {
    io.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    return 0;
  }
  const list = (entries: Record<string, string>): string => {
    const width = Math.max(...Object.keys(entries).map((k) => k.length)) + 2;
    return Object.entries(entries)
      .map(([k, v]) => `  ${k.padEnd(width)}${v}`)
      .join('\n');
  };
  io.stdout.write(
    [
      'Backends (--backend)',
      list(
        Object.fromEntries(backends.map((b) => [b.name, `${b.available ? '' : 'unavailable: '}${b.note}`])),
      ),
      '',
      'Data sets (--dataset)',
      list(DATASET_DESCRIPTIONS),
      '',
      'Activations (--activation)',
      `  ${ACTIVATIONS.join(', ')}`,
      '',
      'Losses (--loss)',
      list(LOSS_DESCRIPTIONS),
      '',
      'Optimizers (--optimizer)',
      `  ${OPTIMIZERS.join(', ')}`,
      '',
      'Schedules (--schedule)',
      list(SCHEDULE_DESCRIPTIONS),
      '',
      'Experiments (backprop-trainer experiment NAME)',
      list(info.experiments),
      '',
    ].join('\n'),
  );
  return 0;
}
