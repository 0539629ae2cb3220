import { existsSync } from 'node:fs';
import { UsageError } from '../args.js';
import { useBackend } from '../backend.js';
import { makeOutputFolder, writeFileAtomic } from '../checkpoint/atomic.js';
import { formatLr, type Io, TextTable } from '../format.js';
import { EXIT_INTERRUPTED, interruptOnSigint } from '../interrupt.js';
import { formatDuration } from '../progress.js';
import { runFiles, writeMetrics } from '../run-folder.js';
import { saveWordsCheckpoint } from './checkpoint.js';
import { resolveWordsConfig } from './config.js';
import { describeLanguageModel } from './models.js';
import { relative, wordsReport } from './report.js';
import { trainWords, type WordsEpoch } from './run.js';
import { sampleWords } from './sample.js';

/** Samples the report and the summary show: drawn at temperature 1 with the run's seed. */
const REPORT_SAMPLES = 20;

/** How the words training prints. */
export interface WordsOutput {
  readonly json: boolean;
  readonly quiet: boolean;
  /** When the command started (`performance.now()`). */
  readonly started: number;
  /** The word list (tests pass a small one; default the whole English list). */
  readonly words?: readonly string[];
}

/**
 * `train --dataset words`: trains a character-level language model into a run folder (checkpoint
 * after every epoch, `metrics.jsonl`, `report.html`) and prints its held-out loss beside the
 * bigram baseline's in the line `Held-out loss L nats/char (bigram baseline B nats/char)`.
 */
export async function wordsTrainCommand(
  options: Record<string, string | number | boolean>,
  io: Io,
  output: WordsOutput,
): Promise<number> {
  const config = resolveWordsConfig(options);
  const files = runFiles(config.out);
  if (existsSync(files.checkpoint))
    throw new UsageError(`${config.out} already holds a checkpoint: choose another --out`, 'train');
  makeOutputFolder(config.out);
  await useBackend(config.backend);
  const human = !output.json && !output.quiet;
  const say = (text: string): void => {
    if (human) io.stdout.write(`${text}\n`);
  };
  const table = new TextTable(
    ['epoch', 'train loss', 'held-out loss', 'vs bigram', 'lr', 'time'],
    [5, 10, 13, 9, 8, 6],
  );
  const interrupt = interruptOnSigint(io);
  let run: Awaited<ReturnType<typeof trainWords>>;
  try {
    run = await trainWords(config, {
      words: output.words,
      progress: human ? io.stderr : undefined,
      signal: interrupt.signal,
      afterEpoch: async (r, row: WordsEpoch) => {
        await saveWordsCheckpoint(files.checkpoint, r);
        writeMetrics(files.metrics, r.history);
        say(
          table.row([
            `${row.epoch}/${config.epochs}`,
            row.trainLoss.toFixed(4),
            row.heldOutLoss.toFixed(4),
            relative(row.heldOutLoss, r.bigramLoss),
            formatLr(row.lr),
            formatDuration(row.seconds),
          ]),
        );
      },
      onStart: (r) => {
        say(
          `Training ${describeLanguageModel(r.modelConfig)} (${r.model.parameterCount().toLocaleString('en-US')} parameters) on words: ` +
            `${r.split.train.length.toLocaleString('en-US')} training, ${r.split.test.length.toLocaleString('en-US')} held-out words ` +
            `of ${r.split.available.toLocaleString('en-US')}`,
        );
        say(
          `${config.optimizer}, lr ${config.lr} (${config.schedule}), batch ${config.batchSize} words, ${config.epochs} epochs, seed ${config.seed}, ${config.backend} backend`,
        );
        say(`Bigram baseline (counts + 1, same split): ${r.bigramLoss.toFixed(4)} nats/char held-out`);
        say(`Run folder: ${config.out}\n`);
        say(table.head());
      },
    });
  } finally {
    interrupt.release();
  }
  const interrupted = run.stopReason !== undefined;
  if (interrupted) await saveWordsCheckpoint(files.checkpoint, run);
  const sampling = { count: REPORT_SAMPLES, temperature: 1, seed: config.seed };
  const samples = await sampleWords(run.model, run.modelConfig.blockSize, sampling);
  const parameters = run.model.parameterCount();
  writeFileAtomic(
    files.report,
    wordsReport({
      config,
      model: run.modelConfig,
      parameters,
      history: run.history,
      stepLosses: run.stepLosses,
      bigramLoss: run.bigramLoss,
      trainSeconds: run.trainSeconds,
      samples,
      sampling,
    }),
  );
  const seconds = (performance.now() - output.started) / 1000;
  const loss = run.history.at(-1)?.heldOutLoss ?? Number.NaN;
  if (output.json) {
    io.stdout.write(
      `${JSON.stringify(
        {
          status: interrupted ? 'interrupted' : 'finished',
          runFolder: config.out,
          files,
          parameters,
          heldOut: { words: run.split.test.length, lossPerCharacter: loss },
          bigramLossPerCharacter: run.bigramLoss,
          history: run.history,
          samples,
          trainSeconds: run.trainSeconds,
          seconds,
          config,
        },
        null,
        2,
      )}\n`,
    );
  } else if (output.quiet) {
    io.stdout.write(
      `held-out loss ${loss.toFixed(4)} nats/char (bigram baseline ${run.bigramLoss.toFixed(4)} nats/char)\n`,
    );
  } else {
    say('');
    if (interrupted) say(`Interrupted after ${run.history.length} epochs; checkpoint saved.`);
    say(
      `Held-out loss ${loss.toFixed(4)} nats/char (bigram baseline ${run.bigramLoss.toFixed(4)} nats/char)`,
    );
    say(
      `${relative(loss, run.bigramLoss)} against the baseline; trained ${formatDuration(run.trainSeconds)}, ${formatDuration(seconds)} in all`,
    );
    say(`\nSamples (temperature 1, seed ${config.seed}): ${samples.join(' ')}\n`);
    say(`Checkpoint: ${files.checkpoint}\nMetrics:    ${files.metrics}\nReport:     ${files.report}`);
  }
  return interrupted ? EXIT_INTERRUPTED : 0;
}
