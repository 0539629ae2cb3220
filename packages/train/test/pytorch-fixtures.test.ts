/**
 * PyTorch → backprop: fixtures/NAME.safetensors are state dicts saved by PyTorch
 * (scripts/pytorch-fixtures.py) for an MLP, a CNN and an LSTM; they load into the same
 * architectures built here (strict names and shapes) and give PyTorch's eval-mode outputs. Each
 * test also writes backprop's state dict and output to fixtures/out/ (git-ignored), which
 * `python3 scripts/pytorch-fixtures.py --check` loads into PyTorch for the reverse direction.
 */
import './setup.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Tensor } from '@backprop/core';
import * as nn from '@backprop/nn';
import { describe, expect, it } from 'vitest';
import { encodeSafetensors, loadSafetensors, saveSafetensors } from '../src/index.js';

const dir = fileURLToPath(new URL('../fixtures/', import.meta.url));

class LSTMOutput extends nn.Module {
  readonly lstm = this.registerModule('lstm', new nn.LSTM(3, 5, { numLayers: 2, batchFirst: true }));

  forward(x: Tensor): Tensor {
    return this.lstm.call(x)[0];
  }
}

const models: Record<string, () => nn.Module> = {
  mlp: () =>
    new nn.Sequential(new nn.Linear(4, 8), new nn.BatchNorm1d(8), new nn.Tanh(), new nn.Linear(8, 3)),
  cnn: () =>
    new nn.Sequential(
      new nn.Conv2d(1, 4, 3, { padding: 1 }),
      new nn.BatchNorm2d(4),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
      new nn.Flatten(),
      new nn.Linear(64, 3),
    ),
  lstm: () => new LSTMOutput(),
};

describe('PyTorch state dicts', () => {
  for (const [name, build] of Object.entries(models)) {
    it(`${name}: PyTorch's weights load into backprop and give PyTorch's outputs`, async () => {
      const model = build();
      const { tensors } = loadSafetensors(readFileSync(`${dir}${name}.safetensors`), { pytorchNames: true });
      model.loadStateDict(tensors); // strict: every name and shape must match
      model.eval();
      const io = loadSafetensors(readFileSync(`${dir}${name}.io.safetensors`)).tensors;
      const output = model.call(io.input);
      expect(output.shape).toEqual(io.output.shape);
      const ours = await output.data();
      const theirs = await io.output.data();
      let max = 0;
      for (let i = 0; i < ours.length; i++) max = Math.max(max, Math.abs(ours[i] - theirs[i]));
      // Measured: mlp 4.5e-8, cnn 1.9e-8, lstm 4.5e-8.
      expect(max).toBeLessThan(1e-6);
      // For the reverse check: backprop's state dict with PyTorch's names, and backprop's output.
      mkdirSync(`${dir}out`, { recursive: true });
      writeFileSync(
        `${dir}out/${name}.safetensors`,
        await saveSafetensors(model.stateDict(), { pytorchNames: true }),
      );
      writeFileSync(
        `${dir}out/${name}.io.safetensors`,
        encodeSafetensors({
          input: { shape: io.input.shape, data: Float32Array.from(await io.input.data()) },
          output: { shape: output.shape, data: Float32Array.from(ours) },
        }),
      );
    });
  }
});
