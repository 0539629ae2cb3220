import { manualSeed } from '@backprop/core';
import { type Callback, type EpochLogs, fit, ProgressCallback, type ProgressStream } from '@backprop/train';
import { batchTimer } from '../batch-timer.js';
import { createOptimizer, createScheduler, deriveSeed } from '../trainer.js';
import { bucketLoader, lengthBuckets } from './batches.js';
import { BigramModel } from './bigram.js';
import type { WordsConfig } from './config.js';
import { englishWords, splitWords, type WordSplit } from './data.js';
import { characterLoss, lossPerCharacter } from './loss.js';
import {
  buildLanguageModel,
  type CharRecurrent,
  type CharTransformer,
  type LmModelConfig,
} from './models.js';

/** One row of a words run's history and of its `metrics.jsonl`. */
export interface WordsEpoch {
  readonly epoch: number;
  /** Mean training loss over the epoch's batches (nats per character, each batch weighted by its words). */
  readonly trainLoss: number;
  /** Exact held-out nats per character after the epoch. */
  readonly heldOutLoss: number;
  /** The learning rate of the epoch's last step. */
  readonly lr: number;
  /** Seconds spent training in the epoch (without the held-out evaluation). */
  readonly seconds: number;
}

/** A finished (or stopped) words run. */
export interface WordsRun {
  readonly config: WordsConfig;
  readonly model: CharTransformer | CharRecurrent;
  readonly modelConfig: LmModelConfig;
  readonly split: WordSplit;
  readonly history: WordsEpoch[];
  /** Every optimizer step's batch loss, in order: the report's fine-grained curve. */
  readonly stepLosses: number[];
  /** The count-based bigram model's held-out nats per character on the same split. */
  readonly bigramLoss: number;
  /** Seconds spent in optimizer steps. */
  trainSeconds: number;
  /** `'aborted'` when `signal` stopped it; undefined when it finished. */
  stopReason: string | undefined;
}

/** How `trainWords` reports and where it gets its words. */
export interface WordsRunOptions {
  /** The word list (default: the whole `an-array-of-english-words` list). */
  readonly words?: readonly string[];
  /** Where the progress bar goes (none when absent). */
  readonly progress?: ProgressStream;
  /** Called after every epoch with the run so far (e.g. to save a checkpoint). */
  readonly afterEpoch?: (run: WordsRun, row: WordsEpoch) => Promise<void> | void;
  /** Called once the split, baseline and model are ready, before the first step. */
  readonly onStart?: (run: WordsRun) => void;
  /** Aborting stops after the current batch. */
  readonly signal?: AbortSignal;
}

/** The model shape of a configuration on a split. */
export function lmModelConfig(config: WordsConfig, blockSize: number): LmModelConfig {
  return {
    architecture: config.architecture,
    blockSize,
    width: config.width,
    layers: config.layers,
    heads: config.heads,
    hidden: config.hidden,
  };
}

/**
 * Trains a character-level language model on a seeded split of the word list with `fit` (one
 * batch per length bucket, the schedule stepped per batch), measuring the held-out nats per
 * character after every epoch and the count-based bigram baseline on the same split.
 */
export async function trainWords(config: WordsConfig, options: WordsRunOptions = {}): Promise<WordsRun> {
  const split = splitWords(options.words ?? englishWords(), config.trainSize, config.testSize, config.seed);
  const bigramLoss = new BigramModel(split.train).lossPerCharacter(split.test);
  const modelConfig = lmModelConfig(config, split.blockSize);
  manualSeed(config.seed);
  const model = buildLanguageModel(modelConfig);
  const groups = lengthBuckets(split.train, config.batchSize, deriveSeed(config.seed, 1));
  const train = bucketLoader(groups, true, deriveSeed(config.seed, 2));
  const optimizer = createOptimizer(config, model.parameters());
  const scheduler = createScheduler(config, optimizer, config.epochs * groups.length);
  const run: WordsRun = {
    config,
    model,
    modelConfig,
    split,
    history: [],
    stepLosses: [],
    bigramLoss,
    trainSeconds: 0,
    stopReason: undefined,
  };
  options.onStart?.(run);
  let epochSeconds = 0;
  const timer = batchTimer((seconds) => {
    epochSeconds += seconds;
    run.trainSeconds += seconds;
  });
  const recorder: Callback = {
    onBatchEnd: (_batch, logs) => {
      run.stepLosses.push(logs.loss);
    },
    onEpochEnd: async (epoch: number, logs: EpochLogs) => {
      const heldOutLoss = await lossPerCharacter(model, split.test);
      // In fit's history row too, so the progress line shows it.
      logs.heldout_nats_per_char = heldOutLoss;
      const row: WordsEpoch = {
        epoch,
        trainLoss: logs.loss,
        heldOutLoss,
        lr: logs.lr,
        seconds: epochSeconds,
      };
      epochSeconds = 0;
      run.history.push(row);
      await options.afterEpoch?.(run, row);
    },
  };
  const result = await fit(model, {
    train,
    loss: characterLoss,
    optimizer,
    ...(scheduler === null ? {} : { scheduler, schedulerInterval: 'batch' as const }),
    epochs: config.epochs,
    callbacks: [
      timer,
      recorder,
      ...(options.progress ? [new ProgressCallback({ stream: options.progress })] : []),
    ],
    signal: options.signal,
  });
  run.stopReason = result.stopReason;
  return run;
}
