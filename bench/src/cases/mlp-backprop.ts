/**
 * MLP 784-128-10 on MNIST with backprop on the backend named by `--backend` (`cpu`, or `gpujs` with
 * the gpu.js mode in `--mode`): nn.Linear → nn.ReLU → nn.Linear, losses.crossEntropy (softmax
 * cross-entropy from logits and class indices), optim.SGD lr 0.1, batch 64; each step inside `tidy`,
 * so the live tensor count stays constant. The same code for every backend: only the active backend
 * (where the model's parameters and every batch are created) differs.
 *
 * `--epochs=N` (default `MLP.epochs`) trains fewer epochs for a backend too slow for the full run;
 * samples/s is then over epochs 2–N, and the report says so. `--batch=N` (default `MLP.batchSize`)
 * sets the batch size (bench/gpu runs 64, 256 and 1024).
 *
 * On gpujs the loss is summed on the device and read once per epoch, so that no read-back sits
 * inside a training step (a GPU would wait for it every step, and webgpu cannot read synchronously);
 * on cpu it is read per step with `item()`, which costs nothing there.
 *
 * `--log-every=N` trains each epoch through @backprop/train's `fit` instead, reading the loss every
 * N batches: the training set is on the backend once, and a DataLoader gathers each batch from it
 * (the same batches, in the same order), as a shuffled loader does. What a library user's
 * training loop costs, `logEvery` included.
 */
import { availableParallelism } from 'node:os';
import type { CpuBackend } from '@backprop/backend-cpu';
import { argmax, fromArray, noGrad, registerBackend, setBackend, type Tensor, tidy } from '@backprop/core';
import { ENGINE } from '@backprop/core/backend';
import { type BatchedDataset, DataLoader, TensorDataset } from '@backprop/data';
import { crossEntropy } from '@backprop/losses';
import { Linear, ReLU, Sequential } from '@backprop/nn';
import { SGD } from '@backprop/optim';
import { fit } from '@backprop/train';
import {
  caseArgs,
  cpuThreadsNote,
  initialWeights,
  MLP,
  type MnistSplit,
  runCase,
  trainMlp,
} from '../common.js';
import { gpujsNotes, loadGpujs } from './gpujs-setup.js';

const { values } = caseArgs();
const backendName = values.backend ?? 'cpu';
const mode = values.mode ?? 'webasm';
const epochs = values.epochs ? Math.max(2, Number(values.epochs)) : MLP.epochs;
const batchSize = values.batch ? Number(values.batch) : MLP.batchSize;
const logEvery = values['log-every'] ? Number(values['log-every']) : null;
const lossPerEpoch = backendName === 'gpujs' && logEvery === null;
// `--threads=N` pins the cpu backend's thread count (through its environment variable, which the
// registered factory reads); without it the backend takes its default, the cores available.
if (values.threads) process.env.BACKPROP_CPU_THREADS = values.threads;
const threads = Number(process.env.BACKPROP_CPU_THREADS || availableParallelism());
const [id, library] =
  backendName === 'gpujs'
    ? [`mlp-gpujs-${mode}`, `backprop gpujs (${mode})`]
    : [
        `mlp-backprop-${backendName}${values.threads ? `-${values.threads}t` : ''}`,
        `backprop ${backendName} (${threads} thread${threads > 1 ? 's' : ''}${process.env.BACKPROP_CPU_THREADS ? '' : ', default'})`,
      ];

await runCase({ case: id, library, benchmark: 'mlp' }, async () => {
  const notes: string[] = [];
  if (backendName === 'cpu') {
    await import('@backprop/backend-cpu');
    await setBackend('cpu');
  } else if (backendName === 'gpujs') {
    const name = `gpujs-${mode}`;
    const backend = await loadGpujs(mode, name);
    registerBackend(name, () => backend, 0);
    await setBackend(name);
    notes.push(...gpujsNotes(mode, backend));
  } else {
    throw new Error(`unknown --backend=${backendName}`);
  }

  // Built on the active backend: parameters, batches and every op of the step live there.
  const layers = initialWeights();
  const l1 = new Linear(MLP.sizes[0], MLP.sizes[1]);
  const l2 = new Linear(MLP.sizes[1], MLP.sizes[2]);
  const model = new Sequential(l1, new ReLU(), l2);
  noGrad(() =>
    tidy(() => {
      [l1, l2].forEach((l, i) => {
        l.weight.assign(fromArray(layers[i].w, [layers[i].outF, layers[i].inF]));
        l.bias?.assign(fromArray(layers[i].b, [layers[i].outF]));
      });
    }),
  );
  const optimizer = new SGD(model.parameters(), { lr: MLP.lr });
  // The epoch's summed loss on the device (lossPerEpoch), and its step count.
  let lossSum: Tensor | null = null;
  let steps = 0;
  let trainSet: TensorDataset | undefined;
  const mlp = await trainMlp(
    {
      build: (split: MnistSplit) => {
        if (logEvery === null) return;
        const n = split.trainY.length;
        trainSet = new TensorDataset(
          fromArray(split.trainX, [n, MLP.sizes[0]]),
          fromArray(split.trainY, [n], { dtype: 'int32' }),
        );
      },
      ...(logEvery !== null
        ? {
            epoch: async (order: Int32Array) => {
              const all = trainSet as TensorDataset;
              // The epoch's batches: positions in its order, mapped to samples of the training set.
              const inOrder: BatchedDataset<Tensor[], Tensor[]> = {
                length: order.length,
                get: (i) => all.get(order[i]),
                getBatch: (positions) => all.getBatch(positions.map((i) => order[i])),
              };
              const { history } = await fit(model, {
                train: new DataLoader(inOrder, { batchSize }),
                loss: (out, target) => crossEntropy(out, target),
                optimizer,
                epochs: 1,
                logEvery,
              });
              return history[0].loss;
            },
          }
        : {}),
      step: (x, y, size) => {
        const loss = tidy(() => {
          optimizer.zeroGrad();
          const loss = crossEntropy(model.forward(fromArray(x, [size, MLP.sizes[0]])), fromArray(y, [size]));
          loss.backward();
          optimizer.step();
          return loss.detach();
        });
        if (!lossPerEpoch) {
          const value = loss.item();
          loss.dispose();
          return value;
        }
        const previous = lossSum;
        lossSum = previous === null ? loss : noGrad(() => tidy(() => previous.add(loss)));
        if (previous !== null) {
          previous.dispose();
          loss.dispose();
        }
        steps++;
        return null;
      },
      ...(lossPerEpoch
        ? {
            endEpoch: async () => {
              const sum = lossSum as Tensor;
              const mean = (await sum.data())[0] / steps;
              sum.dispose();
              lossSum = null;
              steps = 0;
              return mean;
            },
          }
        : {}),
      predict: async (x, rows) => {
        const predicted = noGrad(() =>
          tidy(() => argmax(model.forward(fromArray(x, [rows, MLP.sizes[0]])), 1)),
        );
        const values = (await predicted.data()) as Int32Array;
        predicted.dispose();
        return values;
      },
    },
    { epochs, batchSize },
  );
  if (backendName === 'cpu') {
    const threading = (ENGINE.activeBackend() as CpuBackend).threading;
    notes.push(cpuThreadsNote(threading));
  }
  return {
    mlp,
    notes: [
      ...notes,
      'nn.Sequential(Linear, ReLU, Linear) + losses.crossEntropy + optim.SGD, one tidy per step',
      ...(batchSize !== MLP.batchSize ? [`batch ${batchSize} instead of ${MLP.batchSize}`] : []),
      ...(lossPerEpoch ? ['loss summed on the device, read once per epoch'] : []),
      ...(logEvery !== null
        ? [`each epoch through @backprop/train fit, the loss read every ${logEvery} batch(es) (logEvery)`]
        : []),
      ...(epochs !== MLP.epochs
        ? [
            `${epochs} epochs instead of ${MLP.epochs} (too slow for the full run): samples/s over epochs 2–${epochs}, accuracy and loss after epoch ${epochs}`,
          ]
        : []),
    ],
  };
});
