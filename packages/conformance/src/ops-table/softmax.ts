import type { Tensor } from '@backprop/core';
import * as core from '@backprop/core';
import { refLogSoftmax, refSoftmax } from '../reference/linalg.js';
import type { OpCase, Sample } from '../types.js';
import { input, transposed } from './helpers.js';
import { LONG_AXIS } from './long-axis.js';

/** The study notes' example, with the notes' printed softmax as the expected output. */
export const NOTES_SOFTMAX_INPUT = [
  [1, 2, 0],
  [-1, 0, 1],
  [-10, 0, 10],
];
export const NOTES_SOFTMAX_OUTPUT = [
  [0.244728471, 0.665240956, 0.0900305732],
  [0.0900305732, 0.244728471, 0.665240956],
  [2.06106005e-9, 4.53978686e-5, 0.9999546],
];

const samples: Sample<number>[] = [
  { name: "the notes' example", inputs: [input([3, 3], { values: NOTES_SOFTMAX_INPUT.flat() })], args: -1 },
  { name: 'axis 0', inputs: [input([3, 4])], args: 0 },
  { name: 'axis 1 of 3-D', inputs: [input([2, 3, 4])], args: 1 },
  { name: 'axis -1 of 3-D', inputs: [input([2, 3, 4])], args: -1 },
  { name: 'vector', inputs: [input([5])], args: 0 },
  { name: 'scalar', inputs: [input([])], args: 0 },
  { name: 'single class', inputs: [input([3, 1])], args: 1 },
  { name: 'empty batch', inputs: [input([0, 4])], args: 1 },
  { name: 'transposed input', inputs: [transposed([4, 3])], args: 1 },
  { name: 'permuted input, axis 0', inputs: [input([2, 3, 4], { permute: [2, 1, 0] })], args: 0 },
  {
    name: 'logits ±1e4',
    inputs: [input([3, 3], { values: [1e4, -1e4, 0, -1e4, -1e4, -1e4, 1e4, 1e4, 9999] })],
    args: 1,
    gradcheck: false,
  },
  {
    name: 'huge logits along axis 0',
    inputs: [input([2, 2], { values: [1e4, -3e4, 1e4 - 2, 3e4] })],
    args: 0,
    gradcheck: false,
  },
  {
    name: 'large-magnitude gradient',
    inputs: [input([2, 3], { values: [50, 51, 49, -80, -79, -81] })],
    args: 1,
  },
  { name: '256x256 rows', inputs: [input([256, 256])], args: 1 },
  { name: '256x256 columns', inputs: [input([256, 256])], args: 0 },
  { name: 'extended 1024x1000', inputs: [input([1024, 1000])], args: 1, extended: true },
  // Outputs near 1/250,000: compared relatively (atol 1e-8), so a softmax normalised over part of the axis fails.
  {
    name: `long rows [4, ${LONG_AXIS}]`,
    inputs: [input([4, LONG_AXIS])],
    args: 1,
    tolerance: { atol: 1e-3, rtol: 10 },
    grad: false,
    gradcheck: false,
  },
];

const softmaxComposition = (x: Tensor, axis: number): Tensor => {
  const e = core.exp(core.sub(x, core.max(x, axis, { keepDims: true })));
  return core.div(e, core.sum(e, axis, { keepDims: true }));
};

const logSoftmaxComposition = (x: Tensor, axis: number): Tensor => {
  const shifted = core.sub(x, core.max(x, axis, { keepDims: true }));
  return core.sub(shifted, core.log(core.sum(core.exp(shifted), axis, { keepDims: true })));
};

export const softmaxCases: OpCase[] = [
  {
    name: 'softmax',
    family: 'softmax',
    ops: ['softmax'],
    grad: true,
    samples,
    run: ([x], axis: number) => core.softmax(x, axis),
    reference: ([x], axis: number) => refSoftmax(x, axis),
    fused: { kernel: 'softmax', composition: ([x], axis: number) => softmaxComposition(x, axis) },
  },
  {
    name: 'logSoftmax',
    family: 'softmax',
    ops: ['logSoftmax'],
    grad: true,
    samples,
    run: ([x], axis: number) => core.logSoftmax(x, axis),
    reference: ([x], axis: number) => refLogSoftmax(x, axis),
    fused: { kernel: 'logSoftmax', composition: ([x], axis: number) => logSoftmaxComposition(x, axis) },
  },
];

export { logSoftmaxComposition, softmaxComposition };
