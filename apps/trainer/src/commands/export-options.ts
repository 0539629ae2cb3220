import type { OptionSpec } from '../args.js';

/** The options of `export`. */
export const EXPORT_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'checkpoint',
    kind: 'string',
    placeholder: 'PATH',
    description: 'a run folder or its checkpoint.safetensors (or give it as the first argument)',
  },
  { name: 'onnx', kind: 'flag', description: 'write model.onnx (ONNX opset 17, for ONNX Runtime)' },
  {
    name: 'safetensors',
    kind: 'flag',
    description: "write model.safetensors: the weights alone, with PyTorch's names (load_state_dict)",
  },
  {
    name: 'out',
    kind: 'string',
    placeholder: 'PATH',
    description: 'the file to write (default: model.onnx or model.safetensors in the run folder)',
  },
  { name: 'json', kind: 'flag', description: 'print one JSON document instead of text' },
  { name: 'help', kind: 'flag', description: 'show this help' },
];
