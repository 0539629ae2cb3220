import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint, restoreModel } from '../src/checkpoint/checkpoint.js';
import { evalCommand } from '../src/commands/eval.js';
import { trainCommand } from '../src/commands/train.js';
import { captureIo, runCli, tempDir } from './helpers.js';

describe('a short LeNet run', () => {
  const out = join(tempDir(), 'run');
  let summary: { status: string; heldOut: { accuracy: number; confusion: number[][] } };
  let printed = '';

  beforeAll(async () => {
    const io = captureIo();
    // Four batches of 32 digits: enough to exercise training, saving and loading, not to learn.
    const args = ['--model', 'lenet', '--train-size', '128', '--test-size', '64', '--epochs', '1'];
    const code = await trainCommand([...args, '--batch-size', '32', '--out', out, '--json'], io);
    expect(code, io.err()).toBe(0);
    summary = JSON.parse(io.out());
    printed = io.out();
  });

  it('finishes and writes the checkpoint and report', () => {
    expect(summary.status).toBe('finished');
    expect(printed).toContain('lenet');
    for (const file of ['checkpoint.safetensors', 'metrics.jsonl', 'report.html'])
      expect(existsSync(join(out, file))).toBe(true);
  });

  it('saves the convolution weights in PyTorch layout and loads them back', () => {
    const checkpoint = readCheckpoint(out);
    expect(checkpoint.meta.model.architecture).toBe('lenet');
    const model = restoreModel(checkpoint);
    const shapes = Object.fromEntries(model.namedParameters().map(([name, p]) => [name, [...p.shape]]));
    expect(shapes['1.weight']).toEqual([16, 1, 5, 5]);
    expect(shapes['2.weight']).toEqual([16]);
    expect(shapes['5.weight']).toEqual([32, 16, 5, 5]);
    expect(shapes['10.weight']).toEqual([120, 800]);
    expect(shapes['14.weight']).toEqual([10, 84]);
    model.dispose();
  });

  it('eval reproduces the held-out accuracy from the checkpoint', async () => {
    const io = captureIo();
    expect(await evalCommand([out, '--json'], io)).toBe(0);
    const result = JSON.parse(io.out());
    expect(result.accuracy).toBe(summary.heldOut.accuracy);
    expect(result.confusion).toEqual(summary.heldOut.confusion);
  });

  it('refuses --model lenet on data without images, and --hidden with it', async () => {
    const bad = await runCli(['train', '--model', 'lenet', '--dataset', 'iris']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--model lenet reads 28×28 images and applies to mnist only, not iris');
    const hidden = await runCli(['train', '--model', 'lenet', '--hidden', '64']);
    expect(hidden.code).toBe(2);
    expect(hidden.stderr).toContain('--hidden shapes an MLP; --model lenet has its own fixed layers');
  });
});
