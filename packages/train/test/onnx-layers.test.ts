import './setup.js';
import { manualSeed, randn, type Tensor } from '@backprop/core';
import * as nn from '@backprop/nn';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { type ExportOnnxOptions, exportOnnx } from '../src/index.js';

/** Exports with `sample`, runs `input` in onnxruntime-node and backprop; the largest difference. */
async function compare(model: nn.AnyModule, sample: Tensor, input: Tensor, options: ExportOnnxOptions = {}) {
  model.eval();
  const session = await ort.InferenceSession.create(await exportOnnx(model, sample, options));
  const feed = new ort.Tensor('float32', Float32Array.from(await input.data()), input.shape);
  const theirs = (await session.run({ input: feed })).output;
  const ours = model.call(input) as Tensor;
  expect(theirs.dims).toEqual(ours.shape);
  const want = await ours.data();
  let max = 0;
  for (let i = 0; i < want.length; i++)
    max = Math.max(max, Math.abs(want[i] - (theirs.data as Float32Array)[i]));
  return max;
}

describe('exportOnnx of the remaining layers, checked in onnxruntime-node', () => {
  it('Conv1d (stride, padding, dilation, groups, same) and Maxout/AbsReLU after it', async () => {
    manualSeed(21);
    const model = new nn.Sequential(
      new nn.Conv1d(3, 6, 3, { stride: 2, padding: 1 }),
      new nn.AbsReLU(),
      new nn.Conv1d(6, 4, 4, { padding: 'same', dilation: 2, groups: 2 }),
      new nn.Flatten(),
      new nn.Maxout(4 * 6, 5, 3),
    );
    const diff = await compare(model, randn([1, 3, 11]), randn([4, 3, 11]));
    expect(diff).toBeLessThan(1e-5);
    // Maxout's ReduceMax takes its axes as an input from opset 18.
    expect(await compare(model, randn([1, 3, 11]), randn([2, 3, 11]), { opset: 18 })).toBeLessThan(1e-5);
  });

  it('Conv1d on unbatched [C, L] and Maxout on [N, L, d]', async () => {
    manualSeed(22);
    const conv = new nn.Conv1d(2, 3, 2, { bias: false });
    expect(await compare(conv, randn([2, 7]), randn([2, 7]), { dynamicBatch: false })).toBeLessThan(1e-5);
    const maxout = new nn.Maxout(4, 3, 2);
    expect(await compare(maxout, randn([1, 5, 4]), randn([3, 5, 4]))).toBeLessThan(1e-5);
  });

  it('ConvTranspose2d (stride, padding, output padding, dilation, groups)', async () => {
    manualSeed(23);
    const model = new nn.Sequential(
      new nn.ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }),
      new nn.ReLU(),
      new nn.ConvTranspose2d(6, 2, [2, 3], { dilation: [2, 1], bias: false }),
    );
    const diff = await compare(model, randn([1, 4, 5, 3]), randn([3, 4, 5, 3]));
    expect(diff).toBeLessThan(1e-5);
  });
});
