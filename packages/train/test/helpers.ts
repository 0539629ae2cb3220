import { fromArray, Generator, manualSeed, type Tensor } from '@backprop/core';
import { DataLoader, TensorDataset } from '@backprop/data';
import { crossEntropy } from '@backprop/losses';
import { Dropout, Linear, ReLU, Sequential } from '@backprop/nn';

/**
 * Three Gaussian blobs in 2-D (centres on a circle of radius 3, unit spread): n samples, labels
 * 0..2, drawn from a seeded generator so every test sees the same data.
 */
export function blobs(n: number, seed: number): { x: Tensor; y: Tensor } {
  const g = new Generator(seed);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    const angle = (2 * Math.PI * k) / 3;
    x[2 * i] = 3 * Math.cos(angle) + 0.8 * g.normal();
    x[2 * i + 1] = 3 * Math.sin(angle) + 0.8 * g.normal();
    y[i] = k;
  }
  return { x: fromArray(x, [n, 2]), y: fromArray(y, [n], { dtype: 'int32' }) };
}

/** A seeded 2-16-3 MLP with dropout (so resuming must restore the global generator too). */
export function mlp(seed = 0): Sequential {
  manualSeed(seed);
  return new Sequential(new Linear(2, 16), new ReLU(), new Dropout(0.2), new Linear(16, 3));
}

/** Loaders over 96 training and 48 validation samples. */
export function loaders(): {
  train: DataLoader<Tensor[], Tensor[]>;
  validation: DataLoader<Tensor[], Tensor[]>;
} {
  const a = blobs(96, 1);
  const b = blobs(48, 2);
  return {
    train: new DataLoader(new TensorDataset(a.x, a.y), { batchSize: 16, shuffle: true, seed: 7 }),
    validation: new DataLoader(new TensorDataset(b.x, b.y), { batchSize: 24 }),
  };
}

export const loss = (out: Tensor, y: Tensor): Tensor => crossEntropy(out, y);

/** A model's weights as plain arrays, to compare bit for bit. */
export async function weightsOf(model: Sequential): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [k, t] of Object.entries(model.stateDict())) out[k] = Array.from(await t.data());
  return out;
}
