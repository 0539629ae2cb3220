/** End to end: a tiny MLP trained for fixed seeded steps gives the float64 reference's losses, with a constant tensor count. */

import type { Tensor } from '@backprop/core';
import * as core from '@backprop/core';
import { mismatch } from '../compare.js';
import { prng } from '../inputs.js';
import { refTrainMlp } from '../reference/mlp.js';
import type { ToleranceConfig } from '../types.js';

const DIMS = { n: 16, d: 5, h: 8, c: 3 };
const STEPS = 6;
const LR = 0.5;

export async function checkTraining(tolerances: ToleranceConfig, backendName: string): Promise<void> {
  const random = prng(20240601);
  const draw = (n: number, scale: number) =>
    Array.from({ length: n }, () => Math.fround((2 * random() - 1) * scale));
  const { n, d, h, c } = DIMS;
  const xValues = draw(n * d, 2);
  const labels = Array.from({ length: n }, (_, i) => (i * 7 + 1) % c);
  const init = { w1: draw(h * d, 0.8), b1: draw(h, 0.1), w2: draw(c * h, 0.8), b2: draw(c, 0.1) };

  const expected = refTrainMlp(
    Float64Array.from(xValues),
    labels,
    DIMS,
    {
      w1: Float64Array.from(init.w1),
      b1: Float64Array.from(init.b1),
      w2: Float64Array.from(init.w2),
      b2: Float64Array.from(init.b2),
    },
    LR,
    STEPS,
  );

  const count = () => core.memory().numTensors;
  const baseline = count();
  const x = core.fromArray(xValues, [n, d]);
  const y = core.fromArray(Int32Array.from(labels), [n]);
  const params: Tensor[] = [
    core.fromArray(init.w1, [h, d], { requiresGrad: true }),
    core.fromArray(init.b1, [h], { requiresGrad: true }),
    core.fromArray(init.w2, [c, h], { requiresGrad: true }),
    core.fromArray(init.b2, [c], { requiresGrad: true }),
  ];
  const [w1, b1, w2, b2] = params;
  const losses: Tensor[] = [];
  const counts: number[] = [];
  try {
    for (let step = 0; step < STEPS; step++) {
      const loss = core.tidy(() => {
        const hidden = core.linear(x, w1, b1, 'tanh');
        const logits = core.linear(hidden, w2, b2);
        const l = core.mean(core.softmaxCrossEntropy(logits, y));
        core.backward(l);
        core.noGrad(() => {
          for (const p of params) {
            p.assign(core.sub(p, core.mul(p.grad!, LR)));
            p.grad!.dispose();
            p.grad = null;
          }
        });
        return core.detach(l);
      });
      losses.push(loss);
      counts.push(count() - losses.length);
    }
    const actual = await Promise.all(losses.map(async (l) => (await l.data())[0]));
    const tol = { atol: tolerances.referenceGrad.atol, rtol: tolerances.referenceGrad.rtol };
    const problem = mismatch(actual, expected, tol);
    if (problem)
      throw new Error(
        `training losses differ from the float64 reference: ${problem} (got ${actual.join(', ')})`,
      );
    if (new Set(counts).size !== 1)
      throw new Error(`the tensor count changes from step to step: ${counts.join(', ')} (on ${backendName})`);
  } finally {
    for (const t of [x, y, ...params, ...losses]) t.dispose();
  }
  if (count() !== baseline) throw new Error(`${count() - baseline} tensors leaked through training`);
}
