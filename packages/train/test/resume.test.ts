import './setup.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Adam, StepLR } from '@backprop/optim';
import { afterAll, describe, expect, it } from 'vitest';
import { accuracyMetric, type FitState, fit } from '../src/index.js';
import { loadFitCheckpoint, ModelCheckpoint } from '../src/node/index.js';
import { loaders, loss, mlp, weightsOf } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'backprop-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A run with everything that carries state: dropout, a shuffled loader, Adam and a per-batch schedule. */
async function run(epochs: number, resume?: FitState, checkpointDir?: string) {
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
    callbacks: checkpointDir ? [new ModelCheckpoint({ dir: checkpointDir, saveBest: false })] : [],
  });
  return { history: result.history, weights: await weightsOf(model) };
}

describe('resume', () => {
  it('2 epochs, then a resume from the checkpoint to 4, equals 4 epochs straight, bit for bit', async () => {
    const straight = await run(4);
    await run(2, undefined, dir);
    const resumed = await run(4, loadFitCheckpoint(join(dir, 'last.safetensors')));
    expect(resumed.history).toEqual(straight.history);
    expect(resumed.weights).toEqual(straight.weights);
  });
});
