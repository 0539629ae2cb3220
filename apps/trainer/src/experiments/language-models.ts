import { chartRow } from '../report/html.js';
import { barChart, lineChart } from '../report/svg.js';
import { resolveWordsConfig } from '../words/config.js';
import { describeLanguageModel, LM_MODELS, type LmModelName } from '../words/models.js';
import { relative, smoothed } from '../words/report.js';
import { trainWords } from '../words/run.js';
import type { Experiment, ExperimentResult } from './common.js';

/** One model's result in the comparison. */
interface Entry {
  readonly model: LmModelName;
  readonly shape: string;
  readonly parameters: number;
  readonly heldOutLoss: number;
  readonly seconds: number;
  readonly stepLosses: readonly number[];
}

/** The comparison's size: words in each part of the split and epochs per model. */
export interface LanguageModelSetup {
  readonly trainSize: number;
  readonly testSize: number;
  readonly epochs: number;
  readonly seed: number;
  readonly log: (line: string) => void;
  /** Shapes in place of each model's defaults (tests use tiny ones): width and layers for all, heads for the gpt, hidden for the recurrent nets. */
  readonly shapes?: {
    readonly width: number;
    readonly layers: number;
    readonly heads: number;
    readonly hidden: number;
  };
}

/**
 * Trains the gpt, rnn, lstm and gru character models (each with its `train --dataset words`
 * defaults) on the same seeded split of English words for the same number of epochs, and
 * compares their held-out nats per character, parameter counts and training times with the
 * count-based bigram model's.
 */
export async function compareLanguageModels(s: LanguageModelSetup): Promise<ExperimentResult> {
  const entries: Entry[] = [];
  let bigram = Number.NaN;
  for (const model of LM_MODELS) {
    const config = resolveWordsConfig({
      dataset: 'words',
      model,
      'train-size': s.trainSize,
      'test-size': s.testSize,
      epochs: s.epochs,
      seed: s.seed,
      out: '.',
      ...(s.shapes === undefined
        ? {}
        : model === 'gpt'
          ? { width: s.shapes.width, layers: s.shapes.layers, heads: s.shapes.heads }
          : { width: s.shapes.width, layers: s.shapes.layers, hidden: String(s.shapes.hidden) }),
    });
    const run = await trainWords(config);
    bigram = run.bigramLoss;
    const heldOutLoss = run.history.at(-1)?.heldOutLoss ?? Number.NaN;
    const entry: Entry = {
      model,
      shape: describeLanguageModel(run.modelConfig),
      parameters: run.model.parameterCount(),
      heldOutLoss,
      seconds: run.trainSeconds,
      stepLosses: run.stepLosses,
    };
    s.log(
      `${entry.shape}: ${entry.parameters} parameters, held-out ${heldOutLoss.toFixed(4)} nats/char (${entry.seconds.toFixed(1)}s)`,
    );
    run.model.dispose();
    entries.push(entry);
  }
  const best = [...entries].sort((a, b) => a.heldOutLoss - b.heldOutLoss)[0];
  const gpt = entries[0];
  const steps = entries[0].stepLosses.length;
  const window = Math.max(1, Math.floor(steps / 60));
  return {
    title: 'Character-level language models: transformer versus recurrent nets',
    setup: [
      [
        'data',
        `English words (an-array-of-english-words), ${s.trainSize} training and ${s.testSize} held-out (seed ${s.seed}); each word . + letters + .`,
      ],
      ['models', entries.map((e) => e.shape).join('; ')],
      [
        'training',
        `each with its train --dataset words defaults, ${s.epochs} epoch${s.epochs === 1 ? '' : 's'}, the same batches`,
      ],
    ],
    tables: [
      {
        title: 'Held-out loss per character',
        headers: ['model', 'shape', 'parameters', 'held-out nats/char', 'vs bigram', 'time'],
        rows: [
          ...entries.map((e) => [
            e.model,
            e.shape,
            String(e.parameters),
            e.heldOutLoss.toFixed(4),
            relative(e.heldOutLoss, bigram),
            `${e.seconds.toFixed(1)}s`,
          ]),
          ['bigram', 'counts + 1', String(27 * 27), bigram.toFixed(4), '0.0%', '-'],
        ],
      },
    ],
    finding:
      `On the same ${s.trainSize} words the gpt reached ${gpt.heldOutLoss.toFixed(4)} nats/char (${relative(gpt.heldOutLoss, bigram)} against the bigram's ${bigram.toFixed(4)}); ` +
      `the best was ${best.model} with ${best.heldOutLoss.toFixed(4)} (${best.parameters} parameters, ${best.seconds.toFixed(1)}s).`,
    sections: [
      {
        title: 'Curves and results',
        note: `Training loss per optimizer step (mean of ${window} steps); the dashed line is the bigram model's held-out loss.`,
        html: chartRow(
          lineChart({
            title: 'Training loss',
            xLabel: 'optimizer step',
            yLabel: 'nats / character',
            series: [
              ...entries.map((e) => ({ name: e.model, points: smoothed(e.stepLosses, window) })),
              {
                name: 'bigram',
                points: [
                  [0, bigram],
                  [steps, bigram],
                ] as [number, number][],
                dashed: true,
              },
            ],
          }),
          barChart({
            title: 'Held-out loss per character',
            xLabel: 'nats / character (lower is better)',
            bars: [
              ...entries.map((e) => ({
                label: e.model,
                value: e.heldOutLoss,
                note: e.heldOutLoss.toFixed(3),
              })),
              { label: 'bigram', value: bigram, note: bigram.toFixed(3) },
            ],
          }),
        ),
      },
    ],
    data: entries.map((e) => ({
      model: e.model,
      shape: e.shape,
      parameters: e.parameters,
      heldOutLoss: e.heldOutLoss,
      seconds: e.seconds,
      bigramLoss: bigram,
    })),
  };
}

/** `experiment language-models`: the comparison at a size that runs in minutes. */
export const languageModels: Experiment = {
  description:
    'gpt vs rnn, lstm and gru character models on English words (held-out nats/char, parameters, time)',
  run: ({ seed, epochs, log }) =>
    compareLanguageModels({ trainSize: 8000, testSize: 2000, epochs: epochs ?? 2, seed, log }),
};
