import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zeros } from '@backprop/core';
import { exportOnnx, loadSafetensors } from '@backprop/train';
import { describe, expect, it } from 'vitest';
import { readCheckpoint, restoreModel } from '../src/checkpoint/checkpoint.js';
import { main } from '../src/main.js';
import { captureIo, tempDir } from './helpers.js';

describe('export', () => {
  it("writes a run's model as ONNX and as a PyTorch-style state dict", async () => {
    const run = join(tempDir(), 'run');
    expect(
      await main(['train', '--dataset', 'xor', '--epochs', '1', '--out', run, '--quiet'], captureIo()),
    ).toBe(0);
    const io = captureIo();
    expect(await main(['export', run, '--onnx'], io)).toBe(0);
    const path = join(run, 'model.onnx');
    expect(io.out()).toBe(`Wrote ${path}: ONNX (opset 17), input 'input' [batch, 2], output 'output'\n`);
    // The same bytes as exporting the restored model directly (exportOnnx itself is checked in onnxruntime).
    const model = restoreModel(readCheckpoint(join(run, 'checkpoint.safetensors')));
    expect(new Uint8Array(readFileSync(path))).toEqual(await exportOnnx(model, zeros([1, 2])));

    const out = join(run, 'weights.safetensors');
    expect(await main(['export', run, '--safetensors', '--out', out], captureIo())).toBe(0);
    const { tensors } = loadSafetensors(readFileSync(out), { pytorchNames: true });
    const expected = model.stateDict();
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(expected).sort());
    for (const [k, t] of Object.entries(expected))
      expect(Array.from(await tensors[k].data())).toEqual(Array.from(await t.data()));
  });

  it('needs exactly one format', async () => {
    const io = captureIo();
    expect(await main(['export', 'runs/none'], io)).toBe(2);
    expect(io.err()).toContain('error: export needs exactly one of --onnx and --safetensors');
    expect(existsSync('runs/none')).toBe(false);
  });
});
