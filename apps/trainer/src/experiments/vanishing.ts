import { dispose } from '@backprop/core';
import { SGD } from '@backprop/optim';
import { chartRow } from '../report/html.js';
import { lineChart } from '../report/svg.js';
import { percent } from '../report/training.js';
import {
  type Curve,
  type Experiment,
  fit,
  gatherBatch,
  layerGradientNorms,
  mnistSubset,
  seededMlp,
  sig,
} from './common.js';

/** SGD's learning rate (with momentum 0.9) for every variant. */
const LR = 0.01;

const ACTIVATIONS = ['sigmoid', 'tanh', 'relu'] as const;
/** 784 → nine hidden layers of 32 → 10: ten Linear layers, deep enough for the effect to be stark. */
const SIZES = [784, ...new Array<number>(9).fill(32), 10];
const PROBE = 256;

/**
 * The notes' vanishing gradients: in a deep stack of saturating activations each layer's
 * backward pass multiplies by σ′ ≤ 1/4, so the gradient reaching the first layers shrinks
 * geometrically; tanh (σ′ ≤ 1) shrinks less, ReLU (σ′ = 1 where active) not by its derivative.
 * Measures ‖∂L/∂W‖ per layer on a fixed batch at initialisation and after every epoch of SGD.
 */
export const vanishing: Experiment = {
  description:
    'per-layer gradient norms of a 10-layer MLP with sigmoid, tanh and ReLU, at init and while training',
  async run({ seed, epochs, log }) {
    const numEpochs = epochs ?? 5;
    const data = mnistSubset(seed, 2000, 500);
    const runs: { activation: string; norms: number[][]; curve: Curve }[] = [];
    for (const activation of ACTIVATIONS) {
      log(`training ${activation}`);
      const model = seededMlp(seed, SIZES, activation);
      const probe = gatherBatch(
        data.train,
        Array.from({ length: PROBE }, (_, i) => i),
      );
      const norms: number[][] = [await layerGradientNorms(model, ...probe)];
      const optimizer = new SGD(model.parameters(), { lr: LR, momentum: 0.9 });
      const curve = await fit(model, optimizer, data, {
        epochs: numEpochs,
        batchSize: 32,
        seed,
        afterEpoch: async (epoch, c) => {
          norms.push(await layerGradientNorms(model, ...probe));
          log(
            `  ${activation} epoch ${epoch}: loss ${c.trainLoss[epoch].toFixed(4)}, layer-1 gradient norm ${sig(norms[epoch][0])}`,
          );
          return false;
        },
      });
      dispose(probe);
      optimizer.dispose();
      model.dispose();
      runs.push({ activation, norms, curve });
    }
    const layers = SIZES.length - 1;
    const last = runs[0].norms.length - 1;
    const ratio = (n: number[]): number => n[0] / n[n.length - 1];
    return {
      title: 'Vanishing gradients: per-layer gradient norms',
      setup: [
        [
          'data',
          `MNIST, ${data.train.numSamples} training and ${data.test.numSamples} held-out digits (seed ${seed})`,
        ],
        [
          'model',
          `MLP ${SIZES.join('-')} (${layers} Linear layers), Glorot-initialised with each activation's gain from the same seed`,
        ],
        ['training', `SGD lr ${LR}, momentum 0.9, batch 32, ${numEpochs} epochs, cross-entropy`],
        ['measured', `‖∂L/∂W‖ of each layer's weight on a fixed batch of ${PROBE} digits`],
      ],
      tables: [
        {
          title: 'Gradient norm per layer (layer 1 is next to the input)',
          headers: [
            'layer',
            ...ACTIVATIONS.map((a) => `${a} init`),
            ...ACTIVATIONS.map((a) => `${a} ep ${last}`),
          ],
          rows: Array.from({ length: layers }, (_, l) => [
            String(l + 1),
            ...runs.map((r) => sig(r.norms[0][l])),
            ...runs.map((r) => sig(r.norms[last][l])),
          ]),
        },
        {
          title: 'Training outcome',
          headers: [
            'activation',
            'layer 1 / layer 10 at init',
            'loss before',
            'loss after',
            'held-out acc',
            'time',
          ],
          rows: runs.map((r) => [
            r.activation,
            sig(ratio(r.norms[0])),
            r.curve.trainLoss[0].toFixed(4),
            r.curve.trainLoss[r.curve.trainLoss.length - 1].toFixed(4),
            percent(r.curve.testAccuracy[r.curve.testAccuracy.length - 1]),
            `${r.curve.seconds.toFixed(1)}s`,
          ]),
        },
      ],
      finding:
        `At initialisation the gradient reaching layer 1 is ${runs.map((r) => `${sig(ratio(r.norms[0]))}× (${r.activation})`).join(', ')} ` +
        `the gradient of layer ${layers}; after ${numEpochs} epochs the training loss is ` +
        `${runs.map((r) => `${r.curve.trainLoss[r.curve.trainLoss.length - 1].toFixed(2)} (${r.activation})`).join(', ')}.`,
      sections: [
        {
          title: 'Gradient norm per layer',
          note: 'Log scale. Solid: at initialisation; dashed: after the last epoch. A falling line towards layer 1 is the vanishing gradient.',
          html: chartRow(
            lineChart({
              title: 'Gradient norm by layer',
              xLabel: 'layer (1 = input side)',
              yLabel: '‖∂L/∂W‖',
              logY: true,
              markers: true,
              series: runs.flatMap((r, i) => [
                {
                  name: `${r.activation} init`,
                  points: r.norms[0].map((v, l) => [l + 1, v] as const),
                  color: COLORS[i],
                },
                {
                  name: `${r.activation} end`,
                  points: r.norms[last].map((v, l) => [l + 1, v] as const),
                  color: COLORS[i],
                  dashed: true,
                },
              ]),
            }),
            lineChart({
              title: 'Layer 1 gradient norm while training',
              xLabel: 'epoch',
              yLabel: '‖∂L/∂W₁‖',
              logY: true,
              markers: true,
              series: runs.map((r, i) => ({
                name: r.activation,
                points: r.norms.map((n, e) => [e, n[0]] as const),
                color: COLORS[i],
              })),
            }),
            lineChart({
              title: 'Training loss',
              xLabel: 'epoch',
              yLabel: 'cross-entropy on the training set',
              markers: true,
              series: runs.map((r, i) => ({
                name: r.activation,
                points: r.curve.trainLoss.map((v, e) => [e, v] as const),
                color: COLORS[i],
              })),
            }),
          ),
        },
      ],
      data: runs.map((r) => ({
        activation: r.activation,
        gradientNorms: r.norms,
        trainLoss: r.curve.trainLoss,
        testAccuracy: r.curve.testAccuracy,
      })),
    };
  },
};

const COLORS = ['#e15759', '#4e79a7', '#59a14f'];
