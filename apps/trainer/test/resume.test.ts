import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from '../src/checkpoint/checkpoint.js';
import { resumeCommand } from '../src/commands/resume.js';
import { trainCommand } from '../src/commands/train.js';
import { captureIo, runCli, tempDir } from './helpers.js';

/** Every tensor of two checkpoints (weights and optimizer buffers), compared byte for byte. */
function expectSameTensors(a: string, b: string): void {
  const x = readCheckpoint(a).file.tensors;
  const y = readCheckpoint(b).file.tensors;
  expect([...x.keys()].sort()).toEqual([...y.keys()].sort());
  for (const [name, entry] of x) {
    const other = y.get(name);
    expect(other?.shape, name).toEqual(entry.shape);
    expect(Buffer.compare(Buffer.from(entry.bytes), Buffer.from(other!.bytes)), name).toBe(0);
  }
}

/** What a run's history says, without the timings (which differ from run to run). */
function outcomes(path: string): unknown[] {
  return readCheckpoint(path).meta.history.map(({ seconds, samplesPerSecond, ...rest }) => rest);
}

// A 1,000-digit MNIST subset with shift augmentation: shuffling, augmentation and momentum all
// carry state that a resume must restore exactly.
const SMALL = ['--train-size', '1000', '--test-size', '200', '--hidden', '32', '--augment', '1', '--quiet'];

describe('resume', () => {
  it('2 epochs, stop, resume to 4 gives weights bit-identical to 4 uninterrupted epochs', async () => {
    const dir = tempDir();
    const whole = join(dir, 'whole');
    const split = join(dir, 'split');
    const common = [...SMALL, '--schedule', 'constant'];
    expect(await trainCommand([...common, '--epochs', '4', '--out', whole], captureIo())).toBe(0);
    expect(await trainCommand([...common, '--epochs', '2', '--out', split], captureIo())).toBe(0);
    expect(readCheckpoint(split).meta.progress.epoch).toBe(2);
    const io = captureIo();
    expect(await resumeCommand([split, '--epochs', '4'], io)).toBe(0);
    expect(io.out()).toMatch(/^Resuming MLP 784-32-10 relu .*\n.*\nContinuing after epoch 2 \(step 32\)\n/);
    expect(io.out()).toMatch(/\n3\/4 .*\n4\/4 /);
    expectSameTensors(whole, split);
    expect(outcomes(split)).toEqual(outcomes(whole));
    expect(readCheckpoint(split).meta.progress).toMatchObject({ epoch: 4, step: 64, batchInEpoch: 0 });
  });

  it('refuses to resume a finished run without more epochs', async () => {
    const dir = tempDir();
    expect(
      await trainCommand(['--dataset', 'xor', '--epochs', '1', '--out', dir, '--quiet'], captureIo()),
    ).toBe(0);
    const r = await runCli(['resume', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the run already has 1 epochs \(planned 1\); pass --epochs N with N > 1/);
  });

  it('Ctrl-C saves a checkpoint mid-epoch and exits cleanly; resuming matches the uninterrupted run', async () => {
    const dir = tempDir();
    const whole = join(dir, 'whole');
    const interrupted = join(dir, 'interrupted');
    // Long enough epochs (cosine schedule, the default) that the signal lands inside one.
    const args = ['--train-size', '4000', '--test-size', '200', '--hidden', '64', '--epochs', '3'];
    let signalled = false;
    const [stopped] = await Promise.all([
      runCli(['train', ...args, '--out', interrupted], {
        onStdout: (text, child) => {
          if (!signalled && /\n1\/3 /.test(text)) {
            signalled = true;
            child.kill('SIGINT');
          }
        },
      }),
      trainCommand([...args, '--quiet', '--out', whole], captureIo()),
    ]);
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/Stopping after this batch to save a checkpoint/);
    expect(stopped.stdout).toMatch(
      /Interrupted during epoch [23] after \d+ batches; checkpoint saved\.\nContinue with: backprop-trainer resume /,
    );
    expect(stopped.stdout).not.toMatch(/ {4}at /);
    const progress = readCheckpoint(interrupted).meta.progress;
    expect(progress.epoch).toBeLessThan(3);
    const resumed = await runCli(['resume', interrupted, '--json']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'finished', epoch: 3 });
    expectSameTensors(whole, interrupted);
    expect(outcomes(interrupted)).toEqual(outcomes(whole));
  });
});
