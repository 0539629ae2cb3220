import { existsSync } from 'node:fs';
import {
  type ClassificationData,
  circles,
  loadCsv,
  loadIris,
  loadMnist,
  moons,
  Standardizer,
  spirals,
  trainTestSplit,
  xor,
} from '@backprop/data';
import { UsageError } from './args.js';

/** What identifies a data split: the same spec gives the same samples in the same order. */
export interface DataSpec {
  /** `mnist`, `xor`, `spirals`, `moons`, `circles`, `iris` or `csv:/absolute/path`. */
  readonly dataset: string;
  readonly target: string | null;
  readonly trainSize: number | null;
  readonly testSize: number | null;
  /** Seed of the split (and of the synthetic sets' points). */
  readonly seed: number;
}

/** How inputs are shaped and scaled: saved in checkpoints so `predict` needs no data set. */
export interface InputInfo {
  readonly numFeatures: number;
  readonly classNames: readonly string[];
  readonly featureNames: readonly string[] | null;
  /** [height, width] when the inputs are grayscale images (drawn in the report). */
  readonly imageShape: readonly [number, number] | null;
  /** Per-feature mean and std fitted on the training part, for tabular data. */
  readonly standardizer: { readonly mean: number[]; readonly std: number[] } | null;
}

/** A loaded data set, split and (for tabular data) standardized. */
export interface LoadedData {
  /** The data set's short name (`csv` for files). */
  readonly name: string;
  readonly train: ClassificationData;
  readonly test: ClassificationData;
  readonly input: InputInfo;
}

/** The built-in data sets with a line on each, for `info` and `--help`. */
export const DATASET_DESCRIPTIONS: Readonly<Record<string, string>> = {
  mnist: 'real handwritten digits 28×28 from the mnist package; seeded 8,000/2,000 split, 10 classes',
  xor: 'the four corners of the unit square, label a XOR b, with noise; 2 classes',
  spirals: 'three interleaved spiral arms (CS231n); 3 classes',
  moons: 'two interleaving half circles; 2 classes',
  circles: 'a circle inside a ring; 2 classes',
  iris: "Fisher's iris flowers, 4 measurements; 150 samples, 3 classes",
  'csv:PATH': 'a CSV file with a header; --target names the class column (default the last)',
  words:
    'English words (an-array-of-english-words, ~275,000) for the character-level language models: --model gpt, rnn, lstm or gru',
};

/** The short name of a data set spec: `csv:/a/b.csv` → `csv`. */
export function datasetName(dataset: string): string {
  return dataset.startsWith('csv:') ? 'csv' : dataset;
}

/**
 * Loads and splits a data set deterministically from its spec. Tabular sets (iris, CSV) are
 * standardized with statistics of the training part, so features in centimetres or dollars
 * train as well as pixels in [0, 1].
 */
export function loadData(spec: DataSpec, command = 'train'): LoadedData {
  const name = datasetName(spec.dataset);
  if (name === 'mnist') {
    const train = spec.trainSize ?? 8000;
    const test = spec.testSize ?? 2000;
    if (train + test > 10000) {
      throw new UsageError(
        `--train-size ${train} + --test-size ${test} exceeds the 10,000 MNIST digits`,
        command,
      );
    }
    const split = loadMnist({ train, test, seed: spec.seed });
    return {
      name,
      ...split,
      input: {
        numFeatures: 784,
        classNames: split.train.classNames ?? [],
        featureNames: null,
        imageShape: [28, 28],
        standardizer: null,
      },
    };
  }
  const synthetic: Record<string, (n: number) => ClassificationData> = {
    xor: (n) => xor({ numSamples: n, seed: spec.seed }),
    spirals: (n) => spirals({ numSamples: n, seed: spec.seed }),
    moons: (n) => moons({ numSamples: n, seed: spec.seed }),
    circles: (n) => circles({ numSamples: n, seed: spec.seed }),
  };
  const make = synthetic[name];
  if (make !== undefined) {
    const train = spec.trainSize ?? 800;
    const test = spec.testSize ?? 200;
    const split = trainTestSplit(make(train + test), { test, seed: spec.seed });
    const classNames = Array.from({ length: split.train.numClasses }, (_, i) => String(i));
    return {
      name,
      ...split,
      input: { numFeatures: 2, classNames, featureNames: ['x', 'y'], imageShape: null, standardizer: null },
    };
  }
  const all = name === 'iris' ? loadIris() : loadCsvData(spec, command);
  return splitTabular(name, all, spec, command);
}

function loadCsvData(spec: DataSpec, command: string): ClassificationData {
  const path = spec.dataset.slice(4);
  if (!existsSync(path)) throw new UsageError(`--dataset csv:${path}: no such file`, command);
  const target =
    spec.target === null ? undefined : /^\d+$/.test(spec.target) ? Number(spec.target) : spec.target;
  let data: ReturnType<typeof loadCsv>;
  try {
    data = loadCsv(path, { target, task: 'classification' });
  } catch (e) {
    throw new UsageError(`--dataset csv:${path}: ${(e as Error).message}`, command);
  }
  if (data.task !== 'classification')
    throw new UsageError(`--dataset csv:${path}: expected class labels`, command);
  return data;
}

function splitTabular(name: string, all: ClassificationData, spec: DataSpec, command: string): LoadedData {
  const test = spec.testSize ?? Math.max(1, Math.round(all.numSamples * 0.2));
  if (test >= all.numSamples) {
    throw new UsageError(`--test-size ${test} leaves no training samples of ${all.numSamples}`, command);
  }
  let { train, test: held } = trainTestSplit(all, { test, seed: spec.seed });
  if (spec.trainSize !== null) {
    if (spec.trainSize > train.numSamples) {
      throw new UsageError(
        `--train-size ${spec.trainSize}: only ${train.numSamples} samples are left for training`,
        command,
      );
    }
    train = trainTestSplit(train, {
      test: train.numSamples - spec.trainSize,
      seed: spec.seed,
      stratify: false,
    }).train;
  }
  const standardizer = Standardizer.fit(train.x, train.numFeatures);
  train = { ...train, x: standardizer.transform(train.x) };
  held = { ...held, x: standardizer.transform(held.x) };
  return {
    name,
    train,
    test: held,
    input: {
      numFeatures: all.numFeatures,
      classNames: all.classNames ?? Array.from({ length: all.numClasses }, (_, i) => String(i)),
      featureNames: all.featureNames ?? null,
      imageShape: null,
      standardizer: standardizer.toJSON(),
    },
  };
}
