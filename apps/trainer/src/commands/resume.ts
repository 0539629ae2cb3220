import { dirname } from 'node:path';
import { parseArgs, UsageError } from '../args.js';
import { useBackend } from '../backend.js';
import { readCheckpoint, resumeState } from '../checkpoint/checkpoint.js';
import { CheckpointError } from '../checkpoint/safetensors.js';
import { type BackendName, RESUME_OPTIONS, type TrainConfig } from '../config.js';
import { loadData } from '../datasets.js';
import type { Io } from '../format.js';
import { TrainingRun } from '../trainer.js';
import { checkpointArgument } from './eval.js';
import { helpText } from './help.js';
import { runTraining } from './train.js';

/**
 * `resume`: continues a run from its checkpoint, in its folder, with its configuration (and,
 * with `--epochs`, a new total). The data split, shuffling, augmentation and schedule pick up
 * where they stopped, so the weights match an uninterrupted run bit for bit on the same backend.
 */
export async function resumeCommand(argv: readonly string[], io: Io): Promise<number> {
  const { options, positionals } = parseArgs(argv, RESUME_OPTIONS, 'resume');
  if (options.help) {
    io.stdout.write(helpText('resume'));
    return 0;
  }
  const started = performance.now();
  const checkpoint = readCheckpoint(checkpointArgument(options, positionals, 'resume'), {
    allowNonfinite: options['allow-nonfinite'] === true,
  });
  const saved = checkpoint.meta.config;
  const config: TrainConfig = {
    ...saved,
    epochs: typeof options.epochs === 'number' ? options.epochs : saved.epochs,
    backend: (options.backend ?? saved.backend) as BackendName,
    out: dirname(checkpoint.path),
  };
  const { progress } = checkpoint.meta;
  if (progress.epoch >= config.epochs) {
    throw new UsageError(
      `the run already has ${progress.epoch} epochs (planned ${saved.epochs}); pass --epochs N with N > ${progress.epoch} to train on`,
      'resume',
    );
  }
  if (config.epochs !== saved.epochs && config.schedule !== 'constant' && !options.quiet && !options.json) {
    // The schedule's horizon is the planned epochs: a new total bends the learning rate from here on.
    io.stderr.write(
      `note: the ${config.schedule} schedule now spans ${config.epochs} epochs instead of ${saved.epochs}, so the learning rate differs from the original plan from here on\n`,
    );
  }
  await useBackend(config.backend);
  const data = loadData(config, 'resume');
  const { model } = checkpoint.meta;
  if (data.input.numFeatures !== model.inputSize || data.input.classNames.length !== model.outputSize) {
    throw new CheckpointError(
      `checkpoint ${checkpoint.path}: its model takes ${model.inputSize} features and ${model.outputSize} classes, its data set now has ${data.input.numFeatures} and ${data.input.classNames.length}`,
    );
  }
  const run = new TrainingRun(config, data, resumeState(checkpoint));
  return runTraining(run, io, { json: options.json === true, quiet: options.quiet === true, started });
}
