import { dirname, join } from 'node:path';
import { zeros } from '@backprop/core';
import { exportOnnxFile, saveSafetensorsFile } from '@backprop/train/node';
import { parseArgs, UsageError } from '../args.js';
import { useBackend } from '../backend.js';
import { readCheckpoint, restoreModel } from '../checkpoint/checkpoint.js';
import type { Io } from '../format.js';
import { checkpointArgument } from './eval.js';
import { EXPORT_OPTIONS } from './export-options.js';
import { helpText } from './help.js';

/**
 * `export`: a run's model as an ONNX file (`--onnx`) or as a PyTorch-style safetensors state dict
 * (`--safetensors`), next to its checkpoint unless `--out` says where.
 */
export async function exportCommand(argv: readonly string[], io: Io): Promise<number> {
  const { options, positionals } = parseArgs(argv, EXPORT_OPTIONS, 'export');
  if (options.help) {
    io.stdout.write(helpText('export'));
    return 0;
  }
  const onnx = options.onnx === true;
  const safetensors = options.safetensors === true;
  if (onnx === safetensors)
    throw new UsageError('export needs exactly one of --onnx and --safetensors', 'export');
  const checkpoint = readCheckpoint(checkpointArgument(options, positionals, 'export'));
  await useBackend('cpu');
  const model = restoreModel(checkpoint);
  const out =
    typeof options.out === 'string'
      ? options.out
      : join(dirname(checkpoint.path), onnx ? 'model.onnx' : 'model.safetensors');
  const inputSize = checkpoint.meta.model.inputSize;
  if (onnx) await exportOnnxFile(out, model, zeros([1, inputSize]));
  else await saveSafetensorsFile(out, model.stateDict(), { pytorchNames: true });
  if (options.json)
    io.stdout.write(
      `${JSON.stringify({ checkpoint: checkpoint.path, format: onnx ? 'onnx' : 'safetensors', path: out, inputSize }, null, 2)}\n`,
    );
  else
    io.stdout.write(
      `Wrote ${out}: ${onnx ? `ONNX (opset 17), input 'input' [batch, ${inputSize}], output 'output'` : "safetensors state dict with PyTorch's names"}\n`,
    );
  return 0;
}
