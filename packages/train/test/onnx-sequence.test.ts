import './setup.js';
import { ArgumentError, add, manualSeed, narrow, randint, randn, type Tensor, zeros } from '@backprop/core';
import * as nn from '@backprop/nn';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  type ExportOnnxOptions,
  emitScaledDotProductAttention,
  exportOnnx,
  onnxLayer,
} from '../src/index.js';

/** Every parameter redrawn from N(0, std²), so norms' ones and zeros and attention's zero biases are really exercised. */
function randomize(model: nn.AnyModule, std = 0.5): void {
  for (const p of model.parameters()) p.assign(randn(p.shape, { std }));
}

/**
 * Exports `model` with `sample`, runs `input` (another batch and sequence size) in
 * onnxruntime-node and in backprop; returns the largest difference over every output, after
 * checking the outputs' names and shapes.
 */
async function compare(
  model: nn.AnyModule,
  sample: Tensor,
  input: Tensor,
  options: ExportOnnxOptions = {},
  states: readonly Tensor[] = [],
): Promise<number> {
  model.eval();
  const bytes = await exportOnnx(model, sample, { ...options, initialStates: states.length > 0 });
  // Initial states go in as h0 (an RNN/GRU) or [h0, c0] (an LSTM), as backprop's layers take them.
  const initial = states.length === 0 ? [] : [states.length === 1 ? states[0] : states];
  const ours = model.call(input, ...initial) as Tensor | [Tensor, Tensor | Tensor[]];
  const expected = Array.isArray(ours) ? [ours[0], ...[ours[1]].flat()] : [ours];
  const session = await ort.InferenceSession.create(bytes);
  expect(session.outputNames).toEqual(['output', 'h_n', 'c_n'].slice(0, expected.length));
  const values = await input.data();
  const feed =
    input.dtype === 'int32'
      ? new ort.Tensor('int32', Int32Array.from(values), input.shape)
      : new ort.Tensor('float32', Float32Array.from(values), input.shape);
  const stateFeeds: Record<string, ort.Tensor> = {};
  for (const [i, t] of states.entries())
    stateFeeds[['h0', 'c0'][i]] = new ort.Tensor('float32', Float32Array.from(await t.data()), t.shape);
  expect(session.inputNames).toEqual(['input', ...Object.keys(stateFeeds)]);
  const results = await session.run({ input: feed, ...stateFeeds });
  let max = 0;
  for (const [i, t] of expected.entries()) {
    const theirs = results[session.outputNames[i]];
    expect(theirs.dims).toEqual(t.shape);
    const want = await t.data();
    const got = theirs.data as Float32Array;
    for (let j = 0; j < want.length; j++) max = Math.max(max, Math.abs(want[j] - got[j]));
  }
  return max;
}

describe('exportOnnx of recurrent layers, checked in onnxruntime-node', () => {
  it('a 2-layer LSTM (time-major): output, h_n and c_n for another sequence length and batch', async () => {
    manualSeed(11);
    const lstm = new nn.LSTM(7, 5, { numLayers: 2 });
    // Exported with T = 4, N = 1; run with T = 6, N = 3.
    const diff = await compare(lstm, randn([4, 1, 7]), randn([6, 3, 7], { std: 2 }));
    expect(diff).toBeLessThan(1e-5);
  });

  it('a batch-first GRU (2 layers) and a bias-free ReLU RNN', async () => {
    manualSeed(12);
    const gru = new nn.GRU(7, 5, { numLayers: 2, batchFirst: true });
    expect(await compare(gru, randn([1, 4, 7]), randn([3, 5, 7], { std: 2 }))).toBeLessThan(1e-5);
    const rnn = new nn.RNN(3, 9, { nonlinearity: 'relu', bias: false, batchFirst: true });
    expect(await compare(rnn, randn([1, 2, 3]), randn([5, 3, 3]))).toBeLessThan(1e-5);
  });

  it('initial states as inputs h0 and c0 (initialStates), batched and unbatched', async () => {
    manualSeed(24);
    const lstm = new nn.LSTM(3, 5, { numLayers: 2, batchFirst: true });
    const states = [randn([2, 4, 5]), randn([2, 4, 5])];
    expect(await compare(lstm, randn([1, 2, 3]), randn([4, 6, 3]), {}, states)).toBeLessThan(1e-5);
    const gru = new nn.GRU(3, 4, { numLayers: 3, bias: false });
    expect(await compare(gru, randn([2, 3]), randn([5, 3]), {}, [randn([3, 4])])).toBeLessThan(1e-5);
    await expect(exportOnnx(new nn.Linear(2, 2), randn([1, 2]), { initialStates: true })).rejects.toThrow(
      /initialStates is for a model whose last layer is an RNN, LSTM or GRU, not Linear/,
    );
  });

  it('an unbatched tanh RNN [T, in] and an Embedding feeding a batch-first LSTM', async () => {
    manualSeed(13);
    const rnn = new nn.RNN(4, 3, { numLayers: 3 });
    expect(await compare(rnn, randn([2, 4]), randn([7, 4]))).toBeLessThan(1e-5);
    const model = new nn.Sequential(new nn.Embedding(11, 6), new nn.LSTM(6, 5, { batchFirst: true }));
    expect(await compare(model, randint(0, 11, [1, 3]), randint(0, 11, [4, 5]))).toBeLessThan(1e-5);
  });
});

describe('exportOnnx of GroupNorm and RMSNorm', () => {
  it('GroupNorm over [N, C, H, W] and [N, C, L], with and without affine, in opsets 17 and 18', async () => {
    manualSeed(14);
    const model = new nn.Sequential(new nn.Conv2d(2, 6, 3), new nn.GroupNorm(3, 6), new nn.ReLU());
    randomize(model);
    const x = randn([3, 2, 7, 5], { mean: 1, std: 2 });
    expect(await compare(model, randn([1, 2, 7, 5]), x)).toBeLessThan(1e-5);
    // Opset 18 takes ReduceMean's axes as an input.
    expect(await compare(model, randn([1, 2, 7, 5]), x, { opset: 18 })).toBeLessThan(1e-5);
    const plain = new nn.GroupNorm(2, 4, { affine: false, eps: 1e-3 });
    expect(await compare(plain, randn([1, 4, 5]), randn([3, 4, 5], { std: 3 }))).toBeLessThan(1e-5);
  });

  it('RMSNorm over the last one or two axes', async () => {
    manualSeed(15);
    const model = new nn.Sequential(new nn.Linear(5, 6), new nn.RMSNorm(6), new nn.Unflatten(-1, [2, 3]));
    randomize(model);
    expect(await compare(model, randn([1, 3, 5]), randn([4, 3, 5], { std: 2 }))).toBeLessThan(1e-5);
    const two = new nn.RMSNorm([2, 3], { eps: 1e-2, elementwiseAffine: false });
    expect(await compare(two, randn([1, 2, 3]), randn([5, 2, 3]), { opset: 18 })).toBeLessThan(1e-5);
  });
});

/** A learned positional embedding [T, E] added to token embeddings [N, T, E], as a GPT has. */
class LearnedPositions extends nn.Module {
  weight: nn.Parameter;
  constructor(length: number, dim: number) {
    super();
    this.weight = nn.parameter(zeros([length, dim]));
  }
  forward(x: Tensor): Tensor {
    return add(x, narrow(this.weight, 0, 0, x.shape[1]));
  }
}

/** Causal attention of [N, heads, L, d] to itself through `scaledDotProductAttention`. */
class CausalSelfAttend extends nn.Module {
  forward(x: Tensor): Tensor {
    return nn.scaledDotProductAttention(x, x, x, { isCausal: true, scale: 0.3 });
  }
}

describe('exportOnnx of attention and transformer layers', () => {
  it('MultiheadAttention as the model: self-attention (sequence-first, unbatched) and cross-attention', async () => {
    manualSeed(20);
    /** Exports with `sample`, runs `inputs` in both; the largest difference over output and weights. */
    const check = async (
      mha: nn.MultiheadAttention,
      sample: Tensor | [Tensor, Tensor, Tensor],
      inputs: Tensor[],
    ) => {
      mha.eval();
      const session = await ort.InferenceSession.create(await exportOnnx(mha, sample));
      expect(session.outputNames).toEqual(['output', 'weights']);
      const feed: Record<string, ort.Tensor> = {};
      for (const [i, t] of inputs.entries())
        feed[session.inputNames[i]] = new ort.Tensor('float32', Float32Array.from(await t.data()), t.shape);
      const results = await session.run(feed);
      const [q, k, v] = inputs.length === 1 ? [inputs[0], inputs[0], inputs[0]] : inputs;
      const ours = mha.call(q, k, v) as [Tensor, Tensor];
      let max = 0;
      for (const [i, name] of ['output', 'weights'].entries()) {
        expect(results[name].dims).toEqual(ours[i].shape);
        const want = await ours[i].data();
        const got = results[name].data as Float32Array;
        for (let j = 0; j < want.length; j++) max = Math.max(max, Math.abs(want[j] - got[j]));
      }
      return max;
    };
    const self = new nn.MultiheadAttention(6, 3);
    randomize(self);
    expect(await check(self, randn([4, 1, 6]), [randn([5, 2, 6])])).toBeLessThan(1e-5);
    expect(await check(self, randn([4, 6]), [randn([3, 6])])).toBeLessThan(1e-5);
    const cross = new nn.MultiheadAttention(4, 2, { batchFirst: true, bias: false });
    randomize(cross);
    const sample: [Tensor, Tensor, Tensor] = [randn([1, 3, 4]), randn([1, 5, 4]), randn([1, 5, 4])];
    expect(await check(cross, sample, [randn([2, 3, 4]), randn([2, 7, 4]), randn([2, 7, 4])])).toBeLessThan(
      1e-5,
    );
  });

  it('TransformerEncoderLayer: post-norm ReLU (sequence-first), pre-norm GELU (batch-first), unbatched', async () => {
    manualSeed(16);
    const post = new nn.TransformerEncoderLayer(12, 3, { dimFeedforward: 20, dropout: 0.2 });
    randomize(post);
    // [L, N, E]: exported with L = 5, N = 1, run with N = 3.
    expect(await compare(post, randn([5, 1, 12]), randn([5, 3, 12]))).toBeLessThan(1e-5);
    const pre = new nn.TransformerEncoderLayer(10, 2, {
      dimFeedforward: 7,
      activation: 'gelu',
      batchFirst: true,
      normFirst: true,
    });
    randomize(pre);
    expect(await compare(pre, randn([1, 3, 10]), randn([4, 3, 10]))).toBeLessThan(1e-5);
    expect(await compare(pre, randn([3, 10]), randn([3, 10]))).toBeLessThan(1e-5);
  });

  it('a causal DecoderOnlyBlock runs any sequence length (the mask comes from the scores shape)', async () => {
    manualSeed(17);
    const block = new nn.DecoderOnlyBlock(8, 4, { dimFeedforward: 13 });
    randomize(block);
    expect(await compare(block, randn([1, 3, 8]), randn([2, 6, 8]))).toBeLessThan(1e-5);
  });

  it('scaledDotProductAttention in a module of yours, through onnxLayer', async () => {
    manualSeed(18);
    const attend = onnxLayer(CausalSelfAttend, (_, c) =>
      emitScaledDotProductAttention(
        c,
        c.x,
        c.x,
        c.x,
        { rank: 4, e: c.inShape[3] },
        { isCausal: true, scale: 0.3 },
      ),
    );
    const diff = await compare(new CausalSelfAttend(), randn([1, 2, 5, 3]), randn([3, 2, 5, 3]), {
      layers: [attend],
    });
    expect(diff).toBeLessThan(1e-5);
  });

  it('a small GPT: Embedding, learned positions, 2 DecoderOnlyBlocks, LayerNorm, Linear head', async () => {
    manualSeed(19);
    const [vocab, length, dim] = [17, 7, 12];
    const gpt = new nn.Sequential(
      new nn.Embedding(vocab, dim),
      new LearnedPositions(length, dim),
      new nn.DecoderOnlyBlock(dim, 3),
      new nn.DecoderOnlyBlock(dim, 3),
      new nn.LayerNorm(dim),
      new nn.Linear(dim, vocab),
    );
    randomize(gpt, 0.3);
    const positions = onnxLayer(LearnedPositions, (l, c) =>
      c.g.node('Add', [c.x, c.g.floats('positions', c.values(l.weight), l.weight.shape)]),
    );
    const diff = await compare(gpt, randint(0, vocab, [1, length]), randint(0, vocab, [3, length]), {
      layers: [positions],
    });
    // Measured 2.4e-7.
    expect(diff).toBeLessThan(1e-5);
    // Positions sliced to the input's own length: one export runs prompts shorter than the sample.
    const sliced = onnxLayer(LearnedPositions, (l, c) => {
      const all = c.g.floats('positions', c.values(l.weight), l.weight.shape);
      const length = c.g.node('Shape', [c.x], { start: 1, end: 2 });
      const zero = c.g.int64s('starts', [0]);
      return c.g.node('Add', [c.x, c.g.node('Slice', [all, zero, length, c.g.int64s('axes', [0])])]);
    });
    const shorter = await compare(gpt, randint(0, vocab, [1, length]), randint(0, vocab, [2, 4]), {
      layers: [sliced],
    });
    expect(shorter).toBeLessThan(1e-5);
  });
});

describe('exportOnnx refuses what it cannot express', () => {
  it('names a layer it has no ONNX form for', async () => {
    const model = new nn.Sequential(new nn.Linear(4, 4), new LearnedPositions(2, 4));
    const sample = randn([1, 2, 4]);
    await expect(exportOnnx(model, sample)).rejects.toThrow(ArgumentError);
    await expect(exportOnnx(model, sample)).rejects.toThrow(
      /no ONNX export for LearnedPositions \(supported: /,
    );
    const mha = new nn.Sequential(new nn.MultiheadAttention(4, 2));
    await expect(exportOnnx(mha, sample)).rejects.toThrow(/MultiheadAttention takes query, key and value/);
    await expect(exportOnnx(new nn.Linear(4, 4), [sample, sample, sample])).rejects.toThrow(
      /a \[query, key, value\] sample is for a MultiheadAttention model, not Linear/,
    );
  });

  it('a recurrent layer before others (it returns [output, state])', async () => {
    const model = new nn.Sequential(new nn.LSTM(3, 4), new nn.Linear(4, 2));
    await expect(exportOnnx(model, randn([2, 1, 3]))).rejects.toThrow(
      /LSTM \(layer 0 of 2\) returns \[output, state\], so it must be the model's last layer/,
    );
  });
});
