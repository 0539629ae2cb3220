import * as core from '@backprop/core';
import {
  type RefPair,
  refAdaptiveAvgPool2d,
  refAvgPool2d,
  refConv1d,
  refConv2d,
  refConvTranspose2d,
  refMaxPool2d,
} from '../reference/conv.js';
import type { OpCase } from '../types.js';
import { conv2dByGather, maxPool2dByWindows } from './conv-composition.js';
import { input } from './helpers.js';

/** Sums over C·kH·kW products: a little more float32 rounding than one elementwise op. */
const SUMS = { atol: 4, rtol: 4 };

interface PoolArgs {
  kernel: RefPair;
  // biome-ignore lint/suspicious/noExplicitAny: each pool takes its own options.
  options?: any;
}

export const convCases: OpCase[] = [
  {
    name: 'conv2d',
    family: 'conv',
    ops: ['conv2d'],
    grad: true,
    tolerance: SUMS,
    gradTolerance: SUMS,
    samples: [
      { name: '3x3 with bias', inputs: [input([1, 2, 5, 5]), input([3, 2, 3, 3]), input([3])], args: {} },
      {
        name: 'stride 2 padding 1, odd sizes',
        inputs: [input([1, 2, 5, 6]), input([2, 2, 3, 3]), input([2])],
        args: { stride: 2, padding: 1 },
      },
      {
        name: 'dilation 2, no bias',
        inputs: [input([1, 1, 7, 6]), input([2, 1, 2, 3])],
        args: { dilation: 2 },
      },
      {
        name: 'groups 2, padding [1, 0]',
        inputs: [input([1, 4, 4, 4]), input([4, 2, 2, 2]), input([4])],
        args: { groups: 2, padding: [1, 0] },
      },
      {
        name: "padding 'same', even kernel",
        inputs: [input([1, 2, 4, 5]), input([2, 2, 2, 3]), input([2])],
        args: { padding: 'same' },
      },
      {
        name: 'permuted input',
        inputs: [input([1, 2, 4, 5], { permute: [0, 1, 3, 2] }), input([2, 2, 3, 3])],
        args: { stride: [1, 2] },
      },
      {
        name: 'LeNet first layer',
        inputs: [input([2, 1, 28, 28]), input([6, 1, 5, 5]), input([6])],
        args: {},
      },
    ],
    run: ([x, w, b], args) => core.conv2d(x, w, b ?? null, args),
    reference: ([x, w, b], args) => refConv2d(x, w, b ?? null, args),
    fused: { kernel: 'im2col', composition: conv2dByGather },
  },
  {
    name: 'conv1d',
    family: 'conv',
    ops: ['conv1d'],
    grad: true,
    tolerance: SUMS,
    gradTolerance: SUMS,
    samples: [
      {
        name: 'stride 2 padding 1',
        inputs: [input([2, 3, 7]), input([4, 3, 3]), input([4])],
        args: { stride: 2, padding: 1 },
      },
      {
        name: "groups 2, 'same', dilation 2",
        inputs: [input([1, 4, 6]), input([4, 2, 3])],
        args: { groups: 2, padding: 'same', dilation: 2 },
      },
    ],
    run: ([x, w, b], args) => core.conv1d(x, w, b ?? null, args),
    reference: ([x, w, b], args) => refConv1d(x, w, b ?? null, args),
  },
  {
    name: 'convTranspose2d',
    family: 'conv',
    ops: ['convTranspose2d'],
    grad: true,
    tolerance: SUMS,
    gradTolerance: SUMS,
    samples: [
      {
        name: 'stride 2 padding 1 outputPadding 1',
        inputs: [input([1, 2, 3, 3]), input([2, 3, 3, 3]), input([3])],
        args: { stride: 2, padding: 1, outputPadding: 1 },
      },
      {
        name: 'groups 2 dilation 2 stride [1, 2]',
        inputs: [input([1, 4, 3, 2]), input([4, 1, 2, 2])],
        args: { groups: 2, dilation: 2, stride: [1, 2] },
      },
    ],
    run: ([x, w, b], args) => core.convTranspose2d(x, w, b ?? null, args),
    reference: ([x, w, b], args) => refConvTranspose2d(x, w, b ?? null, args),
  },
  {
    name: 'maxPool2d',
    family: 'conv',
    ops: ['maxPool2d'],
    grad: true,
    samples: [
      { name: '2x2', inputs: [input([1, 2, 4, 6], { dist: 'distinct' })], args: { kernel: 2 } },
      {
        name: '3 stride 2 padding 1',
        inputs: [input([1, 2, 5, 5], { dist: 'distinct' })],
        args: { kernel: 3, options: { stride: 2, padding: 1 } },
      },
      {
        name: 'dilation 2, ceilMode',
        inputs: [input([1, 1, 7, 8], { dist: 'distinct' })],
        args: { kernel: [2, 3], options: { stride: 2, dilation: 2, ceilMode: true } },
      },
    ],
    run: ([x], { kernel, options }: PoolArgs) => core.maxPool2d(x, kernel, options),
    reference: ([x], { kernel, options }: PoolArgs) => refMaxPool2d(x, kernel, options)[0],
    fused: { kernel: 'maxPoolIndices', composition: (inputs, args) => maxPool2dByWindows(inputs, args)[0] },
  },
  {
    name: 'maxPool2dWithIndices',
    family: 'conv',
    ops: ['maxPool2dWithIndices'],
    samples: [
      {
        name: '3 stride 2 padding 1',
        inputs: [input([2, 2, 5, 5], { dist: 'distinct' })],
        args: { kernel: 3, options: { stride: 2, padding: 1 } },
      },
      {
        name: 'ties pick the first maximum',
        inputs: [input([2, 3, 6, 7], { dist: 'int' })],
        args: { kernel: [3, 2], options: { stride: [2, 1], padding: 1 } },
      },
      {
        name: 'dilation 2, ceilMode',
        inputs: [input([1, 2, 7, 8], { dist: 'distinct' })],
        args: { kernel: [2, 3], options: { stride: 2, dilation: 2, ceilMode: true } },
      },
      {
        name: "LeNet's first pooling",
        inputs: [input([4, 16, 28, 28])],
        args: { kernel: 2 },
      },
    ],
    run: ([x], { kernel, options }: PoolArgs) => {
      const { values, indices } = core.maxPool2dWithIndices(x, kernel, options);
      return [values, indices];
    },
    reference: ([x], { kernel, options }: PoolArgs) => refMaxPool2d(x, kernel, options),
    fused: { kernel: 'maxPoolIndices', composition: maxPool2dByWindows },
  },
  {
    name: 'avgPool2d',
    family: 'conv',
    ops: ['avgPool2d'],
    grad: true,
    samples: [
      { name: '2x2', inputs: [input([1, 2, 4, 6])], args: { kernel: 2 } },
      {
        name: '3 stride 2 padding 1 ceilMode',
        inputs: [input([1, 1, 7, 6])],
        args: { kernel: 3, options: { stride: 2, padding: 1, ceilMode: true } },
      },
      {
        name: 'padding not counted',
        inputs: [input([1, 1, 5, 5])],
        args: { kernel: 3, options: { stride: 2, padding: 1, countIncludePad: false } },
      },
      {
        name: 'divisorOverride',
        inputs: [input([1, 1, 4, 6])],
        args: { kernel: [2, 3], options: { divisorOverride: 3 } },
      },
    ],
    run: ([x], { kernel, options }: PoolArgs) => core.avgPool2d(x, kernel, options),
    reference: ([x], { kernel, options }: PoolArgs) => refAvgPool2d(x, kernel, options),
  },
  {
    name: 'adaptiveAvgPool2d',
    family: 'conv',
    ops: ['adaptiveAvgPool2d'],
    grad: true,
    samples: [
      { name: '7x5 to 3x2', inputs: [input([1, 2, 7, 5])], args: [3, 2] },
      { name: 'global', inputs: [input([2, 3, 3, 3])], args: 1 },
    ],
    run: ([x], size: RefPair) => core.adaptiveAvgPool2d(x, size),
    reference: ([x], size: RefPair) => refAdaptiveAvgPool2d(x, size),
  },
];
