import { recordComposite } from '../autograd/tape.js';
import type { FusedActivation } from '../backend/backend.js';
import { describeValue } from '../describe.js';
import { ArgumentError, ShapeError } from '../errors.js';
import { matmulPrimitive } from '../primitives/matmul.js';
import { runKernel } from '../primitives/run.js';
import { formatShape } from '../shape.js';
import { type Tensor, tensorInfo } from '../tensor.js';
import { relu, sigmoid, tanh } from './activation.js';
import { add, mul } from './arithmetic.js';
import { assertIndices, oneHot } from './gather.js';
import { assertFloat, assertTensor } from './operands.js';
import { sum } from './reduce.js';
import { logSoftmax } from './softmax.js';

const FUSED_ACTIVATIONS: readonly FusedActivation[] = ['none', 'relu', 'sigmoid', 'tanh'];

function activate(z: Tensor, activation: FusedActivation): Tensor {
  if (activation === 'relu') return relu(z);
  if (activation === 'sigmoid') return sigmoid(z);
  if (activation === 'tanh') return tanh(z);
  return z;
}

/** What the `linear` kernel's gradient rule needs. */
export interface LinearAttrs {
  readonly activation: FusedActivation;
}

/** What the `softmaxCrossEntropy` kernel's gradient rule needs: the int32 labels. */
export interface CrossEntropyAttrs {
  readonly labels: Tensor;
}

/**
 * `activation(x · weightᵀ + bias)` for x [M, K], weight [N, K] (PyTorch's layout), bias [N]: one
 * tape node, and one kernel on backends that fuse it.
 */
export function linear(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  activation: FusedActivation = 'none',
): Tensor {
  assertFloat('linear', x);
  assertTensor('linear', weight, 'weight');
  if (bias !== null) assertTensor('linear', bias, 'bias');
  if (!FUSED_ACTIVATIONS.includes(activation)) {
    throw new ArgumentError(
      `linear: unknown activation ${describeValue(activation)} (expected one of ${FUSED_ACTIVATIONS.map((a) => `'${a}'`).join(', ')})`,
    );
  }
  if (
    x.rank !== 2 ||
    weight.rank !== 2 ||
    x.shape[1] !== weight.shape[1] ||
    (bias && (bias.rank !== 1 || bias.shape[0] !== weight.shape[0]))
  ) {
    throw new ShapeError(
      `linear: input ${formatShape(x.shape)} and weight ${formatShape(weight.shape)}${bias ? ` and bias ${formatShape(bias.shape)}` : ''} do not fit (expected [M, K], [N, K], [N])`,
    );
  }
  const inputs = bias ? [x, weight, bias] : [x, weight];
  const [m, k] = x.shape;
  const n = weight.shape[0];
  return recordComposite<LinearAttrs>('kernel/linear', inputs, { activation }, () => {
    if (x.backend.linear) {
      return runKernel('linear', inputs, [m, n], 'float32', (b) =>
        b.linear!(tensorInfo(x), tensorInfo(weight), bias ? tensorInfo(bias) : null, activation),
      );
    }
    // x · weightᵀ with the kernel reading weight transposed: no transposed copy.
    const z = matmulPrimitive(
      x,
      weight,
      { aShape: [1, m, k], bShape: [1, n, k], transposeA: false, transposeB: true },
      [m, n],
    );
    return activate(bias ? add(z, bias) : z, activation);
  });
}

/**
 * Per-row cross-entropy of logits [N, C] against int32 class indices [N]: −log softmax(logits)[i, labels[i]].
 * One tape node with the exact gradient softmax − onehot; one kernel on backends that fuse it.
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor): Tensor {
  assertFloat('softmaxCrossEntropy', logits);
  assertTensor('softmaxCrossEntropy', labels, 'labels');
  if (logits.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new ShapeError(
      `softmaxCrossEntropy: logits ${formatShape(logits.shape)} and labels ${formatShape(labels.shape)} do not fit (expected [N, C] and [N])`,
    );
  }
  const classes = logits.shape[1];
  return recordComposite<CrossEntropyAttrs>('kernel/softmaxCrossEntropy', [logits], { labels }, () => {
    if (logits.backend.softmaxCrossEntropy) {
      assertIndices('softmaxCrossEntropy', labels, classes, 1);
      return runKernel('softmaxCrossEntropy', [logits, labels], [logits.shape[0]], 'float32', (b) =>
        b.softmaxCrossEntropy!(tensorInfo(logits), tensorInfo(labels)),
      );
    }
    return mul(sum(mul(logSoftmax(logits, 1), oneHot(labels, classes)), 1), -1);
  });
}
