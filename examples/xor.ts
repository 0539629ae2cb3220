import '@backprop/backend-cpu';
import { manualSeed, noGrad, randn, tensor, tidy, zeros } from '@backprop/core';

export function trainXor(): number[] {
  manualSeed(0);
  const x = tensor([
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ]);
  const y = tensor([[0], [1], [1], [0]]);
  // A 2-8-1 network; the weights are leaves that collect gradients.
  const w1 = randn([2, 8], { requiresGrad: true });
  const b1 = zeros([8], { requiresGrad: true });
  const w2 = randn([8, 1], { requiresGrad: true });
  const b2 = zeros([1], { requiresGrad: true });
  const params = [w1, b1, w2, b2];
  const lr = 0.5;
  const losses: number[] = [];

  for (let step = 0; step <= 1000; step++) {
    const loss = tidy(() => {
      const hidden = x.matmul(w1).add(b1).tanh(); // forward: linear, then nonlinear
      const p = hidden.matmul(w2).add(b2).sigmoid();
      const loss = p.sub(y).square().mean();
      loss.backward(); // backward: dL/dW for every leaf
      noGrad(() => {
        for (const w of params) {
          w.assign(w.sub(w.grad!.mul(lr))); // W ← W − α·dL/dW
          w.grad!.dispose();
          w.grad = null;
        }
      });
      return loss.item();
    });
    if (step % 200 === 0) {
      console.log(`step ${step}: loss ${loss.toFixed(4)}`);
      losses.push(loss);
    }
  }
  return losses;
}
trainXor();
