/**
 * Memory over long CNN and transformer training runs (issue #12): a small LeNet-style CNN (Conv2d,
 * MaxPool2d, BatchNorm2d, Flatten, Linear) and a small GPT-style language model (Embedding with
 * learned positions, a causal DecoderOnlyBlock, LayerNorm, Linear) each train for a few hundred
 * Adam steps; the live tensor count (core `memory().numTensors`) must be the same after every
 * step, on the cpu backend and on gpujs where one of its in-process modes starts here.
 */
import '@backprop/backend-cpu';
import {
  add,
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
import {
  BatchNorm2d,
  Conv2d,
  DecoderOnlyBlock,
  Embedding,
  Flatten,
  LayerNorm,
  Linear,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
} from '@backprop/nn';
import { Adam } from '@backprop/optim';
import { afterAll, describe, expect, it } from 'vitest';
import { expectConstant, loadGpujs } from './memory-helpers.js';

const IMAGE = 8;
const CLASSES = 3;
const IMAGES = 8;

/**
 * A fixed batch of 8×8 images, one of three patterns each (a horizontal bar, a vertical bar, a
 * diagonal) at a step-dependent offset, so the CNN has something to learn.
 */
function imageBatch(step: number, device: string): { x: Tensor; y: Tensor } {
  const x = new Float32Array(IMAGES * IMAGE * IMAGE);
  const y = new Int32Array(IMAGES);
  for (let i = 0; i < IMAGES; i++) {
    const label = (i + step) % CLASSES;
    const offset = (i * 3 + step) % IMAGE;
    for (let r = 0; r < IMAGE; r++)
      for (let c = 0; c < IMAGE; c++) {
        const on = label === 0 ? r === offset : label === 1 ? c === offset : (r + offset) % IMAGE === c;
        x[(i * IMAGE + r) * IMAGE + c] = on ? 1 : 0.1 * Math.sin(r * 7 + c * 3 + i);
      }
    y[i] = label;
  }
  return {
    x: fromArray(x, [IMAGES, 1, IMAGE, IMAGE], { device }),
    y: fromArray(y, [IMAGES], { device }),
  };
}

function buildCnn(): Module {
  return new Sequential(
    new Conv2d(1, 4, 3, { padding: 1 }),
    new BatchNorm2d(4),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(4, 6, 3),
    new ReLU(),
    new Flatten(),
    new Linear(6 * 2 * 2, CLASSES),
  );
}

const VOCAB = 7;
const CONTEXT = 6;
const SEQUENCES = 4;
const WIDTH = 16;

/** A character-level GPT in miniature: token and position embeddings, one causal block, a head. */
class TinyGpt extends Module<[Tensor]> {
  tokens = new Embedding(VOCAB, WIDTH);
  positions = new Embedding(CONTEXT, WIDTH);
  block = new DecoderOnlyBlock(WIDTH, 2);
  norm = new LayerNorm(WIDTH);
  head = new Linear(WIDTH, VOCAB);

  forward(indices: Tensor): Tensor {
    const device = indices.device;
    const at = fromArray(
      Int32Array.from({ length: CONTEXT }, (_, i) => i),
      [CONTEXT],
      { device },
    );
    const h = add(this.tokens.call(indices), this.positions.call(at));
    return this.head.call(this.norm.call(this.block.call(h)));
  }
}

/** Sequences of a repeating pattern with a step-dependent phase; targets are the next tokens. */
function tokenBatch(step: number, device: string): { x: Tensor; y: Tensor } {
  const pattern = [0, 1, 2, 3, 4, 5, 6, 3, 1];
  const x = new Int32Array(SEQUENCES * CONTEXT);
  const y = new Int32Array(SEQUENCES * CONTEXT);
  for (let s = 0; s < SEQUENCES; s++)
    for (let t = 0; t < CONTEXT; t++) {
      const at = s * 2 + step + t;
      x[s * CONTEXT + t] = pattern[at % pattern.length];
      y[s * CONTEXT + t] = pattern[(at + 1) % pattern.length];
    }
  return {
    x: fromArray(x, [SEQUENCES, CONTEXT], { device }),
    y: fromArray(y, [SEQUENCES * CONTEXT], { device }),
  };
}

interface Task {
  name: string;
  build: () => Module;
  batch: (step: number, device: string) => { x: Tensor; y: Tensor };
  /** Logits [rows, classes] for the batch's flat targets. */
  logits: (model: Module, x: Tensor) => Tensor;
}

const TASKS: Task[] = [
  {
    name: 'CNN (Conv2d, BatchNorm2d, MaxPool2d, Linear)',
    build: buildCnn,
    batch: imageBatch,
    logits: (model, x) => model.call(x),
  },
  {
    name: 'transformer (Embedding, DecoderOnlyBlock, LayerNorm, Linear)',
    build: () => new TinyGpt(),
    batch: tokenBatch,
    logits: (model, x) => model.call(x).reshape([SEQUENCES * CONTEXT, VOCAB]),
  },
];

/**
 * Trains `task` with Adam for `steps` steps on `device`; the live tensor count after each step, the
 * first and last losses, and the count once the model and the optimizer's state are disposed.
 */
function train(task: Task, device: string, steps: number) {
  manualSeed(11);
  const model = task.build();
  model.to(device);
  model.train();
  const optimizer = new Adam(model.parameters(), { lr: 0.01 });
  const counts: number[] = [];
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const loss = tidy(() => {
      optimizer.zeroGrad();
      const { x, y } = task.batch(s % 6, device);
      const l = crossEntropy(task.logits(model, x), y);
      l.backward();
      optimizer.step();
      return l.item();
    });
    losses.push(loss);
    counts.push(memory().numTensors);
  }
  model.dispose();
  for (const state of optimizer.state.values())
    for (const v of Object.values(state)) if (typeof v !== 'number') v.dispose();
  return { counts, losses, afterDispose: memory().numTensors };
}

/** Mean of the first and of the last `n` losses: training must have lowered it. */
function expectLearned(losses: number[], n = 6): void {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  expect(mean(losses.slice(-n))).toBeLessThan(0.7 * mean(losses.slice(0, n)));
}

describe('memory: a constant live tensor count over CNN and transformer training on cpu', () => {
  for (const task of TASKS) {
    it(`cpu, ${task.name} + Adam, 200 steps`, () => {
      const start = memory().numTensors;
      const { counts, losses, afterDispose } = train(task, 'cpu', 200);
      expectConstant(counts);
      expectLearned(losses);
      // The model and the optimizer's state were all that stayed alive.
      expect(afterDispose).toBe(start);
    });
  }
});

/**
 * gpujs: runs only where one of @backprop/backend-gpujs's synchronous, in-process modes (webasm,
 * then cpu) starts here; otherwise the tests are skipped with the reason each mode gave.
 */
const gpujs = await loadGpujs('gpujs-memory-cnn');

describe.skipIf(gpujs.backend === null)(
  `memory on gpujs${gpujs.backend ? ` (${(gpujs.backend as { mode?: string }).mode})` : ` — skipped: ${gpujs.reason}`}`,
  () => {
    afterAll(async () => {
      await setBackend('cpu');
    });
    for (const task of TASKS) {
      it(`gpujs, ${task.name} + Adam, 200 steps`, async () => {
        registerBackend('gpujs-memory-cnn', () => gpujs.backend as Backend, 0);
        await setBackend('gpujs-memory-cnn');
        const start = memory().numTensors;
        const { counts, losses, afterDispose } = train(task, 'gpujs-memory-cnn', 200);
        expectConstant(counts);
        expectLearned(losses);
        expect(afterDispose).toBe(start);
        await setBackend('cpu');
      });
    }
  },
);

if (gpujs.backend === null) console.log(`memory-cnn-transformer.test: gpujs part skipped: ${gpujs.reason}`);
