/**
 * The emitters' shared vocabulary: what an emitter is handed, and the few node patterns several
 * layers use (a Linear's MatMul + Add, LayerNormalization, a mean over axes in any opset).
 */
import type { Tensor } from '@backprop/core';
import type { GraphBuilder } from './graph.js';

/** What an emitter knows: the graph, the layer's input value and the shapes the sample run saw. */
export interface EmitContext {
  readonly g: GraphBuilder;
  /** The name of the layer's input value. */
  readonly x: string;
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  /** The opset the model declares (ops whose form changed, such as ReduceMean's axes, follow it). */
  readonly opset: number;
  /** A parameter's or buffer's values (read before emission). */
  values(t: Tensor): Float32Array;
}

/**
 * A layer's ONNX form: the nodes computing it from `c.x`, returning the output value's name.
 * Pass your own in `exportOnnx`'s `layers` option for a module of yours.
 */
export type OnnxEmitter<L> = (layer: L, c: EmitContext) => string;

/** Any layer's emitter, as the tables hold them. */
export type Emitter = (layer: never, c: EmitContext) => string;

/** A float32 scalar constant. */
export function scalar(c: EmitContext, name: string, v: number): string {
  return c.g.floats(name, [v], []);
}

/** x·Wᵀ + b for a PyTorch-layout weight [out, in]: MatMul against the transposed weight works for any rank (Gemm only takes 2-D). */
export function linear(c: EmitContext, x: string, weight: Tensor, bias: Tensor | null): string {
  const [out, inp] = weight.shape;
  return linearOf(c, x, c.values(weight), [out, inp], bias === null ? null : c.values(bias));
}

/** `linear` from the values themselves (a slice of a packed weight such as `in_proj_weight`). */
export function linearOf(
  c: EmitContext,
  x: string,
  w: Float32Array,
  [out, inp]: readonly [number, number],
  bias: Float32Array | null,
): string {
  const wt = new Float32Array(w.length);
  for (let i = 0; i < out; i++) for (let j = 0; j < inp; j++) wt[j * out + i] = w[i * inp + j];
  const y = c.g.node('MatMul', [x, c.g.floats('weight_t', wt, [inp, out])]);
  return bias === null ? y : c.g.node('Add', [y, c.g.floats('bias', bias, [out])]);
}

/** LayerNormalization over the trailing `shape` dims; an absent weight is ones and an absent bias zeros. */
export function layerNorm(
  c: EmitContext,
  x: string,
  shape: readonly number[],
  weight: Tensor | null,
  bias: Tensor | null,
  eps: number,
): string {
  const size = shape.reduce((a, b) => a * b, 1);
  const scale =
    weight === null
      ? c.g.floats('scale', new Float32Array(size).fill(1), shape)
      : c.g.floats('scale', c.values(weight), weight.shape);
  const shift =
    bias === null
      ? c.g.floats('bias', new Float32Array(size), shape)
      : c.g.floats('bias', c.values(bias), bias.shape);
  return c.g.node('LayerNormalization', [x, scale, shift], { axis: -shape.length, epsilon: eps });
}

/** The mean over `axes` (kept as size-1 dims unless `keepDims` is false): an attribute up to opset 17, an input from 18 on. */
export function reduceMean(c: EmitContext, x: string, axes: readonly number[], keepDims = true): string {
  const keepdims = keepDims ? 1 : 0;
  if (c.opset < 18) return c.g.node('ReduceMean', [x], { axes, keepdims });
  return c.g.node('ReduceMean', [x, c.g.int64s('axes', axes)], { keepdims });
}

/** The max over `axes`, dropped: an attribute up to opset 17, an input from 18 on. */
export function reduceMax(c: EmitContext, x: string, axes: readonly number[]): string {
  if (c.opset < 18) return c.g.node('ReduceMax', [x], { axes, keepdims: 0 });
  return c.g.node('ReduceMax', [x, c.g.int64s('axes', axes)], { keepdims: 0 });
}

/** A size option (one number or one per axis) as a pair. */
export function pair(v: number | readonly number[] | undefined, fallback: number): [number, number] {
  if (v === undefined) return [fallback, fallback];
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/** Reshape to `dims`, where 0 copies the input's size on that axis (so free axes stay free). */
export function reshape(c: EmitContext, x: string, dims: readonly number[]): string {
  return c.g.node('Reshape', [x, c.g.int64s('shape', dims)]);
}

/** Transposes by `perm`. */
export function transpose(c: EmitContext, x: string, perm: readonly number[]): string {
  return c.g.node('Transpose', [x], { perm });
}

/** The exact GELU, 0.5·x·(1 + erf(x/√2)) (the Gelu op only arrives in opset 20). */
export function geluExact(c: EmitContext, x: string): string {
  const erf = c.g.node('Erf', [c.g.node('Mul', [x, scalar(c, 'rsqrt2', Math.SQRT1_2)])]);
  return c.g.node('Mul', [
    c.g.node('Mul', [x, scalar(c, 'half', 0.5)]),
    c.g.node('Add', [erf, scalar(c, 'one', 1)]),
  ]);
}
