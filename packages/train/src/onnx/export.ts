import { ArgumentError, dispose, noGrad, type Tensor, tidy } from '@backprop/core';
import { type Module, Sequential } from '@backprop/nn';
import { GraphBuilder } from './graph.js';
import { type EmitContext, emitterFor, supportedLayers } from './layers.js';

// biome-ignore lint/suspicious/noExplicitAny: any module that maps a tensor to a tensor
type AnyModel = Module<any, Tensor>;

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /** The opset to declare (default 17, the lowest the LayerNormalization op needs). */
  readonly opset?: number;
  /** The graph input's and output's names (default `input` and `output`). */
  readonly inputName?: string;
  readonly outputName?: string;
  /** Leave the first axis symbolic (`batch`) so any batch size runs (default true). */
  readonly dynamicBatch?: boolean;
}

/** The layers in the order they run: a Sequential (nested ones too) flattened, or the one layer. */
function layersOf(model: AnyModel): AnyModel[] {
  if (model instanceof Sequential) return [...model].flatMap((m) => layersOf(m as AnyModel));
  return [model];
}

/**
 * Writes `model` as an ONNX model (opset 17, float32) for inference in ONNX Runtime (Node,
 * browser, server) or any ONNX engine, in evaluation mode: BatchNorm uses its running
 * statistics and Dropout is the identity. `sampleInput` (float32, or int32 indices for an
 * Embedding first) fixes the input's shape (the batch axis stays free) and is run once to check
 * each layer. Covers Sequential models (nested too) of Linear, the activations, LayerNorm,
 * BatchNorm1d/2d, Dropout, Flatten/Unflatten, Embedding, Conv2d and the 2-D pools; another layer
 * throws `ArgumentError` naming it. Returns the `.onnx` file's bytes.
 * @example
 * const bytes = await exportOnnx(model, zeros([1, 784]));
 * const session = await ort.InferenceSession.create(bytes);
 */
export async function exportOnnx(
  model: AnyModel,
  sampleInput: Tensor,
  options: ExportOnnxOptions = {},
): Promise<Uint8Array> {
  const { opset = 17, inputName = 'input', outputName = 'output', dynamicBatch = true } = options;
  if (!Number.isInteger(opset) || opset < 17)
    throw new ArgumentError(`exportOnnx: opset must be an integer >= 17, got ${opset}`);
  if (sampleInput === null || typeof sampleInput !== 'object' || !('shape' in sampleInput))
    throw new ArgumentError('exportOnnx: sampleInput must be a tensor of the input shape');
  if (sampleInput.dtype === 'bool')
    throw new ArgumentError('exportOnnx: sampleInput must be float32 (or int32 indices), got bool');
  const layers = layersOf(model);
  const unsupported = layers.filter((l) => emitterFor(l) === undefined).map((l) => l.typeName);
  if (unsupported.length > 0)
    throw new ArgumentError(
      `exportOnnx: no ONNX export for ${[...new Set(unsupported)].join(', ')} (supported: ${supportedLayers().join(', ')})`,
    );
  const values = new Map<Tensor, Float32Array>();
  for (const t of Object.values(model.stateDict())) values.set(t, Float32Array.from(await t.data()));
  const g = new GraphBuilder();
  const wasTraining = model.training;
  model.eval();
  let current = sampleInput;
  let name = inputName;
  try {
    for (const layer of layers) {
      const next = noGrad(() => tidy(() => layer.call(current)));
      const context: EmitContext = {
        g,
        x: name,
        inShape: current.shape,
        outShape: next.shape,
        values: (t) => {
          const v = values.get(t);
          if (v === undefined)
            throw new ArgumentError(
              `exportOnnx: a tensor of ${layer.typeName} is not in the model's state dict`,
            );
          return v;
        },
      };
      name = (emitterFor(layer) as (l: unknown, c: EmitContext) => string)(layer, context);
      // Identity layers (Dropout in eval mode) return their input itself.
      if (current !== sampleInput && current !== next) current.dispose();
      current = next;
    }
  } finally {
    model.train(wasTraining);
  }
  const outShape = current.shape;
  const outDtype = current.dtype;
  if (current !== sampleInput) dispose(current);
  // An identity-only model's output is its input: renameLastOutput then adds an Identity node.
  g.renameLastOutput(name, outputName);
  const batch = (dims: readonly number[]): (number | string)[] =>
    dynamicBatch && dims.length > 0 ? ['batch', ...dims.slice(1)] : [...dims];
  return g.model({
    opset,
    producer: 'backprop',
    input: {
      name: inputName,
      elemType: sampleInput.dtype === 'int32' ? 'int32' : 'float32',
      dims: batch(sampleInput.shape),
    },
    output: { name: outputName, elemType: outDtype === 'int32' ? 'int32' : 'float32', dims: batch(outShape) },
  });
}
