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
];
