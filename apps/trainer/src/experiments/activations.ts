import { SGD } from '@backprop/optim';
import { chartRow } from '../report/html.js';
import { type Bar, barChart, lineChart } from '../report/svg.js';
import { percent } from '../report/training.js';
import { type Experiment, epochsToTarget, fit, mnistSubset, seededMlp } from './common.js';

/** SGD's learning rate (with momentum 0.9) for every variant. */
const LR = 0.02;

/** The notes' activations: the classic two, ReLU, and ReLU's generalisations. */
const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'prelu', 'elu', 'gelu'] as const;
const SIZES = [784, 64, 64, 10];
/** The training loss each run races to. */
const TARGET_LOSS = 0.3;

/**
 * "ReLU converges several times faster than sigmoid": the same network from the same seed,
 * trained on the same batches with each activation; counts the epochs until the training loss
 * falls below a target.
 */
export const activations: Experiment = {
  description: `epochs to reach training loss ${TARGET_LOSS} for sigmoid, tanh, relu, leaky relu, prelu, elu and gelu`,
  async run({ seed, epochs, log }) {
    const maxEpochs = epochs ?? 20;
    const data = mnistSubset(seed, 1500, 500);
    const runs = [];
    for (const activation of ACTIVATIONS) {
      const model = seededMlp(seed, SIZES, activation);
      const optimizer = new SGD(model.parameters(), { lr: LR, momentum: 0.9 });
      const curve = await fit(model, optimizer, data, { epochs: maxEpochs, batchSize: 32, seed });
      const reached = epochsToTarget(curve, TARGET_LOSS);
      log(
        `${activation}: ${reached === null ? `not below ${TARGET_LOSS} in ${maxEpochs} epochs` : `below ${TARGET_LOSS} after ${reached.toFixed(2)} epochs`}, ` +
          `final loss ${curve.trainLoss[maxEpochs].toFixed(4)} (${curve.seconds.toFixed(1)}s)`,
      );
      optimizer.dispose();
      model.dispose();
      runs.push({ activation, reached, curve });
    }
    const byName = Object.fromEntries(runs.map((r) => [r.activation, r]));
    const fastest = runs
      .filter((r) => r.reached !== null)
      .sort((a, b) => (a.reached as number) - (b.reached as number))[0];
    const sigmoid = byName.sigmoid;
    const relu = byName.relu;
    const speedup =
      relu.reached !== null
        ? sigmoid.reached !== null
          ? `ReLU got there ${(sigmoid.reached / relu.reached).toFixed(1)}× faster than sigmoid`
          : `ReLU got there in ${relu.reached.toFixed(2)} epochs; sigmoid did not within ${maxEpochs}`
        : `ReLU did not get there within ${maxEpochs} epochs`;
    return {
      title: 'Activations: epochs to a target loss',
      setup: [
        [
          'data',
          `MNIST, ${data.train.numSamples} training and ${data.test.numSamples} held-out digits (seed ${seed})`,
        ],
        ['model', `MLP ${SIZES.join('-')}, Glorot-initialised with each activation's gain from seed ${seed}`],
        [
          'training',
          `SGD lr ${LR}, momentum 0.9, batch 32, up to ${maxEpochs} epochs, the same batches for every run`,
        ],
        ['target', `training-set cross-entropy ≤ ${TARGET_LOSS}`],
      ],
      tables: [
        {
          title: `Epochs to training loss ≤ ${TARGET_LOSS}`,
          headers: [
            'activation',
            'epochs to target',
            'loss after 1 epoch',
            'final loss',
            'held-out acc',
            'time',
          ],
          rows: runs.map((r) => [
            r.activation,
            r.reached === null ? `> ${maxEpochs}` : r.reached.toFixed(2),
            r.curve.trainLoss[1].toFixed(4),
            r.curve.trainLoss[maxEpochs].toFixed(4),
            percent(r.curve.testAccuracy[maxEpochs]),
            `${r.curve.seconds.toFixed(1)}s`,
          ]),
        },
      ],
      finding: `${speedup}.${fastest ? ` Fastest: ${fastest.activation} (${(fastest.reached as number).toFixed(2)} epochs).` : ''}`,
      sections: [
        {
          title: 'Convergence by activation',
          note: 'Same network, seed and batches; only the activation differs.',
          html: chartRow(
            lineChart({
              title: 'Training loss',
              xLabel: 'epoch',
              yLabel: 'cross-entropy on the training set',
              logY: true,
              series: runs.map((r) => ({
                name: r.activation,
                points: r.curve.trainLoss.map((v, e) => [e, v] as const),
              })),
            }),
            barChart({
              title: `Epochs to loss ≤ ${TARGET_LOSS}`,
              xLabel: 'epochs',
              bars: runs.map(
                (r): Bar => ({
                  label: r.activation,
                  value: r.reached,
                  note: r.reached === null ? `not within ${maxEpochs}` : r.reached.toFixed(2),
                }),
              ),
            }),
            lineChart({
              title: 'Held-out accuracy',
              xLabel: 'epoch',
              yLabel: 'accuracy',
              series: runs.map((r) => ({
                name: r.activation,
                points: r.curve.testAccuracy.map((v, e) => [e, v] as const),
              })),
            }),
          ),
        },
      ],
      data: runs.map((r) => ({
        activation: r.activation,
        epochsToTarget: r.reached,
        trainLoss: r.curve.trainLoss,
        testAccuracy: r.curve.testAccuracy,
      })),
    };
  },
};
