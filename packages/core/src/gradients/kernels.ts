/**
 * The gradient rules of the Backend's other kernels (movement, indexing, `where`, `cast`,
 * `matmul` and the optional fused ones), keyed by the kernel's method name. The key set is derived
 * from the Backend interface, so a new kernel method without a rule here does not compile.
 */
import type { RecordedCall } from '../autograd/tape.js';
import type { Backend, DataId } from '../backend/backend.js';
import { mul, sub } from '../ops/arithmetic.js';
import { where } from '../ops/compare.js';
import { arange, zeros } from '../ops/creation.js';
import type { CrossEntropyAttrs, LinearAttrs } from '../ops/fused.js';
import { gather, indexAdd } from '../ops/gather.js';
import { split } from '../ops/join.js';
import { matmul } from '../ops/matmul.js';
import { permute, reshape } from '../ops/movement.js';
import { sum, sumToShape } from '../ops/reduce.js';
import { exp } from '../ops/unary.js';
import { col2im, type Im2colAttrs, im2col } from '../ops/windows.js';
import { type MatmulAttrs, matmulPrimitive, productShape } from '../primitives/matmul.js';
import type { AxisAttrs, IndexAttrs, SliceAttrs, TransposeAttrs } from '../primitives/movement.js';
import type { Tensor } from '../tensor.js';
import { activationGrad, softmaxCrossEntropyGrad } from './fused.js';

/** Backend methods that return an object: every kernel (a DataId is any object), and the reads. */
type KernelMethod = {
  [K in keyof Backend]-?: NonNullable<Backend[K]> extends (...args: never[]) => DataId ? K : never;
}[keyof Backend];

/**
 * Kernels with their own typed tables (`unary`, `binary`, `reduce`), kernels without a gradient
 * (`fill` takes no tensor, `argReduce` and `maxPoolIndices` return indices, optimizer updates are
 * not differentiated, the gradient passes run inside backward, which records nothing)
 * and the storage methods.
 */
type OwnTableOrNoGradient =
  | 'unary'
  | 'binary'
  | 'reduce'
  | 'fill'
  | 'argReduce'
  | 'maxPoolIndices'
  | 'sgdUpdate'
  | 'sgdMomentumUpdate'
  | 'adamUpdate'
  | 'activationGrad'
  | 'softmaxCrossEntropyGrad'
  | 'allocate'
  | 'write'
  | 'read'
  | 'readSync';

export type GradKernel = Exclude<KernelMethod, OwnTableOrNoGradient>;

type Grads = readonly (Tensor | null)[];

/** The attributes each kernel's wrapper records for its rule. */
interface KernelAttrs {
  cast: undefined;
  where: undefined;
  transpose: TransposeAttrs;
  broadcastTo: undefined;
  slice: SliceAttrs;
  concat: AxisAttrs;
  gather: IndexAttrs;
  indexAdd: IndexAttrs;
  matmul: MatmulAttrs;
  softmax: AxisAttrs;
  logSoftmax: AxisAttrs;
  linear: LinearAttrs;
  softmaxCrossEntropy: CrossEntropyAttrs;
  im2col: Im2colAttrs;
  col2im: Im2colAttrs;
}

export type KernelGradRules = { [K in GradKernel]: (g: Tensor, call: RecordedCall<KernelAttrs[K]>) => Grads };

/** The matmul rule: each operand's gradient is a product read in that operand's own layout, computed only where needed. */
function matmulGrads(g: Tensor, { inputs: [a, b], attrs }: RecordedCall<MatmulAttrs>): Grads {
  const { aShape, bShape, transposeA, transposeB } = attrs;
  const gShape = productShape(attrs);
  const ga = !a.requiresGrad
    ? null
    : transposeA
      ? matmulPrimitive(
          b,
          g,
          { aShape: bShape, bShape: gShape, transposeA: transposeB, transposeB: true },
          a.shape,
        )
      : matmulPrimitive(
          g,
          b,
          { aShape: gShape, bShape, transposeA: false, transposeB: !transposeB },
          a.shape,
        );
  const gb = !b.requiresGrad
    ? null
    : transposeB
      ? matmulPrimitive(
          g,
          a,
          { aShape: gShape, bShape: aShape, transposeA: true, transposeB: transposeA },
          b.shape,
        )
      : matmulPrimitive(
          a,
          g,
          { aShape, bShape: gShape, transposeA: !transposeA, transposeB: false },
          b.shape,
        );
  return [ga, gb];
}

export const KERNEL_GRADIENTS: KernelGradRules = {
  cast: (g) => [g],
  where: (g, { inputs: [condition, a, b] }) => [
    null,
    sumToShape(where(condition, g, 0), a.shape),
    sumToShape(where(condition, 0, g), b.shape),
  ],
  transpose: (g, { attrs: { perm } }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((axis, i) => {
      inverse[axis] = i;
    });
    return [permute(g, inverse)];
  },
  broadcastTo: (g, { inputs: [x] }) => [sumToShape(g, x.shape)],
  slice: (g, { inputs: [x], attrs: { begin, step } }) => {
    // Scatter the gradient back one sliced axis at a time.
    let grad = g;
    x.shape.forEach((size, axis) => {
      const length = g.shape[axis];
      if (begin[axis] === 0 && step[axis] === 1 && length === size) return;
      const baseShape = [...grad.shape];
      baseShape[axis] = size;
      const end = begin[axis] + step[axis] * length;
      const indices = arange(begin[axis], end, step[axis], { device: x.device, dtype: 'int32' });
      grad = indexAdd(zeros(baseShape, { device: x.device }), axis, indices, grad);
    });
    return [grad];
  },
  concat: (g, { inputs, attrs: { axis } }) =>
    split(
      g,
      inputs.map((t) => t.shape[axis]),
      axis,
    ),
  gather: (g, { inputs: [x], attrs: { axis, indices } }) => {
    const flat = indices.rank === 1 ? indices : reshape(indices, [indices.size]);
    const gathered = [...x.shape];
    gathered[axis] = flat.size;
    const source = indices.rank === 1 ? g : reshape(g, gathered);
    return [indexAdd(zeros(x.shape, { device: x.device }), axis, flat, source)];
  },
  indexAdd: (g, { attrs: { axis, indices } }) => [g, gather(g, indices, axis)],
  matmul: matmulGrads,
  softmax: (g, { output: y, attrs: { axis } }) => [mul(y, sub(g, sum(mul(g, y), axis, { keepDims: true })))],
  logSoftmax: (g, { output: y, attrs: { axis } }) => [sub(g, mul(exp(y), sum(g, axis, { keepDims: true })))],
  linear: (g, { inputs: [x, weight, bias], output: y, attrs: { activation } }) => {
    const gz = activationGrad(g, y, activation);
    const [m, n] = gz.shape;
    const k = x.shape[1];
    // Only the gradients something needs: the input of a first layer (the data) usually needs none,
    // and its product gz · weight would be a third of a training step's arithmetic.
    const grads = [
      x.requiresGrad ? matmul(gz, weight) : null,
      weight.requiresGrad
        ? matmulPrimitive(
            gz,
            x,
            { aShape: [1, m, n], bShape: [1, m, k], transposeA: true, transposeB: false },
            [n, k],
          )
        : null,
    ];
    return bias ? [...grads, bias.requiresGrad ? sum(gz, 0) : null] : grads;
  },
  softmaxCrossEntropy: (g, { inputs: [logits], attrs: { labels } }) => [
    softmaxCrossEntropyGrad(logits, labels, g),
  ],
  // The two are linear and adjoint, so each one's gradient is the other (a padding fill gets none).
  im2col: (g, { attrs: { geometry } }) => [col2im(g, geometry)],
  col2im: (g, { attrs: { geometry } }) => [im2col(g, geometry, 0)],
};
