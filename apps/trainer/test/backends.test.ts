import { join } from 'node:path';
import { expect, it } from 'vitest';
import { trainCommand } from '../src/commands/train.js';
import { captureIo, tempDir } from './helpers.js';

interface Summary {
  heldOut: { accuracy: number; loss: number };
}

async function trainMnist(backend: string): Promise<Summary> {
  const io = captureIo();
  const args = ['--backend', backend, '--train-size', '2000', '--test-size', '500', '--epochs', '2'];
  const code = await trainCommand([...args, '--out', join(tempDir(), backend), '--json'], io);
  expect(code, io.err()).toBe(0);
  return JSON.parse(io.out());
}

// The same seeded run on both backends: a gpu.js backend computes in float32 too, so the held-out
// figures agree to the digit, and the accuracy is what an MLP reaches on 2,000 digits.
it('trains MNIST on gpujs to the same accuracy as on cpu', async () => {
  const cpu = await trainMnist('cpu');
  const gpujs = await trainMnist('gpujs');
  expect(cpu.heldOut.accuracy).toBeGreaterThan(0.8);
  expect(gpujs.heldOut.accuracy).toBeCloseTo(cpu.heldOut.accuracy, 2);
  expect(gpujs.heldOut.loss).toBeCloseTo(cpu.heldOut.loss, 3);
});
