import './setup.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '@backprop/core';
import { SGD } from '@backprop/optim';
import { afterAll, describe, expect, it } from 'vitest';
import {
  accuracyMetric,
  type Callback,
  decodeSafetensors,
  EarlyStopping,
  fit,
  loadSafetensors,
  MetricsLogger,
  ProgressCallback,
} from '../src/index.js';
import { loadFitCheckpoint, ModelCheckpoint } from '../src/node/index.js';
import { loaders, loss, mlp, weightsOf } from './helpers.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'backprop-train-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A callback that replaces the `score` log with a scripted value per epoch (runs before the one under test). */
function scripted(scores: number[]): Callback {
  return {
    onEpochEnd: (epoch, logs) => {
      (logs as Record<string, number>).score = scores[epoch - 1];
    },
  };
}

async function train(epochs: number, callbacks: Callback[]) {
  const model = mlp();
  const { train, validation } = loaders();
  const result = await fit(model, {
    train,
    validation,
    loss,
    optimizer: new SGD(model.parameters(), { lr: 0.05 }),
    epochs,
    metrics: { accuracy: accuracyMetric },
    callbacks,
  });
  return { model, ...result };
}

describe('EarlyStopping', () => {
  it('stops once the monitor has gone `patience` epochs without improving by more than minDelta', async () => {
    const stopper = new EarlyStopping({ monitor: 'score', patience: 2, minDelta: 0.02 });
    // 0.95 and 0.91 are not improvements over 0.9 by more than 0.02: stop after epoch 4.
    const { history, stopReason } = await train(8, [scripted([1, 0.9, 0.95, 0.89, 0.5]), stopper]);
    expect(history).toHaveLength(4);
    expect(stopReason).toBe('early stopping');
    expect([stopper.best, stopper.bestEpoch, stopper.stoppedEpoch]).toEqual([0.9, 2, 4]);
  });

  it("mode 'auto' maximises accuracies, and restoreBestWeights puts the best epoch's weights back", async () => {
    const atBest: Record<string, number[]>[] = [];
    const stopper = new EarlyStopping({ monitor: 'val_acc_scripted', patience: 1, restoreBestWeights: true });
    const recorder: Callback = {
      onEpochEnd: async (epoch, _logs, f) => {
        if (epoch === 2) atBest.push(await weightsOf(f.model as never));
      },
    };
    const script: Callback = {
      onEpochEnd: (epoch, logs) => {
        (logs as Record<string, number>).val_acc_scripted = [0.5, 0.8, 0.7, 0.9][epoch - 1];
      },
    };
    expect(stopper.mode).toBe('max');
    const { model, history } = await train(4, [script, recorder, stopper]);
    expect(history).toHaveLength(3);
    expect(await weightsOf(model)).toEqual(atBest[0]);
  });

  it('names the missing monitor and the logs it has', async () => {
    await expect(train(1, [new EarlyStopping({ monitor: 'nope' })])).rejects.toThrow(
      "EarlyStopping: monitor 'nope' is not in the logs (they have epoch, loss, accuracy, val_loss, val_accuracy, lr)",
    );
    expect(() => new EarlyStopping({ patience: 1.5 })).toThrow(ArgumentError);
  });
});

describe('MetricsLogger', () => {
  it('writes a CSV header and one row per epoch, or one JSON object per line', async () => {
    const csv: string[] = [];
    const jsonl: string[] = [];
    const { history } = await train(2, [
      new MetricsLogger({ format: 'csv', write: (t) => void csv.push(t) }),
      new MetricsLogger({ format: 'jsonl', write: (t) => void jsonl.push(t) }),
    ]);
    const lines = csv.join('').trimEnd().split('\n');
    expect(lines[0]).toBe('epoch,loss,accuracy,val_loss,val_accuracy,lr');
    expect(lines[2].split(',').map(Number)).toEqual(Object.values(history[1]));
    expect(jsonl.map((l) => JSON.parse(l))).toEqual(history);
  });
});

describe('ProgressCallback', () => {
  it('writes plain epoch lines to a stream that is not a terminal', async () => {
    let text = '';
    await train(2, [new ProgressCallback({ stream: { write: (t: string) => (text += t) } })]);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^epoch 2\/2 loss \d\.\d{4} accuracy \d\.\d{4} val_loss \d\.\d{4} val_accuracy \d\.\d{4} lr 0\.0500 \(0:\d\d\)$/,
    );
    expect(text).not.toContain('\r');
  });

  it('draws the bar in place on a terminal and clears it before the epoch line', async () => {
    let text = '';
    await train(1, [
      new ProgressCallback({ stream: { isTTY: true, columns: 100, write: (t: string) => (text += t) } }),
    ]);
    const clear = '\r\x1b[2K';
    const redraws = text.split(clear).slice(1);
    expect(redraws[0]).toMatch(/^epoch 1\/1 █+░* \d\/6 loss \d\.\d{4} \d+ samples\/s ETA/);
    expect(redraws.at(-1)).toMatch(/^epoch 1\/1 loss \d\.\d{4} /);
  });
});

describe('ModelCheckpoint', () => {
  it('writes last every epoch and best when the monitor improves', async () => {
    const dir = tempDir();
    const epochsSeen: number[] = [];
    const spy: Callback = {
      onEpochEnd: () => {
        epochsSeen.push(loadFitCheckpoint(join(dir, 'best.safetensors')).epoch);
      },
    };
    const { history } = await train(4, [
      scripted([3, 1, 2, 0.5]),
      new ModelCheckpoint({ dir, monitor: 'score' }),
      spy,
    ]);
    expect(epochsSeen).toEqual([1, 2, 2, 4]);
    expect(loadFitCheckpoint(join(dir, 'last.safetensors')).history).toEqual(history);
  });

  it('weightsOnly writes a state dict with PyTorch names that loads into the model', async () => {
    const dir = tempDir();
    const { model } = await train(1, [new ModelCheckpoint({ dir, weightsOnly: true, saveBest: false })]);
    const bytes = readFileSync(join(dir, 'last.safetensors'));
    expect([...decodeSafetensors(bytes).tensors.keys()].sort()).toEqual([
      '0.bias',
      '0.weight',
      '3.bias',
      '3.weight',
    ]);
    const { tensors, metadata } = loadSafetensors(bytes, { pytorchNames: true });
    expect(metadata).toEqual({ epoch: '1' });
    const fresh = mlp(5);
    fresh.loadStateDict(tensors);
    expect(await weightsOf(fresh)).toEqual(await weightsOf(model));
  });
});
