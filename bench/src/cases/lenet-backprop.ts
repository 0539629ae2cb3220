/**
 * LeNet-5 training on MNIST with backprop's cpu backend (src/cnn.ts's network): nn.Conv2d, ReLU,
 * MaxPool2d, Flatten and Linear in a Sequential, losses.crossEntropy, optim.SGD, batch 64, one
 * `tidy` per step, from the shared initial weights over the shared batch order (common.ts's
 * `trainMlp` protocol). `--threads=N` pins the backend's thread count; `--epochs=N` as in cnn.ts.
 */
import { availableParallelism } from 'node:os';
import type { CpuBackend } from '@backprop/backend-cpu';
import { argmax, fromArray, noGrad, setBackend, tidy } from '@backprop/core';
import { ENGINE } from '@backprop/core/backend';
import { crossEntropy } from '@backprop/losses';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@backprop/nn';
import { SGD } from '@backprop/optim';
import { LENET, LENET_INPUT, lenetEpochs, lenetInitialWeights, lenetSamples } from '../cnn.js';
import { caseArgs, cpuThreadsNote, runCase, trainMlp } from '../common.js';

const { values } = caseArgs();
if (values.threads) process.env.BACKPROP_CPU_THREADS = values.threads;
const threads = Number(process.env.BACKPROP_CPU_THREADS || availableParallelism());
const epochs = lenetEpochs();

await runCase(
  {
    case: `lenet-backprop-cpu${values.threads ? `-${values.threads}t` : ''}`,
    library: `backprop cpu (${threads} thread${threads > 1 ? 's' : ''}${process.env.BACKPROP_CPU_THREADS ? '' : ', default'})`,
    benchmark: 'lenet',
  },
  async () => {
    await import('@backprop/backend-cpu');
    await setBackend('cpu');
    const { conv1, conv2, kernel, hidden, classes, feature, image } = LENET;
    const c1 = new Conv2d(1, conv1, kernel, { padding: 2 });
    const c2 = new Conv2d(conv1, conv2, kernel);
    const f1 = new Linear(conv2 * feature * feature, hidden[0]);
    const f2 = new Linear(hidden[0], hidden[1]);
    const f3 = new Linear(hidden[1], classes);
    const model = new Sequential(
      c1,
      new ReLU(),
      new MaxPool2d(2),
      c2,
      new ReLU(),
      new MaxPool2d(2),
      new Flatten(),
      f1,
      new ReLU(),
      f2,
      new ReLU(),
      f3,
    );
    const init = lenetInitialWeights();
    noGrad(() =>
      tidy(() => {
        [c1, c2, f1, f2, f3].forEach((layer, i) => {
          layer.weight.assign(fromArray(init[i].w, init[i].shape));
          layer.bias?.assign(fromArray(init[i].b, [init[i].shape[0]]));
        });
      }),
    );
    const optimizer = new SGD(model.parameters(), { lr: LENET.lr });
    const lenet = await trainMlp(
      {
        build: () => {},
        step: (x, y, size) =>
          tidy(() => {
            optimizer.zeroGrad();
            const loss = crossEntropy(
              model.forward(fromArray(x, [size, 1, image, image])),
              fromArray(y, [size]),
            );
            loss.backward();
            optimizer.step();
            return loss.item();
          }),
        predict: async (x, rows) => {
          const predicted = noGrad(() =>
            tidy(() => argmax(model.forward(fromArray(x, [rows, 1, image, image])), 1)),
          );
          const values = (await predicted.data()) as Int32Array;
          predicted.dispose();
          return values;
        },
      },
      { epochs, batchSize: LENET.batchSize, samples: lenetSamples() },
    );
    const threading = (ENGINE.activeBackend() as CpuBackend).threading;
    return {
      lenet,
      notes: [
        cpuThreadsNote(threading),
        `nn.Sequential(Conv2d, ReLU, MaxPool2d, Conv2d, ReLU, MaxPool2d, Flatten, Linear×3) + losses.crossEntropy + optim.SGD ${LENET.lr}, one tidy per step, input [N, 1, 28, 28] from [N, ${LENET_INPUT}] rows`,
      ],
    };
  },
);
