import { spirals, trainTestSplit } from '@backprop/data';
import { Adam } from '@backprop/optim';
import { chartRow } from '../report/html.js';
import { lineChart } from '../report/svg.js';
import { percent } from '../report/training.js';
import { type Curve, type Experiment, fit, seededMlp } from './common.js';

interface Variant {
  readonly depth: number;
  readonly width: number;
  readonly sizes: number[];
  readonly params: number;
  readonly curve: Curve;
}

/** Parameters of an MLP with these widths: a weight matrix and a bias per layer. */
export function mlpParameters(sizes: readonly number[]): number {
  let n = 0;
  for (let i = 0; i + 1 < sizes.length; i++) n += sizes[i] * sizes[i + 1] + sizes[i + 1];
  return n;
}

/** The width whose `depth` hidden layers come closest to `budget` parameters. */
export function widthForBudget(input: number, output: number, depth: number, budget: number): number {
  let best = 1;
  for (let w = 1; w <= 4096; w++) {
    const sizes = [input, ...new Array<number>(depth).fill(w), output];
    if (
      Math.abs(mlpParameters(sizes) - budget) <
      Math.abs(mlpParameters([input, ...new Array<number>(depth).fill(best), output]) - budget)
    )
      best = w;
  }
  return best;
}

/** Hidden layers of the variants, shallow-wide first; the deepest sets the parameter budget. */
const DEPTHS = [1, 2, 4, 8] as const;
const DEEPEST_WIDTH = 8;

/**
 * The notes' depth versus width: "the deeper the network, the fewer neurons it needs to
 * approximate the target — but the harder it is to optimise". MLPs with 1, 2, 4 and 8 hidden
 * layers and (almost) the same number of parameters, trained alike on three-turn spirals, a
 * problem with many folds that depth carves cheaply.
 */
export const depthWidth: Experiment = {
  description: 'deep-narrow vs shallow-wide MLPs with equal parameter counts on the spirals',
  async run({ seed, epochs, log }) {
    const numEpochs = epochs ?? 120;
    const data = trainTestSplit(spirals({ numSamples: 1000, turns: 3, seed }), { test: 200, seed });
    const input = data.train.numFeatures;
    const output = data.train.numClasses;
    const budget = mlpParameters([
      input,
      ...new Array<number>(DEPTHS[DEPTHS.length - 1]).fill(DEEPEST_WIDTH),
      output,
    ]);
    const runs: Variant[] = [];
    for (const depth of DEPTHS) {
      const width =
        depth === DEPTHS[DEPTHS.length - 1] ? DEEPEST_WIDTH : widthForBudget(input, output, depth, budget);
      const sizes = [input, ...new Array<number>(depth).fill(width), output];
      const model = seededMlp(seed, sizes, 'relu');
      const optimizer = new Adam(model.parameters(), { lr: 0.01 });
      const curve = await fit(model, optimizer, data, { epochs: numEpochs, batchSize: 32, seed });
      const params = mlpParameters(sizes);
      log(
        `${depth} hidden × ${width}: ${params} parameters, final loss ${curve.trainLoss[numEpochs].toFixed(4)}, ` +
          `held-out ${percent(curve.testAccuracy[numEpochs])} (${curve.seconds.toFixed(1)}s)`,
      );
      optimizer.dispose();
      model.dispose();
      runs.push({ depth, width, sizes, params, curve });
    }
    const name = (r: Variant): string => `${r.depth}×${r.width}`;
    const epochTo = (r: Variant, level: number): number | null => {
      const e = r.curve.testAccuracy.findIndex((a) => a >= level);
      return e < 0 ? null : e;
    };
    const accuracy = (r: Variant): number => r.curve.testAccuracy[numEpochs];
    const best = [...runs].sort((a, b) => accuracy(b) - accuracy(a))[0];
    const deepest = runs[runs.length - 1];
    return {
      title: 'Depth versus width at equal parameter count',
      setup: [
        [
          'data',
          `spirals, 3 arms of 3 turns, ${data.train.numSamples} training and ${data.test.numSamples} held-out points (seed ${seed})`,
        ],
        [
          'models',
          `ReLU MLPs with ${DEPTHS.join(', ')} hidden layers, widths chosen for about ${budget} parameters each`,
        ],
        [
          'training',
          `Adam lr 0.01, batch 32, ${numEpochs} epochs, cross-entropy, the same batches for every model`,
        ],
      ],
      tables: [
        {
          title: 'Shallow-wide to deep-narrow',
          headers: [
            'hidden layers × width',
            'shape',
            'parameters',
            'final train loss',
            'held-out acc',
            'epochs to 90%',
            'time',
          ],
          rows: runs.map((r) => [
            name(r),
            r.sizes.join('-'),
            String(r.params),
            r.curve.trainLoss[numEpochs].toFixed(4),
            percent(r.curve.testAccuracy[numEpochs]),
            String(epochTo(r, 0.9) ?? `> ${numEpochs}`),
            `${r.curve.seconds.toFixed(1)}s`,
          ]),
        },
      ],
      finding:
        `With about ${budget} parameters each, the one-hidden-layer net reached ${percent(accuracy(runs[0]))} held-out; ` +
        `the best was ${name(best)} (${best.sizes.join('-')}) with ${percent(accuracy(best))}.` +
        (best === deepest
          ? ''
          : ` The deepest, ${name(deepest)}, reached ${percent(accuracy(deepest))}: past some depth, optimisation gets harder.`),
      sections: [
        {
          title: 'Learning curves',
          note: 'Each line is one shape with (almost) the same parameter count.',
          html: chartRow(
            lineChart({
              title: 'Training loss',
              xLabel: 'epoch',
              yLabel: 'cross-entropy on the training set',
              logY: true,
              series: runs.map((r) => ({
                name: name(r),
                points: r.curve.trainLoss.map((v, e) => [e, v] as const),
              })),
            }),
            lineChart({
              title: 'Held-out accuracy',
              xLabel: 'epoch',
              yLabel: 'accuracy',
              series: runs.map((r) => ({
                name: name(r),
                points: r.curve.testAccuracy.map((v, e) => [e, v] as const),
              })),
            }),
          ),
        },
      ],
      data: runs.map((r) => ({
        depth: r.depth,
        width: r.width,
        parameters: r.params,
        trainLoss: r.curve.trainLoss,
        testAccuracy: r.curve.testAccuracy,
      })),
    };
  },
};
