import { existsSync } from 'node:fs';
import { parseArgs, UsageError } from '../args.js';
import { useBackend } from '../backend.js';
import { makeOutputFolder, writeFileAtomic } from '../checkpoint/atomic.js';
import { saveCheckpoint } from '../checkpoint/checkpoint.js';
import { resolveTrainConfig, TRAIN_OPTIONS } from '../config.js';
import { loadData } from '../datasets.js';
import { confusionText, formatLr, type Io, TextTable } from '../format.js';
import { EXIT_INTERRUPTED, interruptOnSigint } from '../interrupt.js';
import { describeModel } from '../model.js';
import { formatDuration } from '../progress.js';
import { decisionGrid, describeOptimizer, displayDataset, percent, runReport } from '../report/training.js';
import { runFiles, writeMetrics } from '../run-folder.js';
import { type EpochMetrics, evaluate, TrainingRun } from '../trainer.js';
import { wordsTrainCommand } from '../words/command.js';
import { isWordsRun } from '../words/config.js';
import { helpText } from './help.js';

/** `train`: trains a model from scratch into a new run folder. */
export async function trainCommand(argv: readonly string[], io: Io): Promise<number> {
  const { options, positionals } = parseArgs(argv, TRAIN_OPTIONS, 'train');
  if (options.help) {
    io.stdout.write(helpText('train'));
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(`train takes no arguments besides options (got '${positionals[0]}')`, 'train');
  }
  const started = performance.now();
  if (isWordsRun(options))
    return wordsTrainCommand(options, io, {
      json: options.json === true,
      quiet: options.quiet === true,
      started,
    });
  const config = resolveTrainConfig(options);
  if (existsSync(runFiles(config.out).checkpoint)) {
    throw new UsageError(
      `${config.out} already holds a checkpoint: continue it with 'backprop-trainer resume ${config.out}' or choose another --out`,
      'train',
    );
  }
  makeOutputFolder(config.out);
  await useBackend(config.backend);
  const data = loadData(config);
  const run = new TrainingRun(config, data);
  return runTraining(run, io, { json: options.json === true, quiet: options.quiet === true, started });
}

/** How `runTraining` prints. */
export interface RunOutput {
  readonly json: boolean;
  readonly quiet: boolean;
  /** When the command started (`performance.now()`), for the total time. */
  readonly started: number;
}

/**
 * Trains a new or resumed run to its planned epochs, saving a checkpoint and the metrics after
 * every epoch and the report at the end. Ctrl-C stops after the current batch, saves, and
 * returns `EXIT_INTERRUPTED`; the run can be resumed exactly, from the middle of the epoch.
 */
export async function runTraining(run: TrainingRun, io: Io, output: RunOutput): Promise<number> {
  const { config, data } = run;
  const human = !output.json && !output.quiet;
  const say = (text: string): void => {
    if (human) io.stdout.write(`${text}\n`);
  };
  makeOutputFolder(config.out);
  const files = runFiles(config.out);
  const parameters = run.model.parameterCount();
  const resumed = run.progress.step > 0;
  say(
    `${resumed ? 'Resuming' : 'Training'} ${describeModel(run.modelConfig)} (${parameters.toLocaleString('en-US')} parameters) ` +
      `on ${displayDataset(config.dataset)}: ${data.train.numSamples.toLocaleString('en-US')} training, ` +
      `${data.test.numSamples.toLocaleString('en-US')} held-out samples`,
  );
  say(
    `${config.loss} loss, ${describeOptimizer(config)}, batch ${config.batchSize}, ${config.epochs} epochs, seed ${config.seed}, ${config.backend} backend`,
  );
  if (resumed) {
    const p = run.progress;
    say(
      `Continuing after epoch ${p.epoch}${p.batchInEpoch > 0 ? ` and ${p.batchInEpoch} batches of epoch ${p.epoch + 1}` : ''} (step ${p.step})`,
    );
  }
  say(`Run folder: ${config.out}\n`);

  const table = new TextTable(
    ['epoch', 'train loss', 'train acc', 'held-out loss', 'held-out acc', 'lr', 'time'],
    [5, 10, 9, 13, 12, 8, 6],
  );
  const rowOf = (m: EpochMetrics): string =>
    table.row([
      `${m.epoch}/${config.epochs}`,
      m.trainLoss.toFixed(4),
      percent(m.trainAccuracy),
      m.testLoss.toFixed(4),
      percent(m.testAccuracy),
      formatLr(m.lr),
      `${m.seconds.toFixed(1)}s`,
    ]);
  // Long runs of small data sets print every few epochs (and the last); the metrics file has all.
  const every = Math.ceil(config.epochs / 30);
  const shown = (m: EpochMetrics): boolean =>
    m.epoch % every === 0 || m.epoch === config.epochs || m.epoch === 1;
  say(table.head());
  for (const m of run.history) if (shown(m)) say(rowOf(m));

  const interrupt = interruptOnSigint(io);
  let outcome: 'finished' | 'interrupted';
  try {
    outcome = await run.train({
      progress: human ? io.stderr : undefined,
      signal: interrupt.signal,
      save: async (state) => {
        // Checkpoint first: metrics.jsonl never lists an epoch the checkpoint does not hold.
        await saveCheckpoint(files.checkpoint, run, state);
        writeMetrics(files.metrics, run.history);
      },
      afterEpoch: (m) => {
        if (shown(m)) say(rowOf(m));
      },
    });
  } finally {
    interrupt.release();
  }

  const result = await evaluate(run.model, run.modelConfig, data.test);
  const decision = data.input.numFeatures === 2 ? await decisionGrid(run.model, data.test) : null;
  writeFileAtomic(
    files.report,
    runReport({
      title: `backprop-trainer: ${displayDataset(config.dataset)}, ${describeModel(run.modelConfig)}`,
      config,
      model: run.modelConfig,
      parameters,
      input: data.input,
      history: run.history,
      result,
      evaluated: data.test,
      evaluatedLabel: `held-out split, ${data.test.numSamples.toLocaleString('en-US')} samples`,
      decision,
      trainSeconds: run.progress.trainSeconds,
    }),
  );
  const seconds = (performance.now() - output.started) / 1000;
  const p = run.progress;
  if (output.json) {
    io.stdout.write(
      `${JSON.stringify(
        {
          status: outcome,
          runFolder: config.out,
          files,
          epoch: p.epoch,
          step: p.step,
          heldOut: {
            samples: data.test.numSamples,
            loss: result.loss,
            accuracy: result.accuracy,
            confusion: result.confusion,
          },
          history: run.history,
          trainSeconds: p.trainSeconds,
          seconds,
          config,
        },
        null,
        2,
      )}\n`,
    );
  } else if (output.quiet) {
    io.stdout.write(
      `${outcome === 'interrupted' ? 'interrupted: ' : ''}held-out accuracy ${percent(result.accuracy)}\n`,
    );
  } else {
    say('');
    if (outcome === 'interrupted') {
      say(`Interrupted during epoch ${p.epoch + 1} after ${p.batchInEpoch} batches; checkpoint saved.`);
      say(`Continue with: backprop-trainer resume ${config.out}`);
    }
    say(
      `Held-out accuracy ${percent(result.accuracy)} (loss ${result.loss.toFixed(4)}) on ${data.test.numSamples.toLocaleString('en-US')} samples; ` +
        `trained ${formatDuration(p.trainSeconds)}, ${formatDuration(seconds)} in all`,
    );
    say(
      `\nConfusion matrix (rows: true class, columns: predicted)\n${confusionText(result.confusion, data.input.classNames)}\n`,
    );
    say(`Checkpoint: ${files.checkpoint}\nMetrics:    ${files.metrics}\nReport:     ${files.report}`);
  }
  return outcome === 'interrupted' ? EXIT_INTERRUPTED : 0;
}
