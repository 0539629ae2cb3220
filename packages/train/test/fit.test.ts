import './setup.js';
import { ArgumentError, memory } from '@backprop/core';
import { Adam, SGD, StepLR } from '@backprop/optim';
import { describe, expect, it } from 'vitest';
import { accuracyMetric, type Callback, evaluate, fit, predict } from '../src/index.js';
import { loaders, loss, mlp } from './helpers.js';

describe('fit', () => {
  it('learns separable blobs and returns one history row per epoch with the logs in order', async () => {
    const model = mlp();
    const { train, validation } = loaders();
    const { history, stopReason } = await fit(model, {
      train,
      validation,
      loss,
      optimizer: new Adam(model.parameters(), { lr: 0.05 }),
      epochs: 5,
      metrics: { accuracy: accuracyMetric },
    });
    expect(stopReason).toBeUndefined();
    expect(history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(Object.keys(history[0])).toEqual(['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr']);
    expect(history[4].loss).toBeLessThan(history[0].loss / 2);
    expect(history[4].val_accuracy).toBeGreaterThan(0.9);
    // evaluate gives the last row's validation numbers again (same weights, eval mode, no dropout).
    const again = await evaluate(model, validation, { loss, metrics: { accuracy: accuracyMetric } });
    expect(again.loss).toBeCloseTo(history[4].val_loss, 6);
    expect(again.accuracy).toBe(history[4].val_accuracy);
  });

  it('keeps the live tensor count flat from batch to batch and epoch to epoch', async () => {
    const model = mlp();
    const { train, validation } = loaders();
    const counts: number[] = [];
    const counter: Callback = {
      onBatchEnd: () => {
        counts.push(memory().numTensors);
      },
      onEpochEnd: () => {
        counts.push(memory().numTensors);
      },
    };
    const before = memory().numTensors;
    await fit(model, {
      train,
      validation,
      loss,
      optimizer: new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }),
      epochs: 3,
      metrics: { accuracy: accuracyMetric },
      callbacks: [counter],
    });
    // After the first step the momentum buffers and gradients exist; nothing grows after that.
    expect(new Set(counts.slice(1)).size).toBe(1);
    const grown = memory().numTensors - before;
    // A gradient and a momentum buffer per parameter (4 parameters).
    expect(grown).toBe(8);
  });

  it("steps the scheduler once per epoch by default, after every batch with schedulerInterval 'batch'", async () => {
    for (const interval of ['epoch', 'batch'] as const) {
      const model = mlp();
      const { train } = loaders(); // 6 batches per epoch
      const optimizer = new SGD(model.parameters(), { lr: 0.1 });
      const { history } = await fit(model, {
        train,
        loss,
        optimizer,
        scheduler: new StepLR(optimizer, { stepSize: 1, gamma: 0.5 }),
        schedulerInterval: interval,
        epochs: 3,
      });
      const lrs = history.map((h) => h.lr);
      // The row's lr is the one the epoch's last batch trained with.
      if (interval === 'epoch') expect(lrs).toEqual([0.1, 0.05, 0.025]);
      else
        expect(lrs).toEqual(
          [0.1 * 0.5 ** 5, 0.1 * 0.5 ** 11, 0.1 * 0.5 ** 17].map((v) => expect.closeTo(v, 12)),
        );
    }
  });

  it('stops after the current batch when the signal aborts, keeping only finished epochs', async () => {
    const model = mlp();
    const { train } = loaders();
    const controller = new AbortController();
    const seen: string[] = [];
    const { history, stopReason } = await fit(model, {
      train,
      loss,
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      epochs: 4,
      signal: controller.signal,
      callbacks: [
        {
          onBatchEnd: (b, _logs, f) => {
            seen.push(`${f.history.length + 1}:${b}`);
            if (f.history.length === 1 && b === 2) controller.abort();
          },
          onTrainEnd: () => {
            seen.push('end');
          },
        },
      ],
    });
    expect(stopReason).toBe('aborted');
    expect(history).toHaveLength(1);
    // Aborted in batch 2 of epoch 2: batch 3 never starts.
    expect(seen.slice(-2)).toEqual(['2:2', 'end']);
    const preAborted = await fit(model, {
      train,
      loss,
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      epochs: 4,
      signal: AbortSignal.abort(),
    });
    expect(preAborted).toEqual({ history: [], stopReason: 'aborted' });
  });

  it('predict joins the outputs of every batch, for a loader and for a tensor', async () => {
    const model = mlp();
    const { validation } = loaders();
    const fromLoader = await predict(model, validation);
    const x = validation.dataset as unknown as { tensors: [import('@backprop/core').Tensor] };
    const fromTensor = await predict(model, x.tensors[0], { batchSize: 10 });
    expect(fromLoader.shape).toEqual([48, 3]);
    expect(Array.from(await fromTensor.data())).toEqual(Array.from(await fromLoader.data()));
    fromLoader.dispose();
    fromTensor.dispose();
  });

  it('refuses bad options with ArgumentError naming the option', async () => {
    const model = mlp();
    const { train } = loaders();
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    await expect(fit(model, { train, loss, optimizer, epochs: -1 })).rejects.toThrow(
      /epochs must be a non-negative integer, got -1/,
    );
    await expect(
      fit(model, { train, loss, optimizer, epochs: 1, metrics: { val_x: accuracyMetric } }),
    ).rejects.toThrow(ArgumentError);
    await expect(fit(model, { train: [] as never, loss, optimizer, epochs: 1 })).rejects.toThrow(
      /train must be a DataLoader/,
    );
  });
});
