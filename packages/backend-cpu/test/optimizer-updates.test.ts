import '@backprop/backend-cpu';
import {
  type AdamUpdateScalars,
  ArgumentError,
  adamUpdate,
  add,
  DTypeError,
  div,
  mul,
  type SgdMomentumScalars,
  ShapeError,
  sgdMomentumUpdate,
  sgdUpdate,
  sqrt,
  sub,
  type Tensor,
  tensor,
  tidy,
} from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { randomValues } from './helpers.js';

const bits = (t: Tensor) => Array.from(new Uint32Array((t.dataSync() as Float32Array).buffer));

// 1037 elements run in the SIMD module (four lanes at a time, then one leftover); 100 in JavaScript.
for (const n of [1037, 100])
  describe(`fused optimizer updates, ${n} elements`, () => {
    const values = (seed: number, scale = 1) => tensor(randomValues(n, seed).map((v) => v * scale));
    for (const lr of [0.1, 3e-4]) {
      it(`plain SGD, lr ${lr}: the composition's bits`, () =>
        tidy(() => {
          const [p, g] = [values(1), values(2, 0.1)];
          const fused = sgdUpdate(p, g, { lr });
          expect(bits(fused)).toEqual(bits(sub(p, mul(g, lr))));
          expect(bits(fused)).not.toEqual(bits(p));
        }));
    }

    const sgd: SgdMomentumScalars[] = [
      { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false },
      { lr: 0.03, momentum: 0.7, dampening: 0, nesterov: true },
      { lr: 0.1, momentum: 0.5, dampening: 0.3, nesterov: false },
    ];
    for (const s of sgd) {
      it(`SGD momentum ${s.momentum}${s.nesterov ? ', nesterov' : ''}, dampening ${s.dampening}: the composition's bits`, () =>
        tidy(() => {
          const [p, g, b] = [values(1), values(2, 0.1), values(3, 0.1)];
          const fused = sgdMomentumUpdate(p, g, b, s);
          const buffer = add(mul(b, s.momentum), mul(g, 1 - s.dampening));
          const direction = s.nesterov ? add(g, mul(buffer, s.momentum)) : buffer;
          expect(bits(fused.momentumBuffer)).toEqual(bits(buffer));
          expect(bits(fused.param)).toEqual(bits(sub(p, mul(direction, s.lr))));
          // And not the input: the update moved every weight.
          expect(bits(fused.param)).not.toEqual(bits(p));
        }));
    }

    for (const step of [1, 2, 1000]) {
      it(`Adam at step ${step}: the composition's bits`, () =>
        tidy(() => {
          const [p, g, m, v] = [
            values(4),
            values(5, 0.01),
            values(6, 0.01),
            mul(values(7, 0.01), values(7, 0.01)),
          ];
          const s: AdamUpdateScalars = {
            beta1: 0.9,
            beta2: 0.999,
            stepSize: 1e-3 / (1 - 0.9 ** step),
            biasCorrection2Sqrt: Math.sqrt(1 - 0.999 ** step),
            eps: 1e-8,
          };
          const fused = adamUpdate(p, g, m, v, s);
          const m1 = add(m, mul(sub(g, m), 1 - s.beta1));
          const v1 = add(mul(v, s.beta2), mul(mul(g, g), 1 - s.beta2));
          const denom = add(div(sqrt(v1), s.biasCorrection2Sqrt), s.eps);
          expect(bits(fused.expAvg)).toEqual(bits(m1));
          expect(bits(fused.expAvgSq)).toEqual(bits(v1));
          expect(bits(fused.param)).toEqual(bits(sub(p, mul(div(m1, denom), s.stepSize))));
        }));
    }

    it('refuses tensors of other shapes or dtypes and scalars that are not finite, naming them', () =>
      tidy(() => {
        const s: SgdMomentumScalars = { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false };
        const [p, g] = [tensor([1, 2, 3]), tensor([0.1, 0.2, 0.3])];
        expect(() => sgdMomentumUpdate(p, g, tensor([1, 2]), s)).toThrow(ShapeError);
        expect(() => sgdMomentumUpdate(p, g, tensor([1, 2]), s)).toThrow(
          'sgdMomentumUpdate: momentumBuffer [2] does not match param [3] (expected one shape)',
        );
        expect(() => sgdMomentumUpdate(p, tensor(new Int32Array([1, 2, 3])), g, s)).toThrow(DTypeError);
        expect(() => sgdMomentumUpdate(p, g, g, { ...s, lr: Number.NaN })).toThrow(ArgumentError);
        expect(() => sgdMomentumUpdate(p, g, g, { ...s, lr: Number.NaN })).toThrow(
          'sgdMomentumUpdate: lr must be a finite number, got NaN',
        );
        expect(() => sgdUpdate(p, tensor([1, 2]), { lr: 0.1 })).toThrow(
          'sgdUpdate: grad [2] does not match param [3] (expected one shape)',
        );
        expect(() => sgdUpdate(p, g, { lr: Number.POSITIVE_INFINITY })).toThrow(
          'sgdUpdate: lr must be a finite number, got Infinity',
        );
      }));
  });
