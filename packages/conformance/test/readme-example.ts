// The README's "Adding cases" example, run by minimal-backend.test.ts through `extraCases`.
import * as core from '@backprop/core';
import { input, type OpCase, reference } from '../src/index.js';

export const hardTanh: OpCase = {
  name: 'hardTanh',
  family: 'activation',
  ops: [],
  grad: true,
  samples: [{ name: 'matrix', inputs: [input([3, 4], { dist: 'distinct' })] }],
  run: ([x]) => core.clamp(x, -1, 1),
  reference: ([x]) => reference.mapRef(x, (v) => Math.min(1, Math.max(-1, v))),
};
