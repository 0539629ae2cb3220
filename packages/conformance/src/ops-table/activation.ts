import * as core from '@backprop/core';
import { relu, sigmoid, softplus } from '../reference/math.js';
import type { OpCase } from '../types.js';
import { unaryCase } from './unary.js';

const extremes = [-1e4, -100, -20, -1e-3, 0, 1e-3, 20, 100, 1e4];

export const activationCases: OpCase[] = [
  unaryCase('activation', 'sigmoid', core.sigmoid, sigmoid, 'normal', { values: extremes }),
  unaryCase('activation', 'tanh', core.tanh, Math.tanh, 'normal', { values: extremes }),
  unaryCase('activation', 'relu', core.relu, relu, 'nonzero', { values: [-2, -0, 0, 3] }),
  unaryCase('activation', 'softplus', core.softplus, softplus, 'normal', { values: extremes }),
  // Piecewise ones sample 'offgrid' values (at least 0.1 from every integer), so that finite
  // differences never straddle a kink; the kinks themselves are forward edge values.
  piecewise('leakyRelu', core.leakyRelu, (x) => (x > 0 ? x : 0.01 * x)),
  piecewise('elu', core.elu, (x) => (x > 0 ? x : Math.expm1(x))),
  piecewise('selu', core.selu, (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x))),
  piecewise(
    'celu',
    (x) => core.celu(x, 2),
    (x) => (x > 0 ? x : 2 * Math.expm1(x / 2)),
  ),
  piecewise('hardtanh', core.hardtanh, (x) => clamp(x, -1, 1)),
  piecewise('relu6', core.relu6, (x) => clamp(x, 0, 6)),
  piecewise('hardSigmoid', core.hardSigmoid, (x) => clamp(x + 3, 0, 6) / 6),
  piecewise('hardSwish', core.hardSwish, (x) => (x * clamp(x + 3, 0, 6)) / 6),
];

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

function clamp(x: number, low: number, high: number): number {
  return Math.min(Math.max(x, low), high);
}

function piecewise(name: string, op: (x: core.Tensor) => core.Tensor, f: (x: number) => number): OpCase {
  return unaryCase('activation', name, op, f, 'offgrid', {
    values: [-100, -6, -3, -1, 0, 1, 3, 6, 100],
    ints: false,
  });
}
