/**
 * Convolution, pooling, normalisation, recurrent and attention ops and layers against PyTorch
 * (test/fixtures/pytorch-layers.json, written by scripts/generate-fixtures.py): each case's forward
 * values and the gradients of sum(output · upstream) with respect to inputs and parameters.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as core from '@backprop/core';
import { describe, expect, it } from 'vitest';
import {
  BatchNorm2d,
  Conv2d,
  ConvTranspose2d,
  DecoderOnlyBlock,
  GRU,
  GroupNorm,
  LSTM,
  type Module,
  MultiheadAttention,
  RMSNorm,
  RNN,
  scaledDotProductAttention,
  TransformerEncoderLayer,
} from '../src/index.js';
import './setup.js';

interface Fixture {
  shape: number[];
  dtype: string;
  data: (number | boolean)[];
}

const here = fileURLToPath(new URL('.', import.meta.url));
const fixtures = JSON.parse(readFileSync(`${here}fixtures/pytorch-layers.json`, 'utf8'));

function toTensor(f: Fixture, requiresGrad = false): core.Tensor {
  if (f.dtype === 'bool')
    return core.fromArray(Uint8Array.from(f.data as boolean[], Number), f.shape, { dtype: 'bool' });
  return core.fromArray(Float32Array.from(f.data as number[]), f.shape, { requiresGrad });
}

/** A state-dict entry: integer counters (int64 in PyTorch) as int32, the rest as float32. */
function toStateTensor(f: Fixture): core.Tensor {
  if (f.dtype === 'int64')
    return core.fromArray(Int32Array.from(f.data as number[]), f.shape, { dtype: 'int32' });
  return toTensor(f);
}

/** Element-wise |actual − expected| ≤ atol + rtol·|expected|, NaN matching NaN. */
async function expectClose(actual: core.Tensor, expected: Fixture, what: string, atol = 2e-5, rtol = 1e-4) {
  expect(actual.shape, `${what} shape`).toEqual(expected.shape);
  const values = await actual.data();
  const want = expected.data as number[];
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const a = Number(values[i]);
    const e = want[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    const excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (!(excess <= 0)) worst = Math.max(worst, Number.isNaN(excess) ? Number.POSITIVE_INFINITY : excess);
  }
  expect(worst, `${what}: worst excess over the tolerance`).toBe(0);
}

/** The loss sum(outputᵢ · upstreamᵢ). */
function loss(outputs: core.Tensor[], upstream: Fixture[]): core.Tensor {
  return outputs.map((o, i) => core.sum(core.mul(o, toTensor(upstream[i])))).reduce((a, b) => core.add(a, b));
}

describe('functional ops against PyTorch', () => {
  for (const c of fixtures.functional) {
    it(c.name, async () => {
      const inputs = c.inputs.map((f: Fixture | null) => (f ? toTensor(f, true) : null));
      const [x, w, b] = inputs;
      let out: core.Tensor;
      let indices: core.Tensor | undefined;
      switch (c.op) {
        case 'conv2d':
          out = core.conv2d(x, w, b, c.options);
          break;
        case 'conv1d':
          out = core.conv1d(x, w, b, c.options);
          break;
        case 'convTranspose2d':
          out = core.convTranspose2d(x, w, b, c.options);
          break;
        case 'maxPool2d':
          out = core.maxPool2d(x, c.kernelSize, c.options);
          break;
        case 'maxPool2dWithIndices':
          ({ values: out, indices } = core.maxPool2dWithIndices(x, c.kernelSize, c.options));
          break;
        case 'avgPool2d':
          out = core.avgPool2d(x, c.kernelSize, c.options);
          break;
        case 'adaptiveAvgPool2d':
          out = core.adaptiveAvgPool2d(x, c.outputSize);
          break;
        default:
          throw new Error(`unknown op ${c.op}`);
      }
      await expectClose(out, c.output, 'output');
      if (indices) {
        expect(indices.shape).toEqual(c.indices.shape);
        expect(Array.from(await indices.data())).toEqual(c.indices.data);
      }
      loss([out], [c.upstream]).backward();
      for (const [i, t] of inputs.entries())
        if (t) await expectClose(t.grad!, c.grads[i], `grad of input ${i}`);
    });
  }
});

describe('scaledDotProductAttention against PyTorch', () => {
  for (const c of fixtures.attention) {
    it(c.name, async () => {
      const [q, k, v] = c.inputs.map((f: Fixture) => toTensor(f, true));
      const out = scaledDotProductAttention(q, k, v, {
        ...c.options,
        attnMask: c.mask ? toTensor(c.mask) : undefined,
      });
      await expectClose(out, c.output, 'output');
      loss([out], [c.upstream]).backward();
      for (const [i, t] of [q, k, v].entries()) await expectClose(t.grad!, c.grads[i], `grad of input ${i}`);
    });
  }
});

// biome-ignore lint/suspicious/noExplicitAny: each kind takes its own constructor arguments.
const BUILD: Record<string, (args: any[], options: any) => Module<any, any>> = {
  Conv2d: ([i, o, k], opts) => new Conv2d(i, o, k, opts),
  ConvTranspose2d: ([i, o, k], opts) => new ConvTranspose2d(i, o, k, opts),
  BatchNorm2d: ([c], opts) => new BatchNorm2d(c, opts),
  GroupNorm: ([g, c], opts) => new GroupNorm(g, c, opts),
  RMSNorm: ([s], opts) => new RMSNorm(s, opts),
  RNN: ([i, h], opts) => new RNN(i, h, opts),
  LSTM: ([i, h], opts) => new LSTM(i, h, opts),
  GRU: ([i, h], opts) => new GRU(i, h, opts),
  MultiheadAttention: ([e, h], opts) => new MultiheadAttention(e, h, opts),
  TransformerEncoderLayer: ([d, h], opts) => new TransformerEncoderLayer(d, h, opts),
  DecoderOnlyBlock: ([d, h], opts) => new DecoderOnlyBlock(d, h, opts),
};

/** Runs a layer as the fixture's PyTorch lambda did, returning its outputs in the same order. */
function runLayer(
  kind: string,
  // biome-ignore lint/suspicious/noExplicitAny: the layers' call signatures differ.
  m: any,
  inputs: core.Tensor[],
  call: Record<string, Fixture | boolean>,
): core.Tensor[] {
  const masks = Object.fromEntries(
    Object.entries(call).map(([k, v]) => [k, typeof v === 'boolean' ? v : toTensor(v)]),
  );
  switch (kind) {
    case 'RNN':
    case 'GRU':
      return m.call(inputs[0], inputs[1]);
    case 'LSTM': {
      const [out, [h, c]] = m.call(inputs[0], inputs.length > 1 ? [inputs[1], inputs[2]] : undefined);
      return [out, h, c];
    }
    case 'MultiheadAttention': {
      const [q, k = q, v = q] = inputs;
      return m.call(q, k, v, masks);
    }
    case 'TransformerEncoderLayer':
    case 'DecoderOnlyBlock':
      return [m.call(inputs[0], masks)];
    default:
      return [m.call(inputs[0])];
  }
}

/** nn's BatchNorm keeps its buffers under camelCase names (BatchNorm1d's convention); every other name is PyTorch's. */
const BUFFER_NAMES: Record<string, string> = {
  running_mean: 'runningMean',
  running_var: 'runningVar',
  num_batches_tracked: 'numBatchesTracked',
};

function renamed(state: Record<string, Fixture>): Record<string, Fixture> {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [BUFFER_NAMES[k] ?? k, v]));
}

describe('layers against PyTorch (state dicts under PyTorch names)', () => {
  for (const c of fixtures.modules) {
    it(c.name, async () => {
      const m = BUILD[c.kind](c.args, c.options);
      const state = Object.fromEntries(
        Object.entries(renamed(c.state)).map(([k, v]) => [k, toStateTensor(v as Fixture)]),
      );
      expect(Object.keys(m.stateDict()).sort()).toEqual(Object.keys(state).sort());
      m.loadStateDict(state);
      const inputs = c.inputs.map((f: Fixture) => toTensor(f, true));
      const outputs = runLayer(c.kind, m, inputs, c.call);
      for (const [i, o] of outputs.entries()) await expectClose(o, c.outputs[i], `output ${i}`);
      loss(outputs, c.upstream).backward();
      for (const [i, t] of inputs.entries())
        await expectClose(t.grad!, c.inputGrads[i], `grad of input ${i}`);
      const params = Object.fromEntries(m.namedParameters());
      for (const [name, g] of Object.entries(c.paramGrads))
        await expectClose(params[name].grad!, g as Fixture, `grad of ${name}`);
      const after = m.stateDict();
      for (const [name, v] of Object.entries(renamed(c.stateAfter)))
        await expectClose(after[name], v as Fixture, `state ${name} after`);
    });
  }
});
