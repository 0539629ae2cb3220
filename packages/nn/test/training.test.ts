import { manualSeed, memory, noGrad, oneHot, randn, tensor, tidy } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import './setup.js';
import type { Tensor } from '@backprop/core';
import {
  BatchNorm1d,
  Dropout,
  Embedding,
  F,
  Flatten,
  Linear,
  Maxout,
  Module,
  PReLU,
  Sequential,
} from '../src/index.js';

class Model extends Module<[Tensor], Tensor> {
  embed = new Embedding(10, 4);
  body = new Sequential(
    new Flatten(),
    new Linear(12, 16),
    new BatchNorm1d(16),
    new PReLU({ numParameters: 16 }),
    new Dropout(0.1),
  );
  head = new Maxout(16, 3, 2);
  forward(tokens: Tensor): Tensor {
    return this.head.call(this.body.call(this.embed.call(tokens)));
  }
}

function sgdStep(model: Module<[Tensor], Tensor>, tokens: Tensor, labels: Tensor, lr: number): number {
  return tidy(() => {
    const logits = model.call(tokens);
    const loss = F.logSoftmax(logits).mul(oneHot(labels, 3)).sum(1).mean().neg();
    loss.backward();
    noGrad(() => {
      for (const p of model.parameters()) p.assign(p.sub(p.grad!.mul(lr)));
    });
    return loss.item();
  });
}

describe('training steps', () => {
  it('keep memory().numTensors constant and reduce the loss', () => {
    manualSeed(0);
    const model = new Model();
    const tokens = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
        [0, 1, 2],
        [3, 5, 7],
        [2, 4, 6],
      ],
      { dtype: 'int32' },
    );
    const labels = tensor([0, 1, 2, 0, 1, 2], { dtype: 'int32' });
    const start = memory();
    const losses: number[] = [];
    const counts: number[] = [];
    const bytes: number[] = [];
    for (let step = 0; step < 40; step++) {
      losses.push(sgdStep(model, tokens, labels, 0.2));
      counts.push(memory().numTensors);
      bytes.push(memory().numBytes);
      model.zeroGrad();
      expect(memory().numTensors).toBe(start.numTensors);
      expect(memory().numBytes).toBe(start.numBytes);
    }
    // With gradients alive after backward, one per parameter, every step alike.
    expect(new Set(counts)).toEqual(new Set([start.numTensors + model.parameters().length]));
    expect(new Set(bytes).size).toBe(1);
    expect(losses[39]).toBeLessThan(losses[0] * 0.5);
    model.eval();
    const predicted = tidy(() => Array.from(model.call(tokens).argmax(1).dataSync()));
    expect(predicted).toEqual([0, 1, 2, 0, 1, 2]);
    model.dispose();
    tokens.dispose();
    labels.dispose();
    expect(memory().numTensors).toBe(
      start.numTensors - 2 - model.parameters().length - model.buffers().length,
    );
  });

  it('gradients accumulate across calls until zeroGrad', () => {
    const lin = new Linear(2, 1);
    const x = randn([3, 2]);
    tidy(() => lin.call(x).sum().backward());
    const once = Array.from(lin.weight.grad!.dataSync());
    tidy(() => lin.call(x).sum().backward());
    const twice = Array.from(lin.weight.grad!.dataSync());
    twice.forEach((v, i) => {
      expect(v).toBeCloseTo(2 * once[i], 5);
    });
    lin.zeroGrad();
    expect(lin.weight.grad).toBeNull();
    lin.dispose();
    x.dispose();
  });
});
