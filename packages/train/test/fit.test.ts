import './setup.js';
import { ArgumentError, memory, Tensor } from '@backprop/core';
import { Adam, SGD, StepLR } from '@backprop/optim';
import { describe, expect, it, vi } from 'vitest';
import {
  accuracyMetric,
  type Callback,
  evaluate,
  type FitState,
  fit,
  type Logs,
  predict,
} from '../src/index.js';
import { loaders, loss, mlp, weightsOf } from './helpers.js';

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

  describe('logEvery', () => {
    /** Trains 2 epochs of 6 batches, logging every hook and counting the reads of values. */
    async function run(logEvery: number | undefined) {
      const model = mlp();
      const { train } = loaders();
      const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
      const hooks: string[] = [];
      const batchLogs: Logs[] = [];
      const reads = vi.spyOn(Tensor.prototype, 'data');
      const { history } = await fit(model, {
        train,
        loss,
        optimizer,
        scheduler: new StepLR(optimizer, { stepSize: 2, gamma: 0.5 }),
        schedulerInterval: 'batch',
        epochs: 2,
        metrics: { accuracy: accuracyMetric },
        logEvery,
        callbacks: [
          {
            onBatchBegin: (b) => {
              hooks.push(`begin ${b}`);
            },
            onStepEnd: (b) => {
              hooks.push(`step ${b}`);
            },
            onBatchEnd: (b, logs) => {
              hooks.push(`end ${b}`);
              batchLogs.push(logs);
            },
            onEpochEnd: (epoch) => {
              hooks.push(`epoch ${epoch}`);
            },
          },
        ],
      });
      const readCount = reads.mock.calls.length;
      reads.mockRestore();
      return { history, hooks, batchLogs, readCount, weights: await weightsOf(model) };
    }

    it('reads the values once per logEvery batches and gives the same logs, history and weights', async () => {
      const every = await run(undefined);
      const byFour = await run(4);
      // One read per batch (the loss and the metric together), then one per group of four and the rest.
      expect(every.readCount).toBe(12);
      expect(byFour.readCount).toBe(4);
      expect(byFour.history).toEqual(every.history);
      expect(byFour.batchLogs).toEqual(every.batchLogs);
      expect(byFour.weights).toEqual(every.weights);
      // The per-batch schedule steps on time: lr halves every 2 steps.
      expect(every.history.map((h) => h.lr)).toEqual(
        [0.1 * 0.5 ** 2, 0.1 * 0.5 ** 5].map((v) => expect.closeTo(v, 12)),
      );
      const epochHooks = (ends: number[][]) =>
        ends.flatMap((group) => [
          ...group.flatMap((b) => [`begin ${b}`, `step ${b}`]),
          ...group.map((b) => `end ${b}`),
        ]);
      expect(byFour.hooks.slice(0, 19)).toEqual([
        ...epochHooks([
          [0, 1, 2, 3],
          [4, 5],
        ]),
        'epoch 1',
      ]);
      expect(every.hooks.slice(0, 4)).toEqual(['begin 0', 'step 0', 'end 0', 'begin 1']);
    });

    it('resumes bit for bit from a state taken between two reads', async () => {
      const options = (model: ReturnType<typeof mlp>) => {
        const { train } = loaders();
        return {
          train,
          loss,
          optimizer: new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }),
          epochs: 2,
          logEvery: 4,
        };
      };
      const whole = mlp();
      const uninterrupted = await fit(whole, options(whole));
      const first = mlp();
      let saved: FitState | undefined;
      await fit(first, {
        ...options(first),
        callbacks: [
          {
            onStepEnd: async (b, f) => {
              // Batch 1 of epoch 2: its values and batch 0's are not read yet.
              if (f.history.length === 1 && b === 1) {
                saved = await f.state();
                f.stopTraining = true;
              }
            },
          },
        ],
      });
      expect(saved?.batchInEpoch).toBe(2);
      expect(saved?.epochSums.seen).toBe(32);
      const second = mlp(5);
      const resumed = await fit(second, { ...options(second), resume: saved });
      expect(resumed.history).toEqual(uninterrupted.history);
      expect(await weightsOf(second)).toEqual(await weightsOf(whole));
    });

    it('rejects a logEvery that is not a whole number ≥ 1', async () => {
      const model = mlp();
      const { train } = loaders();
      for (const logEvery of [0, 1.5, -2])
        await expect(
          fit(model, {
            train,
            loss,
            optimizer: new SGD(model.parameters(), { lr: 0.1 }),
            epochs: 1,
            logEvery,
          }),
        ).rejects.toThrow(`fit: options.logEvery must be a whole number of batches ≥ 1, got ${logEvery}`);
    });
  });
});
