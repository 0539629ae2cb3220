import type { FusedActivation } from '../backend/backend.js';
import { describeValue } from '../describe.js';
import { ArgumentError, ShapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { relu, sigmoid, tanh } from './activation.js';
import { add, mul, sub } from './arithmetic.js';
import { cast } from './cast.js';
import { gt } from './compare.js';
import { composite } from './composite.js';
import { assertIndices, oneHot } from './gather.js';
import { assertFloat, assertTensor, runKernel } from './kernel.js';
import { matmul } from './matmul.js';
import { transpose, unsqueeze } from './movement.js';
import { sum } from './reduce.js';
import { logSoftmax, softmax } from './softmax.js';
import { square } from './unary.js';

const FUSED_ACTIVATIONS: readonly FusedActivation[] = ['none', 'relu', 'sigmoid', 'tanh'];

function activate(z: Tensor, activation: FusedActivation): Tensor {
  if (activation === 'relu') return relu(z);
  if (activation === 'sigmoid') return sigmoid(z);
  if (activation === 'tanh') return tanh(z);
  return z;
}

/** d activation / dz expressed through the activation's output y. */
function activationGrad(g: Tensor, y: Tensor, activation: FusedActivation): Tensor {
  if (activation === 'relu') return mul(g, cast(gt(y, 0), 'float32'));
  if (activation === 'sigmoid') return mul(g, mul(y, sub(1, y)));
  if (activation === 'tanh') return mul(g, sub(1, square(y)));
  return g;
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
  return composite(
    'linear',
    inputs,
    () => {
      if (x.backend.linear) {
        return runKernel('linear', inputs, [x.shape[0], weight.shape[0]], 'float32', (b) =>
          b.linear!(x.info(), weight.info(), bias?.info() ?? null, activation),
        );
      }
      const z = matmul(x, transpose(weight));
      return activate(bias ? add(z, bias) : z, activation);
    },
    (g, y) => {
      const gz = activationGrad(g, y, activation);
      // Only the gradients something needs: the input of a first layer (the data) usually needs none,
      // and its product gz · weight would be a third of a training step's arithmetic.
      const grads = [
        x.requiresGrad ? matmul(gz, weight) : null,
        weight.requiresGrad ? matmul(transpose(gz), x) : null,
      ];
      return bias ? [...grads, bias.requiresGrad ? sum(gz, 0) : null] : grads;
    },
  );
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
  return composite(
    'softmaxCrossEntropy',
    [logits],
    () => {
      if (logits.backend.softmaxCrossEntropy) {
        assertIndices('softmaxCrossEntropy', labels, classes, 1);
        return runKernel('softmaxCrossEntropy', [logits, labels], [logits.shape[0]], 'float32', (b) =>
          b.softmaxCrossEntropy!(logits.info(), labels.info()),
        );
      }
      return mul(sum(mul(logSoftmax(logits, 1), oneHot(labels, classes)), 1), -1);
    },
    (g) => [mul(sub(softmax(logits, 1), oneHot(labels, classes)), unsqueeze(g, 1))],
  );
}
