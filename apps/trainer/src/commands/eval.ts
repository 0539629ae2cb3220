import { type ClassificationData, loadCsv, Standardizer } from '@backprop/data';
import { parseArgs, UsageError } from '../args.js';
import { useBackend } from '../backend.js';
import { type Checkpoint, readCheckpoint, restoreModel } from '../checkpoint/checkpoint.js';
import { CheckpointError } from '../checkpoint/safetensors.js';
import { type BackendName, checkDataset, EVAL_OPTIONS, userPath } from '../config.js';
import { datasetName, loadData } from '../datasets.js';
import { confusionText, type Io } from '../format.js';
import { describeModel } from '../model.js';
import { displayDataset, percent } from '../report/training.js';
import { evaluate } from '../trainer.js';
import { helpText } from './help.js';

/** The checkpoint a command names by `--checkpoint PATH` or its first argument. */
export function checkpointArgument(
  options: Record<string, string | number | boolean>,
  positionals: readonly string[],
  command: string,
): string {
  const given = typeof options.checkpoint === 'string' ? options.checkpoint : positionals[0];
  if (given === undefined) {
    throw new UsageError(
      `${command} needs a checkpoint: backprop-trainer ${command} RUN_FOLDER (or --checkpoint PATH)`,
      command,
    );
  }
  const extra = positionals.slice(typeof options.checkpoint === 'string' ? 0 : 1);
  if (extra.length > 0) throw new UsageError(`${command}: unexpected argument '${extra[0]}'`, command);
  return userPath(given);
}

/** `eval`: a checkpoint's loss, accuracy and confusion matrix on a data set. */
export async function evalCommand(argv: readonly string[], io: Io): Promise<number> {
  const { options, positionals } = parseArgs(argv, EVAL_OPTIONS, 'eval');
  if (options.help) {
    io.stdout.write(helpText('eval'));
    return 0;
  }
  const checkpoint = readCheckpoint(checkpointArgument(options, positionals, 'eval'), {
    allowNonfinite: options['allow-nonfinite'] === true,
  });
  await useBackend((options.backend ?? 'cpu') as BackendName);
  const { data, label } = evaluationData(
    checkpoint,
    typeof options.dataset === 'string' ? checkDataset(options.dataset, 'eval') : null,
    typeof options.target === 'string' ? options.target : null,
  );
  const model = restoreModel(checkpoint);
  const batchSize = typeof options['batch-size'] === 'number' ? options['batch-size'] : 500;
  const result = await evaluate(model, checkpoint.meta.model, data, batchSize);
  const { meta } = checkpoint;
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify(
        {
          checkpoint: checkpoint.path,
          data: label,
          samples: data.numSamples,
          loss: result.loss,
          accuracy: result.accuracy,
          classNames: meta.input.classNames,
          confusion: result.confusion,
          epoch: meta.progress.epoch,
        },
        null,
        2,
      )}\n`,
    );
  } else if (options.quiet) {
    io.stdout.write(`accuracy ${percent(result.accuracy)}\n`);
  } else {
    io.stdout.write(
      `Checkpoint ${checkpoint.path}: ${describeModel(meta.model)} trained ${meta.progress.epoch} epochs on ${displayDataset(meta.config.dataset)}\n` +
        `Evaluated on ${label}\n\n` +
        `accuracy ${percent(result.accuracy)}  loss ${result.loss.toFixed(4)}\n\n` +
        `Confusion matrix (rows: true class, columns: predicted)\n${confusionText(result.confusion, meta.input.classNames)}\n`,
    );
  }
  return 0;
}

/**
 * The data `eval` runs on: the checkpoint's own held-out split by default (rebuilt from its
 * seed); another built-in set's held-out split; or a whole CSV file, scaled with the
 * checkpoint's standardizer and labelled with its class names.
 */
function evaluationData(
  checkpoint: Checkpoint,
  dataset: string | null,
  target: string | null,
): { data: ClassificationData; label: string } {
  const { config, input, model } = checkpoint.meta;
  let data: ClassificationData;
  let label: string;
  if (dataset === null || dataset === config.dataset) {
    data = loadData(config, 'eval').test;
    label = `its held-out split (${displayDataset(config.dataset)}, ${data.numSamples.toLocaleString('en-US')} samples, seed ${config.seed})`;
  } else if (datasetName(dataset) !== 'csv') {
    data = loadData(
      { dataset, target: null, trainSize: null, testSize: null, seed: config.seed },
      'eval',
    ).test;
    label = `the held-out split of ${dataset} (${data.numSamples.toLocaleString('en-US')} samples, seed ${config.seed})`;
  } else {
    const path = dataset.slice(4);
    const column = target ?? config.target;
    try {
      const csv = loadCsv(path, {
        target: column === null ? undefined : /^\d+$/.test(column) ? Number(column) : column,
        task: 'classification',
        classNames: input.classNames,
      });
      if (csv.task !== 'classification') throw new UsageError(`${path}: expected class labels`, 'eval');
      data = input.standardizer
        ? { ...csv, x: Standardizer.fromJSON(input.standardizer).transform(csv.x) }
        : csv;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`--dataset csv:${path}: ${(e as Error).message}`, 'eval');
    }
    label = `all ${data.numSamples.toLocaleString('en-US')} rows of ${displayDataset(dataset)}`;
  }
  if (data.numFeatures !== model.inputSize || data.numClasses !== model.outputSize) {
    throw new CheckpointError(
      `checkpoint ${checkpoint.path}: the model takes ${model.inputSize} features and predicts ${model.outputSize} classes, ` +
        `but ${label} has ${data.numFeatures} features and ${data.numClasses} classes`,
    );
  }
  return { data, label };
}
