/**
 * The optimizer updates a backend may fuse (`sgdUpdate`, `sgdMomentumUpdate`, `adamUpdate`). Each case stacks
 * the update's outputs (the new parameter first, then the buffers) into one tensor, so that the
 * forward check, the reference and the fused-kernel check see all of them.
 */
import type { AdamUpdateScalars, SgdMomentumScalars, SgdScalars, Tensor } from '@backprop/core';
import * as core from '@backprop/core';
import { type RefTensor, ref } from '../reference/ndarray.js';
import type { OpCase, Sample } from '../types.js';
import { input, transposed } from './helpers.js';

/** Two to four float32 inputs of one shape; the last one (v for Adam) positive. */
function updateSamples<A>(inputs: number, variants: { name: string; args: A }[]): Sample<A>[] {
  const shaped = (shape: number[], last = input(shape, { dist: 'positive' })) => [
    ...Array.from({ length: inputs - 1 }, () => input(shape)),
    last,
  ];
  return variants.flatMap(({ name, args }) => [
    { name: `${name}, 3x4`, inputs: shaped([3, 4]), args },
    { name: `${name}, scalar`, inputs: shaped([]), args },
    { name: `${name}, empty`, inputs: shaped([0, 3]), args },
    { name: `${name}, transposed`, inputs: shaped([4, 3], transposed([4, 3], { dist: 'positive' })), args },
    { name: `${name}, 300x301`, inputs: shaped([300, 301]), args },
  ]);
}

/** Stacks reference outputs of one shape along a new first axis. */
function stackRef(shape: readonly number[], outputs: Float64Array[]): RefTensor {
  const data = new Float64Array(outputs.reduce((n, o) => n + o.length, 0));
  for (const [i, o] of outputs.entries()) data.set(o, i * o.length);
  return ref([outputs.length, ...shape], data);
}

function plainSgdComposition([p, g]: Tensor[], s: SgdScalars): Tensor {
  return core.sub(p, core.mul(g, s.lr));
}

function sgdComposition([p, g, b]: Tensor[], s: SgdMomentumScalars): Tensor {
  const buffer = core.add(core.mul(b, s.momentum), core.mul(g, 1 - s.dampening));
  const direction = s.nesterov ? core.add(g, core.mul(buffer, s.momentum)) : buffer;
  return core.stack([core.sub(p, core.mul(direction, s.lr)), buffer]);
}

function adamComposition([p, g, m, v]: Tensor[], s: AdamUpdateScalars): Tensor {
  const m1 = core.add(m, core.mul(core.sub(g, m), 1 - s.beta1));
  const v1 = core.add(core.mul(v, s.beta2), core.mul(core.mul(g, g), 1 - s.beta2));
  const denom = core.add(core.div(core.sqrt(v1), s.biasCorrection2Sqrt), s.eps);
  return core.stack([core.sub(p, core.mul(core.div(m1, denom), s.stepSize)), m1, v1]);
}

/** Adam's scalars at step `t` with lr 1e-2. */
function adamAt(t: number, beta1 = 0.9, beta2 = 0.999): AdamUpdateScalars {
  return {
    beta1,
    beta2,
    stepSize: 1e-2 / (1 - beta1 ** t),
    biasCorrection2Sqrt: Math.sqrt(1 - beta2 ** t),
    eps: 1e-8,
  };
}

export const optimizerUpdateCases: OpCase[] = [
  {
    name: 'sgdUpdate',
    family: 'fused',
    ops: ['sgdUpdate'],
    samples: updateSamples<SgdScalars>(2, [
      { name: 'lr 0.1', args: { lr: 0.1 } },
      { name: 'lr 3e-4', args: { lr: 3e-4 } },
    ]),
    run: ([p, g], s: SgdScalars) => core.sgdUpdate(p, g, s),
    reference: ([p, g], s: SgdScalars) =>
      ref(
        p.shape,
        p.data.map((v, i) => v - s.lr * g.data[i]),
      ),
    fused: { kernel: 'sgdUpdate', composition: plainSgdComposition },
  },
  {
    name: 'sgdMomentumUpdate',
    family: 'fused',
    ops: ['sgdMomentumUpdate'],
    samples: updateSamples<SgdMomentumScalars>(3, [
      { name: 'momentum 0.9', args: { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false } },
      { name: 'nesterov', args: { lr: 0.05, momentum: 0.8, dampening: 0, nesterov: true } },
      { name: 'dampening 0.3', args: { lr: 0.1, momentum: 0.5, dampening: 0.3, nesterov: false } },
    ]),
    run: ([p, g, b], s: SgdMomentumScalars) => {
      const out = core.sgdMomentumUpdate(p, g, b, s);
      return core.stack([out.param, out.momentumBuffer]);
    },
    reference: ([p, g, b], s: SgdMomentumScalars) => {
      const param = new Float64Array(p.data.length);
      const buffer = new Float64Array(p.data.length);
      for (let i = 0; i < param.length; i++) {
        buffer[i] = s.momentum * b.data[i] + (1 - s.dampening) * g.data[i];
        const direction = s.nesterov ? g.data[i] + s.momentum * buffer[i] : buffer[i];
        param[i] = p.data[i] - s.lr * direction;
      }
      return stackRef(p.shape, [param, buffer]);
    },
    fused: { kernel: 'sgdMomentumUpdate', composition: sgdComposition },
  },
  {
    name: 'adamUpdate',
    family: 'fused',
    ops: ['adamUpdate'],
    samples: updateSamples<AdamUpdateScalars>(4, [
      { name: 'step 1', args: adamAt(1) },
      { name: 'step 50, betas 0.8 and 0.99', args: adamAt(50, 0.8, 0.99) },
    ]),
    run: ([p, g, m, v], s: AdamUpdateScalars) => {
      const out = core.adamUpdate(p, g, m, v, s);
      return core.stack([out.param, out.expAvg, out.expAvgSq]);
    },
    reference: ([p, g, m, v], s: AdamUpdateScalars) => {
      const n = p.data.length;
      const [param, expAvg, expAvgSq] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
      for (let i = 0; i < n; i++) {
        expAvg[i] = m.data[i] + (1 - s.beta1) * (g.data[i] - m.data[i]);
        expAvgSq[i] = s.beta2 * v.data[i] + (1 - s.beta2) * g.data[i] * g.data[i];
        const denom = Math.sqrt(expAvgSq[i]) / s.biasCorrection2Sqrt + s.eps;
        param[i] = p.data[i] - (s.stepSize * expAvg[i]) / denom;
      }
      return stackRef(p.shape, [param, expAvg, expAvgSq]);
    },
    fused: { kernel: 'adamUpdate', composition: adamComposition },
  },
];
