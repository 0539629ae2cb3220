import '@backprop/backend-cpu';
import {
  getBackend,
  initBackend,
  manualSeed,
  matmul,
  memory,
  randint,
  randn,
  softmaxCrossEntropy,
  type Tensor,
  tidy,
} from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { GPUJS_PRIORITY, type GpujsBackend } from '../src/index.js';

interface Mlp {
  params: Tensor[];
  x: Tensor;
  y: Tensor;
}

/** A 6-16-3 MLP with seeded weights and a seeded batch of 32, on the cpu backend. */
function makeMlp(): Mlp {
  manualSeed(1234);
  const w1 = randn([6, 16], { std: 0.4, requiresGrad: true, device: 'cpu' });
  const b1 = randn([16], { std: 0.1, requiresGrad: true, device: 'cpu' });
  const w2 = randn([16, 3], { std: 0.4, requiresGrad: true, device: 'cpu' });
  const b2 = randn([3], { std: 0.1, requiresGrad: true, device: 'cpu' });
  const x = randn([32, 6], { device: 'cpu' });
  const y = randint(0, 3, [32], { device: 'cpu' });
  return { params: [w1, b1, w2, b2], x, y };
}

/** One SGD step, by hand from core ops; returns the loss before the update. */
function step({ params: [w1, b1, w2, b2], x, y }: Mlp, lr: number): number {
  const loss = tidy(() => {
    const hidden = matmul(x, w1).add(b1).relu();
    const logits = matmul(hidden, w2).add(b2);
    const l = softmaxCrossEntropy(logits, y).mean();
    l.backward();
    return l;
  });
  const value = loss.dataSync()[0];
  loss.dispose();
  for (const p of [w1, b1, w2, b2]) {
    tidy(() => {
      p.assign(p.sub(p.grad!.mul(lr)));
    });
    p.grad!.dispose();
    p.grad = null;
  }
  return value;
}

describe('training an MLP across backends', () => {
  it('registers gpujs below cpu, so cpu stays the default', () => {
    expect(GPUJS_PRIORITY).toBeLessThan(1);
    expect(getBackend()).toBe('cpu');
  });

  it('trains on cpu, moves the parameters to gpujs in place, continues, and matches an all-cpu run', async () => {
    const steps = 12;
    const lr = 0.5;
    const reference = makeMlp();
    const referenceLosses = Array.from({ length: steps }, () => step(reference, lr));

    const mixed = makeMlp();
    const losses = Array.from({ length: steps / 2 }, () => step(mixed, lr));
    await initBackend('gpujs');
    for (const t of [...mixed.params, mixed.x, mixed.y]) t.moveTo('gpujs');
    expect(mixed.params.every((p) => p.device === 'gpujs')).toBe(true);
    const gpujs = mixed.params[0].backend as GpujsBackend;
    const before = memory().backends.gpujs?.numTensors ?? 0;
    for (let i = steps / 2; i < steps; i++) {
      losses.push(step(mixed, lr));
      // A training step holds a constant tensor count on gpujs.
      expect(memory().backends.gpujs.numTensors).toBe(before);
    }

    expect(referenceLosses[steps - 1]).toBeLessThan(referenceLosses[0]);
    for (let i = 0; i < steps; i++) expect(losses[i]).toBeCloseTo(referenceLosses[i], 4);
    for (let k = 0; k < mixed.params.length; k++) {
      const got = await mixed.params[k].data();
      const want = await reference.params[k].data();
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-4);
    }
    // Every kernel of a step is compiled once and reused by the later steps.
    const stats = gpujs.kernelStats();
    expect(stats.hits).toBeGreaterThan(stats.builds);
    console.log(`gpujs mode ${gpujs.mode}: ${stats.builds} kernels compiled, ${stats.hits} cached calls`);
  });
});
