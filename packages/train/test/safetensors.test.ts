import './setup.js';
import { fromArray, manualSeed } from '@backprop/core';
import { BatchNorm1d, Linear, Sequential } from '@backprop/nn';
import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  decodeSafetensors,
  fromPyTorchName,
  loadSafetensors,
  saveSafetensors,
  toPyTorchName,
} from '../src/index.js';

describe('saveSafetensors / loadSafetensors', () => {
  it("round-trips a state dict with PyTorch's names and dtypes (BatchNorm's counter as I64)", async () => {
    manualSeed(3);
    const model = new Sequential(new Linear(3, 4), new BatchNorm1d(4));
    model
      .call(
        fromArray(
          new Float32Array(6).map((_, i) => i),
          [2, 3],
        ),
      )
      .dispose();
    const bytes = await saveSafetensors(model.stateDict(), { pytorchNames: true, metadata: { note: 'x' } });
    const file = decodeSafetensors(bytes);
    expect(Object.fromEntries([...file.tensors].map(([k, t]) => [k, `${t.dtype}[${t.shape}]`]))).toEqual({
      '0.bias': 'F32[4]',
      '0.weight': 'F32[4,3]',
      '1.bias': 'F32[4]',
      '1.num_batches_tracked': 'I64[]',
      '1.running_mean': 'F32[4]',
      '1.running_var': 'F32[4]',
      '1.weight': 'F32[4]',
    });
    const { tensors, metadata } = loadSafetensors(bytes, { pytorchNames: true });
    expect(metadata).toEqual({ note: 'x' });
    for (const [k, t] of Object.entries(model.stateDict())) {
      expect(tensors[k].dtype).toBe(t.dtype);
      expect(Array.from(await tensors[k].data())).toEqual(Array.from(await t.data()));
    }
    expect(Array.from(await tensors['1.numBatchesTracked'].data())).toEqual([1]);
  });

  it('maps names between the conventions and leaves recurrent weights alone', () => {
    expect(toPyTorchName('layers.0.runningVar')).toBe('layers.0.running_var');
    expect(fromPyTorchName('1.num_batches_tracked')).toBe('1.numBatchesTracked');
    expect(fromPyTorchName('lstm.weight_ih_l0')).toBe('lstm.weight_ih_l0');
  });

  it('refuses a damaged file with CheckpointError and a tensor that is not one with ArgumentError', async () => {
    const bytes = await saveSafetensors({ w: fromArray([1, 2], [2]) });
    expect(() => loadSafetensors(bytes.subarray(0, bytes.length - 1))).toThrow(CheckpointError);
    expect(() => loadSafetensors(bytes.subarray(0, bytes.length - 1))).toThrow(
      /run past the end of the data/,
    );
    await expect(saveSafetensors({ w: [1, 2] as never })).rejects.toThrow(
      "saveSafetensors: 'w' is not a tensor",
    );
  });
});
