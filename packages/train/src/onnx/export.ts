import { ArgumentError, dispose, noGrad, type Tensor, tidy } from '@backprop/core';
import * as nn from '@backprop/nn';
import { attentionModel } from './attention-model.js';
import { GraphBuilder, type ValueSpec } from './graph.js';
import { emitterFor, supportedLayers } from './layers.js';
import type { EmitContext, Emitter, OnnxEmitter } from './ops.js';
import { emitRecurrent, isRecurrent, stateCount } from './recurrent.js';

// biome-ignore lint/suspicious/noExplicitAny: any module that maps a tensor to a tensor
type AnyModel = nn.Module<any, any>;

/** A module class of yours with its ONNX form, made by {@link onnxLayer}. */
export interface OnnxLayerExport {
  readonly layer: abstract new (...args: never[]) => object;
  readonly emit: Emitter;
}

/**
 * Pairs a module class of yours (one tensor in, one out) with the nodes that compute it, for
 * `exportOnnx`'s `layers` option.
 * @example
 * const positions = onnxLayer(LearnedPositions, (l, c) => c.g.node('Add', [c.x, c.g.floats('pos', c.values(l.weight), l.weight.shape)]));
 * await exportOnnx(gpt, sample, { layers: [positions] });
 */
export function onnxLayer<L extends object>(
  layer: abstract new (...args: never[]) => L,
  emit: OnnxEmitter<L>,
): OnnxLayerExport {
  return { layer, emit: emit as Emitter };
}

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /** The opset to declare (default 17, the lowest the LayerNormalization op needs). */
  readonly opset?: number;
  /** The graph input's and output's names (default `input` and `output`). */
  readonly inputName?: string;
  readonly outputName?: string;
  /** Leave the batch axis (and a recurrent model's time axis) symbolic so any size runs (default true). */
  readonly dynamicBatch?: boolean;
  /**
   * For a recurrent model (an RNN, LSTM or GRU last): take the initial states as graph inputs
   * `h0` (and `c0` for an LSTM), [numLayers, N, H], so a stream carries `h_n`/`c_n` from one call
   * to the next (default false: zero initial states).
   */
  readonly initialStates?: boolean;
  /** ONNX forms for module classes of yours ({@link onnxLayer}); they take precedence over the built-in ones. */
  readonly layers?: readonly OnnxLayerExport[];
}

/** The layers in the order they run: a Sequential (nested ones too) flattened, or the one layer. */
function layersOf(model: AnyModel): AnyModel[] {
  if (model instanceof nn.Sequential) return [...model].flatMap((m) => layersOf(m as AnyModel));
  return [model];
}

/** Why a layer has no export, for the error. */
function unsupportedMessage(names: readonly string[]): string {
  const hint = names.includes('MultiheadAttention')
    ? '; MultiheadAttention takes query, key and value: it exports as the whole model, inside TransformerEncoderLayer/DecoderOnlyBlock, or in a module of yours given an onnxLayer'
    : '';
  return `exportOnnx: no ONNX export for ${names.join(', ')} (supported: ${supportedLayers().join(', ')}; RNN, LSTM, GRU last; MultiheadAttention alone)${hint}`;
}

/** The symbolic names of a sequence layer's leading axes (undefined for other layers). */
function sequenceAxes(l: AnyModel, rank: number): string[] | undefined {
  let batchFirst: boolean;
  if (isRecurrent(l)) batchFirst = l.batchFirst;
  else if (l instanceof nn.TransformerEncoderLayer) batchFirst = l.self_attn.batchFirst;
  else return undefined;
  if (rank === 2) return ['sequence'];
  return batchFirst ? ['batch', 'sequence'] : ['sequence', 'batch'];
}

/** `names` up to the first axis where `dims` and `reference` differ in size. */
function sharedAxes(
  names: readonly (string | null)[],
  dims: readonly number[],
  reference: readonly number[],
): (string | null)[] {
  const n = names.findIndex((_, i) => dims[i] !== reference[i]);
  return names.slice(0, n < 0 ? names.length : n);
}

/** `dims` with its leading axes named by `names` (null keeps that size). */
function named(dims: readonly number[], names: readonly (string | null)[]): (number | string)[] {
  return dims.map((d, i) => names[i] ?? d);
}

/** The model's parameters' and buffers' values, read once before emission. */
async function valuesOf(model: AnyModel): Promise<(t: Tensor, layer: AnyModel) => Float32Array> {
  const values = new Map<Tensor, Float32Array>();
  for (const t of Object.values(model.stateDict())) values.set(t, Float32Array.from(await t.data()));
  return (t, layer) => {
    const v = values.get(t);
    if (v === undefined)
      throw new ArgumentError(`exportOnnx: a tensor of ${layer.typeName} is not in the model's state dict`);
    return v;
  };
}

/** A MultiheadAttention model: self-attention on one sample, or cross-attention on [query, key, value]. */
async function exportAttention(
  model: nn.MultiheadAttention,
  sample: Tensor | readonly Tensor[],
  { opset = 17, outputName = 'output', dynamicBatch = true }: ExportOnnxOptions,
): Promise<Uint8Array> {
  const samples = Array.isArray(sample) ? sample : [sample as Tensor];
  if (samples.length !== 1 && samples.length !== 3)
    throw new ArgumentError(
      `exportOnnx: MultiheadAttention takes one sample (self-attention) or [query, key, value], got ${samples.length} tensors`,
    );
  for (const t of samples)
    if (t === null || typeof t !== 'object' || !('shape' in t) || t.dtype !== 'float32')
      throw new ArgumentError('exportOnnx: MultiheadAttention samples must be float32 tensors');
  const values = await valuesOf(model);
  const wasTraining = model.training;
  model.eval();
  try {
    return attentionModel(model, samples, {
      opset,
      dynamic: dynamicBatch,
      outputName,
      values: (t) => values(t, model),
    });
  } finally {
    model.train(wasTraining);
  }
}

/**
 * Writes `model` as an ONNX model (opset 17, float32) for inference in ONNX Runtime (Node,
 * browser, server) or any ONNX engine, in evaluation mode: BatchNorm uses its running
 * statistics and Dropout is the identity. `sampleInput` (float32, or int32 indices for an
 * Embedding first) fixes the input's shape (the batch axis stays free) and is run once to check
 * each layer. Covers Sequential models (nested too) of Linear, the activations (AbsReLU and
 * Maxout too), LayerNorm, BatchNorm1d/2d, GroupNorm, RMSNorm, Dropout, Flatten/Unflatten,
 * Embedding, Conv1d, Conv2d, ConvTranspose2d, the 2-D pools, TransformerEncoderLayer (unmasked)
 * and DecoderOnlyBlock (causal, any sequence length); an RNN, LSTM or GRU
 * as the model or its last layer (outputs `output`, `h_n` and for an LSTM `c_n`, from zero
 * initial states); a MultiheadAttention as the model (self-attention on one sample, or
 * cross-attention on `[query, key, value]`; outputs `output` and head-averaged `weights`); and
 * module classes of yours given in `options.layers`. Another layer throws
 * `ArgumentError` naming it. Returns the `.onnx` file's bytes.
 * @example
 * const bytes = await exportOnnx(model, zeros([1, 784]));
 * const session = await ort.InferenceSession.create(bytes);
 */
export async function exportOnnx(
  model: AnyModel,
  sampleInput: Tensor | readonly [Tensor, Tensor, Tensor],
  options: ExportOnnxOptions = {},
): Promise<Uint8Array> {
  const {
    opset = 17,
    inputName = 'input',
    outputName = 'output',
    dynamicBatch = true,
    initialStates = false,
  } = options;
  if (!Number.isInteger(opset) || opset < 17)
    throw new ArgumentError(`exportOnnx: opset must be an integer >= 17, got ${opset}`);
  if (model instanceof nn.MultiheadAttention) return exportAttention(model, sampleInput, options);
  if (Array.isArray(sampleInput))
    throw new ArgumentError(
      `exportOnnx: a [query, key, value] sample is for a MultiheadAttention model, not ${model.typeName}`,
    );
  if (sampleInput === null || typeof sampleInput !== 'object' || !('shape' in sampleInput))
    throw new ArgumentError('exportOnnx: sampleInput must be a tensor of the input shape');
  if (sampleInput.dtype === 'bool')
    throw new ArgumentError('exportOnnx: sampleInput must be float32 (or int32 indices), got bool');
  const custom = new Map<unknown, Emitter>((options.layers ?? []).map((e) => [e.layer, e.emit]));
  const emitter = (l: AnyModel) => custom.get(l.constructor) ?? emitterFor(l);
  const layers = layersOf(model);
  const unsupported = layers
    .filter((l) => !isRecurrent(l) && emitter(l) === undefined)
    .map((l) => l.typeName);
  if (unsupported.length > 0) throw new ArgumentError(unsupportedMessage([...new Set(unsupported)]));
  const early = layers.findIndex((l, i) => isRecurrent(l) && i < layers.length - 1);
  if (early >= 0)
    throw new ArgumentError(
      `exportOnnx: ${layers[early].typeName} (layer ${early} of ${layers.length}) returns [output, state], so it must be the model's last layer`,
    );
  if (initialStates && !isRecurrent(layers[layers.length - 1]))
    throw new ArgumentError(
      `exportOnnx: initialStates is for a model whose last layer is an RNN, LSTM or GRU, not ${layers[layers.length - 1].typeName}`,
    );
  const values = await valuesOf(model);
  const g = new GraphBuilder();
  const stateInputs: ValueSpec[] = [];
  const wasTraining = model.training;
  model.eval();
  let current = sampleInput;
  let name = inputName;
  const outputs: ValueSpec[] = [];
  const dtypeOf = (t: Tensor) => (t.dtype === 'int32' ? 'int32' : 'float32');
  let inputAxes: readonly (string | null)[] = dynamicBatch ? ['batch'] : [];
  let sequenceSeen = false;
  try {
    for (const layer of layers) {
      const axes = sequenceAxes(layer, current.shape.length);
      if (dynamicBatch && axes !== undefined && !sequenceSeen) {
        // The layers before the first sequence layer keep the leading axes (tokens → embeddings), so
        // the model input's are the same ones.
        sequenceSeen = true;
        inputAxes = sharedAxes(axes, current.shape, sampleInput.shape);
      }
      const next = noGrad(() => tidy(() => layer.call(current)));
      const results: Tensor[] = Array.isArray(next) ? next.flat() : [next];
      const context: EmitContext = {
        g,
        x: name,
        inShape: current.shape,
        outShape: results[0].shape,
        opset,
        values: (t) => values(t, layer),
      };
      if (isRecurrent(layer)) {
        // h_n and c_n are [numLayers, N, H] ([numLayers, H] unbatched), and so are h0 and c0.
        const stateAxes = dynamicBatch && current.shape.length === 3 ? [null, 'batch'] : [];
        if (initialStates)
          for (const [i, n] of ['h0', 'c0'].slice(0, stateCount(layer)).entries())
            stateInputs.push({ name: n, elemType: 'float32', dims: named(results[i + 1].shape, stateAxes) });
        const emitted = emitRecurrent(
          layer,
          context,
          stateInputs.map((v) => v.name),
        );
        const names = [outputName, 'h_n', 'c_n'];
        [emitted.output, ...emitted.states].forEach((v, i) => {
          g.outputAs(v, names[i]);
          const dims = named(results[i].shape, i === 0 ? (dynamicBatch ? (axes ?? []) : []) : stateAxes);
          outputs.push({ name: names[i], elemType: 'float32', dims });
        });
      } else name = (emitter(layer) as (l: unknown, c: EmitContext) => string)(layer, context);
      // Identity layers (Dropout in eval mode) return their input itself.
      if (current !== sampleInput && !results.includes(current)) current.dispose();
      if (isRecurrent(layer)) dispose(results);
      else current = results[0];
    }
  } finally {
    model.train(wasTraining);
  }
  if (outputs.length === 0) {
    // An Identity node names the output (the last value may be the graph input itself).
    g.outputAs(name, outputName);
    const axes = sharedAxes(inputAxes, current.shape, sampleInput.shape);
    outputs.push({ name: outputName, elemType: dtypeOf(current), dims: named(current.shape, axes) });
    if (current !== sampleInput) dispose(current);
  }
  return g.model({
    opset,
    producer: 'backprop',
    inputs: [
      { name: inputName, elemType: dtypeOf(sampleInput), dims: named(sampleInput.shape, inputAxes) },
      ...stateInputs,
    ],
    outputs,
  });
}
