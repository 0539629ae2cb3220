import { gradcheck, memory, type Tensor, tensor, tidy } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import './setup.js';
import {
  AbsReLU,
  type AnyModule,
  CELU,
  ELU,
  F,
  GELU,
  gelu,
  Hardsigmoid,
  Hardswish,
  Hardtanh,
  LeakyReLU,
  LogSigmoid,
  LogSoftmax,
  leakyRelu,
  Mish,
  PReLU,
  ReLU,
  ReLU6,
  SELU,
  SELU_ALPHA,
  SELU_SCALE,
  Sigmoid,
  SiLU,
  Softmax,
  Softplus,
  Softsign,
  Swish,
  Tanh,
} from '../src/index.js';

const sig = (x: number) => 1 / (1 + Math.exp(-x));
const sp = (x: number) => Math.log1p(Math.exp(x));
const relu6 = (x: number) => Math.min(Math.max(x, 0), 6);

interface Case {
  name: string;
  fn: (x: Tensor) => Tensor;
  module: () => AnyModule;
  ref: (x: number) => number;
}

const cases: Case[] = [
  { name: 'sigmoid', fn: F.sigmoid, module: () => new Sigmoid(), ref: sig },
  { name: 'tanh', fn: F.tanh, module: () => new Tanh(), ref: Math.tanh },
  { name: 'relu', fn: F.relu, module: () => new ReLU(), ref: (x) => Math.max(x, 0) },
  { name: 'absRelu', fn: F.absRelu, module: () => new AbsReLU(), ref: Math.abs },
  {
    name: 'leakyRelu(0.1)',
    fn: (x) => F.leakyRelu(x, 0.1),
    module: () => new LeakyReLU(0.1),
    ref: (x) => (x > 0 ? x : 0.1 * x),
  },
  {
    name: 'elu(1.5)',
    fn: (x) => F.elu(x, 1.5),
    module: () => new ELU(1.5),
    ref: (x) => (x > 0 ? x : 1.5 * Math.expm1(x)),
  },
  {
    name: 'celu(2)',
    fn: (x) => F.celu(x, 2),
    module: () => new CELU(2),
    ref: (x) => (x > 0 ? x : 2 * Math.expm1(x / 2)),
  },
  {
    name: 'selu',
    fn: F.selu,
    module: () => new SELU(),
    ref: (x) => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * Math.expm1(x)),
  },
  // Φ(x) for these inputs from scipy.stats.norm.cdf, so the reference does not depend on an erf implementation.
  {
    name: 'gelu',
    fn: (x) => F.gelu(x),
    module: () => new GELU(),
    ref: (x) =>
      x *
      (
        {
          '-1.7': 0.044565462758543,
          '-0.6': 0.274253117750074,
          '-0.25': 0.401293674317076,
          '0.3': 0.617911422188953,
          '0.8': 0.788144601416603,
          '2.1': 0.982135579437183,
        } as Record<string, number>
      )[String(x)],
  },
  {
    name: 'gelu tanh',
    fn: (x) => F.gelu(x, 'tanh'),
    module: () => new GELU('tanh'),
    ref: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
  },
  { name: 'silu', fn: F.silu, module: () => new SiLU(), ref: (x) => x * sig(x) },
  { name: 'swish(2)', fn: (x) => F.swish(x, 2), module: () => new Swish(2), ref: (x) => x * sig(2 * x) },
  { name: 'mish', fn: F.mish, module: () => new Mish(), ref: (x) => x * Math.tanh(sp(x)) },
  { name: 'softplus', fn: (x) => F.softplus(x), module: () => new Softplus(), ref: sp },
  {
    name: 'softplus(beta=2)',
    fn: (x) => F.softplus(x, 2),
    module: () => new Softplus(2),
    ref: (x) => sp(2 * x) / 2,
  },
  { name: 'logSigmoid', fn: F.logSigmoid, module: () => new LogSigmoid(), ref: (x) => Math.log(sig(x)) },
  { name: 'softsign', fn: F.softsign, module: () => new Softsign(), ref: (x) => x / (1 + Math.abs(x)) },
  {
    name: 'hardtanh',
    fn: (x) => F.hardtanh(x),
    module: () => new Hardtanh(),
    ref: (x) => Math.min(Math.max(x, -1), 1),
  },
  {
    name: 'hardtanh(-0.5, 1.5)',
    fn: (x) => F.hardtanh(x, -0.5, 1.5),
    module: () => new Hardtanh(-0.5, 1.5),
    ref: (x) => Math.min(Math.max(x, -0.5), 1.5),
  },
  { name: 'relu6', fn: F.relu6, module: () => new ReLU6(), ref: relu6 },
  { name: 'hardSigmoid', fn: F.hardSigmoid, module: () => new Hardsigmoid(), ref: (x) => relu6(x + 3) / 6 },
  { name: 'hardSwish', fn: F.hardSwish, module: () => new Hardswish(), ref: (x) => (x * relu6(x + 3)) / 6 },
];

// Away from every kink (0, ±1, −0.5, 1.5, 6, ±3).
const inputs = [-1.7, -0.6, -0.25, 0.3, 0.8, 2.1];

describe('activations: values and gradients', () => {
  for (const c of cases) {
    it(`${c.name}: values match the float64 reference, module = function, gradcheck passes`, () => {
      tidy(() => {
        const x = tensor(inputs);
        const y = c.fn(x).dataSync();
        inputs.forEach((v, i) => {
          expect(y[i]).toBeCloseTo(c.ref(v), 5);
        });
        expect(Array.from(c.module().call(x).dataSync())).toEqual(Array.from(y));
        const xg = tensor([inputs, inputs.map((v) => v * 1.3)], { requiresGrad: true });
        const result = gradcheck(c.fn, [xg], { atol: 2e-3, rtol: 2e-3 });
        expect(result.mismatches).toEqual([]);
        expect(result.passed).toBe(true);
      });
    });
  }

  it('relu6 at 6 and large inputs, hardtanh saturates with zero gradient outside', () => {
    tidy(() => {
      const x = tensor([-2, 7, 100], { requiresGrad: true });
      F.relu6(x).sum().backward();
      expect(Array.from(x.grad!.dataSync())).toEqual([0, 0, 0]);
      expect(Array.from(F.relu6(x).dataSync())).toEqual([0, 6, 6]);
      x.grad!.dispose();
      x.grad = null;
    });
  });
});

describe('activations: known values', () => {
  it('GELU(1) = 0.8413447 (exact) and the tanh approximation 0.8411920', () => {
    expect(gelu(tensor([1])).dataSync()[0]).toBeCloseTo(0.8413447, 6);
    expect(gelu(tensor([1]), 'tanh').dataSync()[0]).toBeCloseTo(0.841192, 6);
    expect(gelu(tensor([-1])).dataSync()[0]).toBeCloseTo(-0.1586553, 6);
  });

  it('SELU constants and values', () => {
    expect(SELU_ALPHA).toBeCloseTo(1.6732632423543772, 15);
    expect(SELU_SCALE).toBeCloseTo(1.0507009873554805, 15);
    const y = F.selu(tensor([1, -1, 0])).dataSync();
    expect(y[0]).toBeCloseTo(1.0507009873554805, 6);
    expect(y[1]).toBeCloseTo(1.0507009873554805 * 1.6732632423543772 * (Math.exp(-1) - 1), 6);
    expect(y[2]).toBe(0);
  });

  it('ELU(-1) = e^-1 - 1, ELU(2) = 2', () => {
    const y = F.elu(tensor([-1, 2])).dataSync();
    expect(y[0]).toBeCloseTo(Math.exp(-1) - 1, 6);
    expect(y[1]).toBe(2);
  });

  it('leaky ReLU default slope 0.01; absolute-value rectification', () => {
    expect(Array.from(leakyRelu(tensor([-2, 3])).dataSync())).toEqual([Math.fround(-0.02), 3]);
    expect(Array.from(F.absRelu(tensor([-2, 3])).dataSync())).toEqual([2, 3]);
  });

  it('ELU, SELU and softplus stay finite with finite gradients for huge inputs', () => {
    tidy(() => {
      const x = tensor([-1000, -50, 50, 1000], { requiresGrad: true });
      const y = F.elu(x).add(F.selu(x)).add(F.softplus(x)).add(F.softplus(x, 3));
      const values = y.dataSync();
      for (const v of values) expect(Number.isFinite(v)).toBe(true);
      y.sum().backward();
      for (const g of x.grad!.dataSync()) expect(Number.isFinite(g)).toBe(true);
      // d/dx at 1000: elu 1 + selu λ + softplus 1 + softplus 1
      expect(x.grad!.dataSync()[3]).toBeCloseTo(3 + SELU_SCALE, 5);
      x.grad!.dispose();
    });
  });

  it('softplus with beta and threshold: linear above the threshold, smooth below', () => {
    const y = F.softplus(tensor([10, 1]), 2, 5).dataSync();
    expect(y[0]).toBe(10);
    expect(y[1]).toBeCloseTo(Math.log1p(Math.exp(2)) / 2, 6);
  });

  it("softmax and logSoftmax: the study notes' example", () => {
    const x = tensor([
      [1, 2, 0],
      [-1, 0, 1],
      [-10, 0, 10],
    ]);
    const expected = [
      [2.44728471e-1, 6.65240956e-1, 9.00305732e-2],
      [9.00305732e-2, 2.44728471e-1, 6.65240956e-1],
      [2.06106005e-9, 4.53978686e-5, 9.999546e-1],
    ];
    const y = new Softmax(1).call(x).arraySync() as number[][];
    const ly = new LogSoftmax().call(x).arraySync() as number[][];
    expected.forEach((row, i) => {
      row.forEach((v, j) => {
        expect(y[i][j]).toBeCloseTo(v, 7);
        expect(ly[i][j]).toBeCloseTo(Math.log(v), 4);
      });
    });
    const g1 = gradcheck(
      (t) => F.softmax(t, 0),
      [
        tensor(
          [
            [0.2, -1],
            [1.3, 0.4],
            [-0.5, 2],
          ],
          { requiresGrad: true },
        ),
      ],
    );
    const g2 = gradcheck(
      (t) => F.logSoftmax(t),
      [
        tensor(
          [
            [0.2, -1, 3],
            [1.3, 0.4, -2],
          ],
          { requiresGrad: true },
        ),
      ],
    );
    expect(g1.passed && g2.passed).toBe(true);
  });
});

describe('PReLU', () => {
  it('shared slope: values, and the slope receives the gradient sum of x over negatives', () => {
    tidy(() => {
      const act = new PReLU();
      expect(act.parameters()).toHaveLength(1);
      expect(act.weight.dataSync()[0]).toBe(0.25);
      const x = tensor([
        [-2, 1],
        [3, -4],
      ]);
      const y = act.call(x);
      expect(y.arraySync()).toEqual([
        [-0.5, 1],
        [3, -1],
      ]);
      y.sum().backward();
      expect(act.weight.grad!.dataSync()[0]).toBe(-6);
      act.dispose();
    });
  });

  it('per-channel slopes on [N, C] and [N, C, L], with gradcheck for input and slopes', () => {
    tidy(() => {
      const act = new PReLU({ numParameters: 3, init: 0.1 });
      const x = tensor([
        [
          [-1, 2],
          [-3, 4],
          [5, -6],
        ],
      ]);
      const y = act.call(x).arraySync();
      expect(y).toEqual([
        [
          [Math.fround(-0.1), 2],
          [Math.fround(-0.3), 4],
          [5, Math.fround(-0.6)],
        ],
      ]);
      const w = tensor([0.1, 0.3, -0.2], { requiresGrad: true });
      const x2 = tensor(
        [
          [-1.2, 0.5, -0.7],
          [0.9, -2.1, -0.4],
        ],
        { requiresGrad: true },
      );
      expect(gradcheck(F.prelu, [x2, w]).passed).toBe(true);
      const x3 = tensor(
        [
          [
            [-1.2, 0.5],
            [-0.7, 0.9],
            [-2.1, -0.4],
          ],
        ],
        { requiresGrad: true },
      );
      const result = gradcheck(F.prelu, [x3, w]);
      expect(result.mismatches).toEqual([]);
      // d/dw_c = sum of x over the negatives of channel c
      act.weight.grad?.dispose();
      act.call(x).sum().backward();
      expect(Array.from(act.weight.grad!.dataSync())).toEqual([-1, -3, -6]);
      expect(() => F.prelu(tensor([[1, 2]]), w)).toThrow(
        /3 elements but the input \[1, 2\] has 2 channels on axis 1/,
      );
      act.dispose();
    });
  });

  it('leaves no tensors behind in tidy', () => {
    const act = new PReLU({ numParameters: 2 });
    const before = memory().numTensors;
    tidy(() => {
      act
        .call(tensor([[-1, 1]]))
        .sum()
        .backward();
    });
    expect(memory().numTensors).toBe(before + 1); // the slope's gradient
    act.zeroGrad();
    expect(memory().numTensors).toBe(before);
    act.dispose();
  });
});
