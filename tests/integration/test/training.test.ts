import '@backprop/backend-cpu';
import { manualSeed, noGrad, type Tensor, tidy } from '@backprop/core';
import {
  accuracy,
  type ClassificationData,
  DataLoader,
  loadIris,
  loadMnist,
  spirals,
  standardize,
  toArrayDataset,
  toTensors,
  trainTestSplit,
  xor,
} from '@backprop/data';
import { crossEntropy } from '@backprop/losses';
import { type Module, mlp } from '@backprop/nn';
import { Adam, type Optimizer, SGD } from '@backprop/optim';
import { describe, expect, it } from 'vitest';

// The model stack end to end, from a fixed seed on the CPU backend: the accuracy bars.

function trainEpochs(
  model: Module,
  optimizer: Optimizer,
  data: ClassificationData,
  epochs: number,
  batchSize: number,
): void {
  const loader = new DataLoader(toArrayDataset(data), {
    batchSize,
    shuffle: true,
    seed: 1,
    autoDispose: true,
  });
  model.train();
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const [x, y] of loader) {
      tidy(() => {
        optimizer.zeroGrad();
        crossEntropy(model.call(x as Tensor), y as Tensor).backward();
        optimizer.step();
      });
    }
  }
}

function evaluate(model: Module, data: ClassificationData): number {
  model.eval();
  const { x, y } = toTensors(data);
  const score = tidy(() => noGrad(() => accuracy(model.call(x), y)));
  x.dispose();
  y.dispose();
  return score;
}

describe('training to the accuracy bars', () => {
  it('XOR reaches 100% accuracy', () => {
    manualSeed(0);
    const data = xor({ numSamples: 4, noise: 0, shuffle: false });
    const model = mlp({ sizes: [2, 8, 2], activation: 'tanh' });
    trainEpochs(model, new Adam(model.parameters(), { lr: 0.05 }), data, 300, 4);
    expect(evaluate(model, data)).toBe(1);
  });

  it('3-class spirals reach at least 95% training accuracy', () => {
    manualSeed(0);
    const data = spirals({ numSamples: 300, numClasses: 3, noise: 0.1, seed: 0 });
    const model = mlp({ sizes: [2, 64, 64, 3], activation: 'relu' });
    trainEpochs(model, new Adam(model.parameters(), { lr: 0.01 }), data, 150, 32);
    expect(evaluate(model, data)).toBeGreaterThanOrEqual(0.95);
  });

  it('iris reaches at least 93% held-out accuracy', () => {
    manualSeed(0);
    const split = trainTestSplit(loadIris(), { test: 0.3, seed: 0 });
    const {
      data: [train, test],
    } = standardize(split.train, split.test);
    const model = mlp({ sizes: [4, 16, 3], activation: 'relu' });
    trainEpochs(model, new Adam(model.parameters(), { lr: 0.01 }), train, 100, 16);
    expect(test.numSamples).toBe(45);
    expect(evaluate(model, test)).toBeGreaterThanOrEqual(0.93);
  });

  it('MNIST (8,000/2,000 split) reaches at least 90% held-out accuracy after one epoch', () => {
    manualSeed(0);
    const { train, test } = loadMnist({ train: 8000, test: 2000, seed: 0 });
    const model = mlp({ sizes: [784, 128, 10], activation: 'relu' });
    trainEpochs(model, new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }), train, 1, 64);
    expect(evaluate(model, test)).toBeGreaterThanOrEqual(0.9);
  });
});
