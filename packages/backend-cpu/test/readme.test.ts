import { expect, it } from 'vitest';

it('runs the README example', async () => {
  const logged: unknown[] = [];
  const log = (...args: unknown[]) => logged.push(args);
  // --- README example (console.log replaced by log) ---
  await import('@backprop/backend-cpu');
  const { linear, softmaxCrossEntropy, tensor } = await import('@backprop/core');

  const x = tensor([
    [0.5, -1],
    [2, 0.25],
  ]);
  const weight = tensor(
    [
      [1, 2],
      [-1, 0.5],
      [0, 1],
    ],
    { requiresGrad: true },
  );
  const bias = tensor([0, 0.1, -0.1], { requiresGrad: true });
  const labels = tensor(new Int32Array([2, 0]));

  const logits = linear(x, weight, bias, 'relu');
  const loss = softmaxCrossEntropy(logits, labels).mean();
  loss.backward();

  log(loss.item());
  log(weight.grad?.arraySync());
  // --- end of the README example ---

  // Row 0's logits are all clipped to 0 (loss ln 3); row 1's are [2.5, 0, 0.15] with label 0.
  const row1 = Math.log(1 + Math.exp(-2.5) + Math.exp(-2.35));
  expect(logged[0]).toEqual([expect.closeTo((Math.log(3) + row1) / 2, 5)]);
  // Only row 1 passes relu on units 0 and 2: dL/dW[j] = (softmax − onehot)[j] · x[1] / 2 there, 0 elsewhere.
  const e = [Math.exp(2.5), 1, Math.exp(0.15)];
  const total = e[0] + e[1] + e[2];
  const g0 = (e[0] / total - 1) / 2;
  const g2 = e[2] / total / 2;
  const grad = (logged[1] as [number[][]])[0];
  const expected = [
    [g0 * 2, g0 * 0.25],
    [0, 0],
    [g2 * 2, g2 * 0.25],
  ];
  grad.forEach((row, i) => {
    row.forEach((v, j) => {
      expect(v).toBeCloseTo(expected[i][j], 6);
    });
  });
});
