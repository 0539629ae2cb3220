import './setup.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, fromArray, manualSeed, randint, randn, type Tensor } from '@backprop/core';
import * as nn from '@backprop/nn';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/index.js';
import { exportOnnxFile } from '../src/node/index.js';

/** Runs the exported model in onnxruntime-node; returns the output's values and shape. */
async function runOnnx(
  bytes: Uint8Array,
  input: Tensor,
): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  const values = await input.data();
  const feed =
    input.dtype === 'int32'
      ? new ort.Tensor('int32', Int32Array.from(values), input.shape)
      : new ort.Tensor('float32', Float32Array.from(values), input.shape);
  const out = (await session.run({ input: feed })).output;
  return { data: out.data as Float32Array, dims: out.dims };
}

/** Exports with a batch-1 sample, runs a batch-`n` input in both, returns the largest difference. */
async function compare(model: nn.Sequential, input: Tensor): Promise<number> {
  model.eval();
  const bytes = await exportOnnx(model, input.narrow(0, 0, 1));
  const ours = model.call(input);
  const theirs = await runOnnx(bytes, input);
  expect(theirs.dims).toEqual(ours.shape);
  const expected = await ours.data();
  let max = 0;
  for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(expected[i] - theirs.data[i]));
  return max;
}

describe('exportOnnx, checked in onnxruntime-node', () => {
  it('an MLP with every activation, LayerNorm, BatchNorm1d and Dropout', async () => {
    manualSeed(1);
    const width = 8;
    const activations: nn.Module[] = [
      new nn.ReLU(),
      new nn.Sigmoid(),
      new nn.Tanh(),
      new nn.LeakyReLU(0.1),
      new nn.ELU(0.7),
      new nn.CELU(1.3),
      new nn.SELU(),
      new nn.GELU(),
      new nn.GELU('tanh'),
      new nn.SiLU(),
      new nn.Swish(1.5),
      new nn.Mish(),
      new nn.Softplus(2),
      new nn.LogSigmoid(),
      new nn.Softsign(),
      new nn.Hardtanh(-0.5, 0.5),
      new nn.ReLU6(),
      new nn.Hardsigmoid(),
      new nn.Hardswish(),
      new nn.PReLU({ numParameters: width }),
    ];
    const bn = new nn.BatchNorm1d(width);
    const model = new nn.Sequential(
      new nn.Linear(5, width),
      bn,
      ...activations.flatMap((a) => [a, new nn.Linear(width, width)]),
      new nn.Dropout(0.5),
      new nn.LayerNorm(width),
      new nn.Linear(width, 4),
      new nn.LogSoftmax(-1),
    );
    // Running statistics away from 0 and 1, so BatchNorm's eval form is really exercised.
    model.train();
    for (let i = 0; i < 3; i++) model.call(randn([16, 5], { mean: 2, std: 3 }));
    const diff = await compare(model, randn([6, 5], { std: 2 }));
    // Measured 2.4e-7 (float32 rounding through 40 layers).
    expect(diff).toBeLessThan(1e-5);
  });

  it('a CNN: Conv2d (padding, stride, same, groups), BatchNorm2d, the pools, Flatten, Softmax', async () => {
    manualSeed(2);
    const model = new nn.Sequential(
      new nn.Conv2d(1, 4, 3, { padding: 1 }),
      new nn.BatchNorm2d(4),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
      new nn.Conv2d(4, 8, 3, { padding: 'same', groups: 2, dilation: 2 }),
      new nn.Dropout2d(0.3),
      new nn.AvgPool2d(2, { stride: 1, padding: 1, countIncludePad: false }),
      new nn.Conv2d(8, 8, 3, { stride: 2 }),
      new nn.AdaptiveAvgPool2d(1),
      new nn.Flatten(),
      new nn.Linear(8, 3),
      new nn.Softmax(-1),
    );
    model.train();
    for (let i = 0; i < 2; i++) model.call(randn([4, 1, 12, 12], { mean: 1 }));
    const diff = await compare(model, randn([3, 1, 12, 12]));
    // Measured 3e-8.
    expect(diff).toBeLessThan(1e-6);
  });

  it('an Embedding on int32 indices, then Flatten and Linear', async () => {
    manualSeed(3);
    const model = new nn.Sequential(new nn.Embedding(20, 4), new nn.Flatten(), new nn.Linear(12, 2));
    const diff = await compare(model, randint(0, 20, [5, 3]));
    expect(diff).toBeLessThan(1e-5);
  });

  it('exportOnnxFile writes the same bytes to a file', async () => {
    manualSeed(4);
    const model = new nn.Sequential(new nn.Linear(3, 2), new nn.Tanh());
    const dir = mkdtempSync(join(tmpdir(), 'backprop-onnx-'));
    try {
      const path = join(dir, 'model.onnx');
      await exportOnnxFile(path, model, randn([1, 3]));
      expect(new Uint8Array(readFileSync(path))).toEqual(await exportOnnx(model, randn([1, 3])));
      const session = await ort.InferenceSession.create(path);
      expect(session.inputNames).toEqual(['input']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a layer it has no ONNX form for, naming it', async () => {
    const model = new nn.Sequential(new nn.Linear(2, 2), new nn.MultiheadAttention(2, 1));
    await expect(exportOnnx(model, fromArray([1, 2], [1, 2]))).rejects.toThrow(ArgumentError);
    await expect(exportOnnx(model, fromArray([1, 2], [1, 2]))).rejects.toThrow(
      /no ONNX export for MultiheadAttention \(supported: Linear, ReLU/,
    );
  });
});
