import { ArgumentError, type Tensor } from '@backprop/core';
import * as nn from '@backprop/nn';
import { convEmitters } from './convs.js';
import { normEmitters } from './norms.js';
import {
  type EmitContext,
  type Emitter,
  geluExact,
  layerNorm,
  linear,
  pair,
  reduceMax,
  reshape,
  scalar,
} from './ops.js';
import { transformerEmitters } from './transformer.js';

export type { EmitContext } from './ops.js';

function weightOf(c: EmitContext, prefix: string, t: Tensor | null, fill: number, size: number): string {
  return t === null
    ? c.g.floats(prefix, new Float32Array(size).fill(fill), [size])
    : c.g.floats(prefix, c.values(t), t.shape);
}

/** `[N, C, H, W]` spatial pads as ONNX wants them: all the begins, then all the ends. */
function pads2d(p: readonly [number, number]): number[] {
  return [p[0], p[1], p[0], p[1]];
}

function gelu(c: EmitContext, approximate: string): string {
  const { g, x } = c;
  if (approximate === 'tanh') {
    // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
    const cube = g.node('Mul', [g.node('Mul', [x, x]), x]);
    const inner = g.node('Add', [x, g.node('Mul', [cube, scalar(c, 'gelu_k', 0.044715)])]);
    const t = g.node('Tanh', [g.node('Mul', [inner, scalar(c, 'gelu_s', Math.sqrt(2 / Math.PI))])]);
    return g.node('Mul', [
      g.node('Mul', [x, scalar(c, 'half', 0.5)]),
      g.node('Add', [t, scalar(c, 'one', 1)]),
    ]);
  }
  return geluExact(c, x);
}

function softplus(c: EmitContext, x: string, beta: number): string {
  if (beta === 1) return c.g.node('Softplus', [x]);
  const scaled = c.g.node('Softplus', [c.g.node('Mul', [x, scalar(c, 'beta', beta)])]);
  return c.g.node('Div', [scaled, scalar(c, 'beta', beta)]);
}

function reshapeTo(c: EmitContext, dims: readonly number[]): string {
  // The batch axis is copied from the input (0), so the model accepts any batch size.
  return c.g.node('Reshape', [c.x, c.g.int64s('shape', [0, ...dims.slice(1)])]);
}

/** Layer class → its ONNX nodes (opset 17). */
const EMITTERS = new Map<unknown, Emitter>([
  [nn.Linear, ((l: nn.Linear, c) => linear(c, c.x, l.weight, l.bias)) as Emitter],
  [nn.ReLU, ((_: nn.ReLU, c) => c.g.node('Relu', [c.x])) as Emitter],
  [nn.Sigmoid, ((_: nn.Sigmoid, c) => c.g.node('Sigmoid', [c.x])) as Emitter],
  [nn.Tanh, ((_: nn.Tanh, c) => c.g.node('Tanh', [c.x])) as Emitter],
  [
    nn.LeakyReLU,
    ((l: nn.LeakyReLU, c) => c.g.node('LeakyRelu', [c.x], { alpha: l.negativeSlope })) as Emitter,
  ],
  [nn.ELU, ((l: nn.ELU, c) => c.g.node('Elu', [c.x], { alpha: l.alpha })) as Emitter],
  [nn.CELU, ((l: nn.CELU, c) => c.g.node('Celu', [c.x], { alpha: l.alpha })) as Emitter],
  [nn.SELU, ((_: nn.SELU, c) => c.g.node('Selu', [c.x])) as Emitter],
  [nn.GELU, ((l: nn.GELU, c) => gelu(c, l.approximate)) as Emitter],
  [nn.SiLU, ((_: nn.SiLU, c) => c.g.node('Mul', [c.x, c.g.node('Sigmoid', [c.x])])) as Emitter],
  [
    nn.Swish,
    ((l: nn.Swish, c) =>
      c.g.node('Mul', [
        c.x,
        c.g.node('Sigmoid', [c.g.node('Mul', [c.x, scalar(c, 'beta', l.beta)])]),
      ])) as Emitter,
  ],
  [nn.Mish, ((_: nn.Mish, c) => c.g.node('Mul', [c.x, c.g.node('Tanh', [softplus(c, c.x, 1)])])) as Emitter],
  // Above the threshold PyTorch returns x itself; in float32 log(1 + e^x) already equals x there.
  [nn.Softplus, ((l: nn.Softplus, c) => softplus(c, c.x, l.beta)) as Emitter],
  [
    nn.LogSigmoid,
    ((_: nn.LogSigmoid, c) => c.g.node('Neg', [softplus(c, c.g.node('Neg', [c.x]), 1)])) as Emitter,
  ],
  [nn.Softsign, ((_: nn.Softsign, c) => c.g.node('Softsign', [c.x])) as Emitter],
  [
    nn.Hardtanh,
    ((l: nn.Hardtanh, c) =>
      c.g.node('Clip', [c.x, scalar(c, 'min', l.minVal), scalar(c, 'max', l.maxVal)])) as Emitter,
  ],
  [
    nn.ReLU6,
    ((_: nn.ReLU6, c) => c.g.node('Clip', [c.x, scalar(c, 'min', 0), scalar(c, 'max', 6)])) as Emitter,
  ],
  [
    nn.Hardsigmoid,
    ((_: nn.Hardsigmoid, c) => c.g.node('HardSigmoid', [c.x], { alpha: 1 / 6, beta: 0.5 })) as Emitter,
  ],
  [nn.Hardswish, ((_: nn.Hardswish, c) => c.g.node('HardSwish', [c.x])) as Emitter],
  [nn.Softmax, ((l: nn.Softmax, c) => c.g.node('Softmax', [c.x], { axis: l.dim })) as Emitter],
  [nn.LogSoftmax, ((l: nn.LogSoftmax, c) => c.g.node('LogSoftmax', [c.x], { axis: l.dim })) as Emitter],
  [
    nn.PReLU,
    ((l: nn.PReLU, c) => {
      // PyTorch's slopes run along axis 1; ONNX broadcasts from the right, so trail them with 1s.
      const trailing = l.numParameters > 1 ? Math.max(0, c.inShape.length - 2) : 0;
      const dims = [l.numParameters, ...new Array(trailing).fill(1)];
      return c.g.node('PRelu', [c.x, c.g.floats('slope', c.values(l.weight), dims)]);
    }) as Emitter,
  ],
  [nn.AbsReLU, ((_: nn.AbsReLU, c) => c.g.node('Abs', [c.x])) as Emitter],
  [
    nn.Maxout,
    ((l: nn.Maxout, c) => {
      // Linear(d, p·k) viewed as [..., p, k] (leading sizes copied), the max over the k pieces.
      const z = linear(c, c.x, l.linear.weight, l.linear.bias);
      const leading = new Array(c.inShape.length - 1).fill(0);
      return reduceMax(c, reshape(c, z, [...leading, l.outFeatures, l.pieces]), [-1]);
    }) as Emitter,
  ],
  [nn.Identity, ((_: nn.Identity, c) => c.x) as Emitter],
  // Evaluation mode: dropout is the identity.
  [nn.Dropout, ((_: nn.Dropout, c) => c.x) as Emitter],
  [nn.Dropout2d, ((_: nn.Dropout2d, c) => c.x) as Emitter],
  [
    nn.Flatten,
    ((l: nn.Flatten, c) =>
      l.startDim === 1 && (l.endDim === -1 || l.endDim === c.inShape.length - 1)
        ? c.g.node('Flatten', [c.x], { axis: 1 })
        : reshapeTo(c, c.outShape)) as Emitter,
  ],
  [nn.Unflatten, ((_: nn.Unflatten, c) => reshapeTo(c, c.outShape)) as Emitter],
  [
    nn.Embedding,
    ((l: nn.Embedding, c) =>
      c.g.node('Gather', [c.g.floats('embedding', c.values(l.weight), l.weight.shape), c.x], {
        axis: 0,
      })) as Emitter,
  ],
  [
    nn.LayerNorm,
    ((l: nn.LayerNorm, c) => layerNorm(c, c.x, l.normalizedShape, l.weight, l.bias, l.eps)) as Emitter,
  ],
  [nn.BatchNorm1d, batchNorm as Emitter],
  [nn.BatchNorm2d, batchNorm as Emitter],
  [
    nn.MaxPool2d,
    ((l: nn.MaxPool2d, c) => {
      const k = pair(l.kernelSize, 1);
      const { stride, padding, dilation, ceilMode } = l.options;
      return c.g.node('MaxPool', [c.x], {
        kernel_shape: k,
        strides: stride === undefined ? k : pair(stride, 1),
        pads: pads2d(pair(padding, 0)),
        dilations: pair(dilation, 1),
        ceil_mode: ceilMode ? 1 : 0,
      });
    }) as Emitter,
  ],
  [
    nn.AvgPool2d,
    ((l: nn.AvgPool2d, c) => {
      const k = pair(l.kernelSize, 1);
      const { stride, padding, ceilMode, countIncludePad = true, divisorOverride } = l.options;
      if (divisorOverride !== undefined)
        throw new ArgumentError(
          'exportOnnx: AvgPool2d with divisorOverride has no ONNX AveragePool equivalent',
        );
      return c.g.node('AveragePool', [c.x], {
        kernel_shape: k,
        strides: stride === undefined ? k : pair(stride, 1),
        pads: pads2d(pair(padding, 0)),
        ceil_mode: ceilMode ? 1 : 0,
        count_include_pad: countIncludePad ? 1 : 0,
      });
    }) as Emitter,
  ],
  [
    nn.AdaptiveAvgPool2d,
    ((_: nn.AdaptiveAvgPool2d, c) => {
      const [h, w] = c.inShape.slice(-2);
      const [oh, ow] = c.outShape.slice(-2);
      if (oh === 1 && ow === 1) return c.g.node('GlobalAveragePool', [c.x]);
      if (h % oh !== 0 || w % ow !== 0)
        throw new ArgumentError(
          `exportOnnx: AdaptiveAvgPool2d from [${h}, ${w}] to [${oh}, ${ow}] has uneven windows, which ONNX pooling cannot express (sizes must divide)`,
        );
      const k = [h / oh, w / ow];
      return c.g.node('AveragePool', [c.x], { kernel_shape: k, strides: k });
    }) as Emitter,
  ],
  ...convEmitters,
  ...normEmitters,
  ...transformerEmitters,
]);

function batchNorm(l: nn.BatchNorm1d, c: EmitContext): string {
  const mean = l.runningMean as Tensor | null;
  const variance = l.runningVar as Tensor | null;
  if (mean === null || variance === null)
    throw new ArgumentError(
      `exportOnnx: ${l.typeName} without running statistics (trackRunningStats: false) normalises by batch statistics, which an inference graph cannot`,
    );
  const n = l.numFeatures;
  return c.g.node(
    'BatchNormalization',
    [
      c.x,
      weightOf(c, 'scale', l.weight, 1, n),
      weightOf(c, 'bias', l.bias, 0, n),
      c.g.floats('mean', c.values(mean), [n]),
      c.g.floats('var', c.values(variance), [n]),
    ],
    { epsilon: l.eps },
  );
}

/** The emitter for a layer (by its exact class), or undefined when it has no ONNX form. */
export function emitterFor(layer: object): Emitter | undefined {
  return EMITTERS.get(layer.constructor);
}

/** Names of the layers exportOnnx knows, for messages. */
export function supportedLayers(): string[] {
  return [...EMITTERS.keys()].map((k) => (k as { name: string }).name);
}
