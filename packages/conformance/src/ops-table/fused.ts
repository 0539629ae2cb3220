import type { FusedActivation, Tensor } from '@backprop/core';
import * as core from '@backprop/core';
import { refLinear, refSoftmaxCrossEntropy } from '../reference/linalg.js';
import { sigmoid } from '../reference/math.js';
import { zipRef } from '../reference/ndarray.js';
import type { OpCase, Sample } from '../types.js';
import { input, transposed } from './helpers.js';
import { LONG_AXIS, LONG_TOLERANCE } from './long-axis.js';
import { logSoftmaxComposition } from './softmax.js';

export interface LinearArgs {
  readonly activation: FusedActivation;
  readonly bias: boolean;
}

const deep = (k: number) => ({ atol: Math.sqrt(k), rtol: Math.sqrt(k) / 4 });

const activations: FusedActivation[] = ['none', 'relu', 'sigmoid', 'tanh'];

const linearSamples: Sample<LinearArgs>[] = [
  ...activations.flatMap((activation): Sample<LinearArgs>[] => [
    {
      name: `${activation}, bias`,
      inputs: [input([3, 4]), input([5, 4]), input([5])],
      args: { activation, bias: true },
    },
    {
      name: `${activation}, no bias`,
      inputs: [input([2, 3]), input([4, 3])],
      args: { activation, bias: false },
    },
    {
      name: `${activation}, 67x129 · (65x129)ᵀ`,
      inputs: [input([67, 129]), input([65, 129]), input([65])],
      args: { activation, bias: true },
      tolerance: deep(129),
    },
  ]),
  {
    name: 'transposed input and weight',
    inputs: [transposed([3, 4]), transposed([2, 4]), input([2])],
    args: { activation: 'tanh', bias: true },
  },
  {
    name: 'empty batch',
    inputs: [input([0, 4]), input([3, 4]), input([3])],
    args: { activation: 'relu', bias: true },
  },
  {
    name: 'single unit',
    inputs: [input([4, 1]), input([1, 1]), input([1])],
    args: { activation: 'sigmoid', bias: true },
  },
  {
    name: `long K: [2, ${LONG_AXIS}] · ([3, ${LONG_AXIS}])ᵀ`,
    inputs: [
      input([2, LONG_AXIS], { dist: 'uniform' }),
      input([3, LONG_AXIS], { dist: 'uniform' }),
      input([3]),
    ],
    args: { activation: 'relu', bias: true },
    tolerance: { atol: 1000, rtol: 10 },
    grad: false,
    gradcheck: false,
  },
];

function linearComposition([x, w, b]: Tensor[], args: LinearArgs): Tensor {
  const z0 = core.matmul(x, core.transpose(w));
  const z = args.bias ? core.add(z0, b) : z0;
  if (args.activation === 'relu') return core.relu(z);
  if (args.activation === 'sigmoid') return core.sigmoid(z);
  if (args.activation === 'tanh') return core.tanh(z);
  return z;
}

const labels = (values: number[]) => input([values.length], { dtype: 'int32', values });

export const fusedCases: OpCase[] = [
  {
    name: 'linear',
    family: 'fused',
    ops: ['linear'],
    grad: true,
    samples: linearSamples,
    run: ([x, w, b], args: LinearArgs) => core.linear(x, w, args.bias ? b : null, args.activation),
    reference: ([x, w, b], args: LinearArgs) => refLinear(x, w, args.bias ? b : null, args.activation),
    fused: { kernel: 'linear', composition: linearComposition },
  },
  {
    name: 'softmaxCrossEntropy',
    family: 'fused',
    ops: ['softmaxCrossEntropy'],
    grad: true,
    samples: [
      { name: '4x3', inputs: [input([4, 3]), labels([0, 2, 1, 2])] },
      { name: 'one row', inputs: [input([1, 5]), labels([4])] },
      { name: 'transposed logits', inputs: [transposed([3, 4]), labels([1, 3, 0])] },
      {
        name: 'logits ±1e4',
        inputs: [input([3, 3], { values: [1e4, -1e4, 0, -1e4, 1e4, 1e4, 0, 0, 1e4] }), labels([1, 2, 0])],
        gradcheck: false,
      },
      { name: 'empty batch', inputs: [input([0, 3]), labels([])] },
      {
        name: '512x10',
        inputs: [input([512, 10]), labels(Array.from({ length: 512 }, (_, i) => (i * 3) % 10))],
      },
      {
        name: '64x1000',
        inputs: [input([64, 1000]), labels(Array.from({ length: 64 }, (_, i) => (i * 97) % 1000))],
      },
      {
        name: `long classes [4, ${LONG_AXIS}]`,
        inputs: [input([4, LONG_AXIS]), labels([0, 123_456, LONG_AXIS - 1, 70_000])],
        tolerance: LONG_TOLERANCE,
        grad: false,
        gradcheck: false,
      },
    ],
    run: ([logits, y]) => core.softmaxCrossEntropy(logits, y),
    reference: ([logits, y]) => refSoftmaxCrossEntropy(logits, y),
    fused: {
      kernel: 'softmaxCrossEntropy',
      composition: ([logits, y]) =>
        core.neg(core.sum(core.mul(logSoftmaxComposition(logits, 1), core.oneHot(y, logits.shape[1])), 1)),
    },
  },
  {
    // Probabilities and soft targets are sigmoids of the samples, so every value lies in (0, 1).
    name: 'binaryCrossEntropy',
    family: 'fused',
    ops: ['binaryCrossEntropy'],
    grad: true,
    samples: [
      { name: '3x4', inputs: [input([3, 4]), input([3, 4])] },
      { name: 'scalar', inputs: [input([]), input([])] },
      // float32 finite differences cannot resolve the slope this close to 0 and 1; the reference gradient still checks it.
      { name: 'confident', inputs: [input([4], { values: [-5, 5, -3, 3] }), input([4])], gradcheck: false },
    ],
    run: ([p, t]) => core.binaryCrossEntropy(core.sigmoid(p), core.sigmoid(t)),
    reference: ([p, t]) =>
      zipRef(
        p,
        t,
        (x, y) => {
          const [q, u] = [sigmoid(x), sigmoid(y)];
          return -(u * Math.max(Math.log(q), -100) + (1 - u) * Math.max(Math.log(1 - q), -100));
        },
        'float32',
      ),
  },
];
