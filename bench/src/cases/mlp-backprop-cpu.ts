/**
 * MLP 784-128-10 on MNIST with backprop on the CPU backend: nn.Linear → nn.ReLU → nn.Linear,
 * losses.crossEntropy (softmax cross-entropy from logits and class indices), optim.SGD lr 0.1,
 * batch 64; each step inside `tidy`, so the live tensor count stays constant.
 */
import '@backprop/backend-cpu';
import { argmax, fromArray, noGrad, tidy } from '@backprop/core';
import { crossEntropy } from '@backprop/losses';
import { Linear, ReLU, Sequential } from '@backprop/nn';
import { SGD } from '@backprop/optim';
import { caseArgs, initialWeights, MLP, runCase, trainMlp } from '../common.js';

caseArgs();
await runCase({ case: 'mlp-backprop-cpu', library: 'backprop cpu', benchmark: 'mlp' }, async () => {
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
  const mlp = await trainMlp({
    build: () => {},
    step: (x, y, size) =>
      tidy(() => {
        optimizer.zeroGrad();
        const loss = crossEntropy(model.forward(fromArray(x, [size, MLP.sizes[0]])), fromArray(y, [size]));
        loss.backward();
        optimizer.step();
        return loss.item();
      }),
    predict: (x, rows) =>
      noGrad(() =>
        tidy(() => argmax(model.forward(fromArray(x, [rows, MLP.sizes[0]])), 1).dataSync() as Int32Array),
      ),
  });
  return {
    mlp,
    notes: ['nn.Sequential(Linear, ReLU, Linear) + losses.crossEntropy + optim.SGD, one tidy per step'],
  };
});
