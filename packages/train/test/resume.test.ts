import './setup.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '@backprop/core';
import { Adam, StepLR } from '@backprop/optim';
import { afterAll, describe, expect, it } from 'vitest';
import {
  accuracyMetric,
  type Callback,
  decodeFitState,
  encodeFitState,
  type FitState,
  fit,
  SaveState,
} from '../src/index.js';
import { loadFitCheckpoint, ModelCheckpoint } from '../src/node/index.js';
import { loaders, loss, mlp, weightsOf } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'backprop-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A run with everything that carries state: dropout, a shuffled loader, Adam and a per-batch schedule. */
async function run(
  epochs: number,
  resume?: FitState,
  options: { checkpointDir?: string; callbacks?: Callback[]; signal?: AbortSignal } = {},
) {
  const model = mlp();
  const { train, validation } = loaders();
  const optimizer = new Adam(model.parameters(), { lr: 0.02 });
  const result = await fit(model, {
    train,
    validation,
    loss,
    optimizer,
    scheduler: new StepLR(optimizer, { stepSize: 5, gamma: 0.8 }),
    schedulerInterval: 'batch',
    epochs,
    metrics: { accuracy: accuracyMetric },
    resume,
    signal: options.signal,
    callbacks: [
      ...(options.checkpointDir
        ? [new ModelCheckpoint({ dir: options.checkpointDir, saveBest: false })]
        : []),
      ...(options.callbacks ?? []),
    ],
  });
  return { ...result, weights: await weightsOf(model) };
}

describe('resume', () => {
  it('2 epochs, then a resume from the checkpoint to 4, equals 4 epochs straight, bit for bit', async () => {
    const straight = await run(4);
    await run(2, undefined, { checkpointDir: dir });
    const resumed = await run(4, loadFitCheckpoint(join(dir, 'last.safetensors')));
    expect(resumed.history).toEqual(straight.history);
    expect(resumed.weights).toEqual(straight.weights);
  });

  it('an abort in the middle of an epoch saves a state that resumes bit for bit (SaveState)', async () => {
    const straight = await run(3);
    // 96 samples in batches of 16: 6 batches an epoch. Save every 2 and stop inside epoch 2.
    const saved: FitState[] = [];
    const abort = new AbortController();
    const stopper: Callback = {
      onBatchEnd: (batch, _logs, ctx) => {
        if (ctx.history.length === 1 && batch === 2) abort.abort();
      },
    };
    const stopped = await run(3, undefined, {
      signal: abort.signal,
      callbacks: [
        stopper,
        new SaveState({ save: (s) => void saved.push(decodeFitState(encodeFitState(s))), everyBatches: 2 }),
      ],
    });
    expect(stopped.stopReason).toBe('aborted');
    expect(stopped.history).toHaveLength(1);
    // Batches 2 and 4 of epoch 1, the epoch's end, batch 2 of epoch 2, then the abort after batch 3.
    expect(saved.map((s) => [s.epoch, s.batchInEpoch, s.step])).toEqual([
      [0, 2, 2],
      [0, 4, 4],
      [1, 0, 6],
      [1, 2, 8],
      [1, 3, 9],
    ]);
    const last = saved[4];
    expect(last.epochSums.seen).toBe(48);
    expect(Object.keys(last.epochSums.metrics)).toEqual(['accuracy']);
    const starts: number[] = [];
    const resumed = await run(3, last, {
      callbacks: [{ onEpochBegin: (_epoch, ctx) => void starts.push(ctx.firstBatch) }],
    });
    // Epoch 2 picks up after its 3 finished batches; epoch 3 starts at the beginning.
    expect(starts).toEqual([3, 0]);
    expect(resumed.history).toEqual(straight.history);
    expect(resumed.weights).toEqual(straight.weights);
    // A state from the middle of epoch 1 resumes as exactly.
    const fromFirst = await run(3, saved[1]);
    expect(fromFirst.weights).toEqual(straight.weights);
  });

  it('refuses a mid-epoch state whose metrics or batch count do not fit the run', async () => {
    const saved: FitState[] = [];
    await run(1, undefined, {
      callbacks: [new SaveState({ save: (s) => void saved.push(s), everyBatches: 3, everyEpoch: false })],
    });
    const mid = saved[0];
    expect(mid.batchInEpoch).toBe(3);
    await expect(run(2, { ...mid, batchInEpoch: 7 })).rejects.toThrow(
      /fit: the resumed state has finished 7 batches of epoch 1; expected an integer from 0 to 6/,
    );
    await expect(run(2, { ...mid, epochSums: { ...mid.epochSums, metrics: {} } })).rejects.toThrow(
      ArgumentError,
    );
    expect(() => new SaveState({ save: () => {}, everyBatches: -1 })).toThrow(
      /SaveState: everyBatches must be a non-negative integer/,
    );
  });
});
