/**
 * Memory over a long training run: an nn MLP trained with losses.crossEntropy and optim's SGD and
 * Adam for a few hundred steps must hold the same live tensor count (core `memory().numTensors`)
 * after every step — nothing may leak per step, on the cpu backend and on gpujs where it runs here.
 */
import '@backprop/backend-cpu';
import {
  type Backend,
  fromArray,
  manualSeed,
  memory,
  registerBackend,
  setBackend,
  type Tensor,
  tidy,
} from '@backprop/core';
import { crossEntropy } from '@backprop/losses';
import { Linear, ReLU, Sequential } from '@backprop/nn';
import { Adam, type Optimizer, SGD } from '@backprop/optim';
import { afterAll, describe, expect, it } from 'vitest';
import { expectConstant, loadGpujs } from './memory-helpers.js';

const FEATURES = 20;
const CLASSES = 5;
const BATCH = 16;

/** A fixed synthetic batch: labels from the sign pattern of the features, so the loss can fall. */
function batch(step: number, device: string): { x: Tensor; y: Tensor } {
  const x = new Float32Array(BATCH * FEATURES);
  const y = new Int32Array(BATCH);
  for (let i = 0; i < BATCH; i++) {
    let label = 0;
    for (let j = 0; j < FEATURES; j++) {
      const v = Math.sin(1.7 * (step * BATCH + i) + 0.3 * j);
      x[i * FEATURES + j] = v;
      if (j < CLASSES) label = v > x[i * FEATURES + label] ? j : label;
    }
    y[i] = label;
  }
  return { x: fromArray(x, [BATCH, FEATURES], { device }), y: fromArray(y, [BATCH], { device }) };
}

/**
 * Trains for `steps` steps on `device` and returns the live tensor count after each step, with the
 * first and last losses. The batches are made inside the step's `tidy`, so they are freed with it.
 */
function train(device: string, makeOptimizer: (params: Tensor[]) => Optimizer, steps: number) {
  manualSeed(7);
  const model = new Sequential(
    new Linear(FEATURES, 32),
    new ReLU(),
    new Linear(32, 16),
    new ReLU(),
    new Linear(16, CLASSES),
  );
  model.to(device);
  const optimizer = makeOptimizer(model.parameters());
  const counts: number[] = [];
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const loss = tidy(() => {
      optimizer.zeroGrad();
      const { x, y } = batch(s % 8, device);
      const l = crossEntropy(model.forward(x), y);
      l.backward();
      optimizer.step();
      return l.item();
    });
    losses.push(loss);
    counts.push(memory().numTensors);
  }
  const after = memory().numTensors;
  model.dispose();
  for (const state of optimizer.state.values())
    for (const v of Object.values(state)) if (typeof v !== 'number') v.dispose();
  return { counts, losses, after, afterDispose: memory().numTensors };
}

const OPTIMIZERS: [string, (params: Tensor[]) => Optimizer][] = [
  ['SGD', (params) => new SGD(params, { lr: 0.1 })],
  ['SGD with momentum', (params) => new SGD(params, { lr: 0.05, momentum: 0.9 })],
  ['Adam', (params) => new Adam(params, { lr: 0.01 })],
];

describe('memory: a constant live tensor count over a long training run', () => {
  for (const [name, make] of OPTIMIZERS) {
    it(`cpu, nn MLP + crossEntropy + ${name}, 300 steps`, () => {
      const start = memory().numTensors;
      const { counts, losses, afterDispose } = train('cpu', make, 300);
      expectConstant(counts);
      expect(losses.at(-1)!).toBeLessThan(losses[0]);
      // The model and the optimizer's state were all that stayed alive.
      expect(afterDispose).toBe(start);
    });
  }
});

/**
 * gpujs: runs only where one of @backprop/backend-gpujs's synchronous, in-process modes (webasm,
 * then cpu) starts here; otherwise the test is skipped with the reason each mode gave.
 */
const gpujs = await loadGpujs('gpujs-memory');

describe.skipIf(gpujs.backend === null)(
  `memory on gpujs${gpujs.backend ? ` (${(gpujs.backend as { mode?: string }).mode})` : ` — skipped: ${gpujs.reason}`}`,
  () => {
    afterAll(async () => {
      await setBackend('cpu');
    });
    for (const [name, make] of OPTIMIZERS.filter(([n]) => n !== 'SGD with momentum')) {
      it(`gpujs, nn MLP + crossEntropy + ${name}, 200 steps`, async () => {
        registerBackend('gpujs-memory', () => gpujs.backend as Backend, 0);
        await setBackend('gpujs-memory');
        const start = memory().numTensors;
        const { counts, losses, afterDispose } = train('gpujs-memory', make, 200);
        expectConstant(counts);
        expect(losses.at(-1)!).toBeLessThan(losses[0]);
        expect(afterDispose).toBe(start);
        await setBackend('cpu');
      });
    }
  },
);

if (gpujs.backend === null) console.log(`memory.test: gpujs part skipped: ${gpujs.reason}`);
