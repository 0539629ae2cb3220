import type { FusedActivation, GradActivation, Tensor } from '@backprop/core';
import * as core from '@backprop/core';
import { refLinear, refSoftmax, refSoftmaxCrossEntropy } from '../reference/linalg.js';
import { sigmoid } from '../reference/math.js';
import { type RefTensor, zipRef } from '../reference/ndarray.js';
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

/** Core's activation op of each name. */
const activationOps: Record<GradActivation, (x: Tensor) => Tensor> = {
  relu: core.relu,
  sigmoid: core.sigmoid,
  tanh: core.tanh,
};

function linearComposition([x, w, b]: Tensor[], args: LinearArgs): Tensor {
  const z0 = core.matmul(x, core.transpose(w));
  const z = args.bias ? core.add(z0, b) : z0;
  return args.activation === 'none' ? z : activationOps[args.activation](z);
}

const labels = (values: number[]) => input([values.length], { dtype: 'int32', values });

export interface ActivationGradArgs {
  readonly activation: GradActivation;
}

/** d activation / dx from x, in float64. */
const activationSlopes: Record<GradActivation, (x: number) => number> = {
  relu: (x) => (x > 0 ? 1 : 0),
  sigmoid: (x) => sigmoid(x) * (1 - sigmoid(x)),
  tanh: (x) => 1 - Math.tanh(x) ** 2,
};

/** The gradient of Σ weights·f(x) for x, through core's autograd (which the suite's forward checks run under noGrad). */
function gradientOf(f: (x: Tensor) => Tensor, x: Tensor, weights: Tensor): Tensor {
  return core.enableGrad(() => core.grad((t) => core.sum(core.mul(f(t), weights)))(x)[0]);
}

/** (softmax(logits) − onehot(labels)) · g[:, None] in float64. */
function refSoftmaxCrossEntropyGrad(logits: RefTensor, y: RefTensor, g: RefTensor): RefTensor {
  const p = refSoftmax(logits, 1);
  const classes = logits.shape[1];
  const data = p.data.map((v, i) => {
    const row = Math.floor(i / classes);
    return (v - (i % classes === y.data[row] ? 1 : 0)) * g.data[row];
  });
  return { shape: p.shape, data, dtype: 'float32' };
}

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
    // The gradient pass behind relu, sigmoid, tanh and a fused linear: g · activation′(x), read
    // from the activation's output.
    name: 'activationGrad',
    family: 'fused',
    // `grad` returns its gradients kept, as backward keeps a leaf's .grad: they outlive tidy by design.
    memory: false,
    ops: ['relu', 'sigmoid', 'tanh'],
    samples: (['relu', 'sigmoid', 'tanh'] as const).flatMap((activation): Sample<ActivationGradArgs>[] => [
      { name: `${activation}, 4x5`, inputs: [input([4, 5]), input([4, 5])], args: { activation } },
      { name: `${activation}, 67x129`, inputs: [input([67, 129]), input([67, 129])], args: { activation } },
    ]),
    run: ([x, g], { activation }: ActivationGradArgs) => gradientOf(activationOps[activation], x, g),
    reference: ([x, g], { activation }: ActivationGradArgs) =>
      zipRef(x, g, (v, w) => w * activationSlopes[activation](v), 'float32'),
    fused: {
      kernel: 'activationGrad',
      composition: ([x, g], { activation }: ActivationGradArgs) => {
        const y = activationOps[activation](x);
        if (activation === 'relu') return core.mul(g, core.sign(y));
        if (activation === 'sigmoid') return core.mul(g, core.mul(y, core.sub(1, y)));
        return core.mul(g, core.sub(1, core.square(y)));
      },
    },
  },
  {
    // The gradient pass of softmaxCrossEntropy for its logits.
    name: 'softmaxCrossEntropyGrad',
    family: 'fused',
    // `grad` returns its gradients kept, as backward keeps a leaf's .grad: they outlive tidy by design.
    memory: false,
    ops: ['softmaxCrossEntropy'],
    samples: [
      { name: '4x3', inputs: [input([4, 3]), labels([0, 2, 1, 2]), input([4])] },
      { name: 'transposed logits', inputs: [transposed([3, 4]), labels([1, 3, 0]), input([3])] },
      {
        name: '64x1000',
        inputs: [
          input([64, 1000]),
          labels(Array.from({ length: 64 }, (_, i) => (i * 97) % 1000)),
          input([64]),
        ],
      },
      { name: 'empty batch', inputs: [input([0, 3]), labels([]), input([0])] },
    ],
    run: ([logits, y, g]) => gradientOf((t) => core.softmaxCrossEntropy(t, y), logits, g),
    reference: ([logits, y, g]) => refSoftmaxCrossEntropyGrad(logits, y, g),
    fused: {
      kernel: 'softmaxCrossEntropyGrad',
      composition: ([logits, y, g]) =>
        core.mul(core.sub(core.softmax(logits, 1), core.oneHot(y, logits.shape[1])), core.unsqueeze(g, 1)),
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
