/**
 * Matmul throughput of @backprop/backend-cpu beside a naive i-k-j triple loop, measured in the same
 * run on the same inputs: GFLOP/s (2·n³ flops per product) as the median of several repetitions.
 * Writes bench/results/matmul-cpu.json. Run with `pnpm --filter @backprop/bench bench`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuBackend } from '@backprop/backend-cpu';
import { Generator } from '@backprop/core';

const SIZES = [128, 256, 512, 1024];

/** The baseline: C = A·B for square n×n matrices with the cache-friendly i-k-j loop order. */
function naiveMatmul(a: Float32Array, b: Float32Array, n: number): Float32Array {
  const c = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      const bRow = k * n;
      const cRow = i * n;
      for (let j = 0; j < n; j++) c[cRow + j] += aik * b[bRow + j];
    }
  }
  return c;
}

/**
 * Median seconds of `reps` runs of each function after one warm-up run of each. The runs alternate,
 * so both see the same machine load (other processes, frequency changes) and the ratio stays fair.
 */
function interleavedMedians(reps: number, fns: readonly (() => void)[]): number[] {
  for (const fn of fns) fn();
  const times = fns.map((): number[] => []);
  for (let r = 0; r < reps; r++) {
    fns.forEach((fn, i) => {
      const start = performance.now();
      fn();
      times[i].push((performance.now() - start) / 1000);
    });
  }
  return times.map((list) => list.sort((x, y) => x - y)[Math.floor(list.length / 2)]);
}

function randomMatrix(n: number, generator: Generator): Float32Array {
  const values = new Float32Array(n * n);
  for (let i = 0; i < values.length; i++) values[i] = generator.uniform() * 2 - 1;
  return values;
}

const backend = cpuBackend();
const generator = new Generator(0);
const results = [];
console.log('size   backend-cpu GFLOP/s   naive i-k-j GFLOP/s   speed-up   max |diff|');
for (const n of SIZES) {
  const a = randomMatrix(n, generator);
  const b = randomMatrix(n, generator);
  const shape = [1, n, n];
  const aInfo = { dataId: backend.write(a, shape, 'float32'), shape, dtype: 'float32' as const };
  const bInfo = { dataId: backend.write(b, shape, 'float32'), shape, dtype: 'float32' as const };
  const reps = n >= 1024 ? 5 : n >= 512 ? 7 : 15;
  const flops = 2 * n ** 3;
  let blocked: Float32Array = new Float32Array(0);
  let naive: Float32Array = new Float32Array(0);
  const [blockedSeconds, naiveSeconds] = interleavedMedians(reps, [
    () => {
      const out = backend.matmul(aInfo, bInfo, false, false);
      blocked = backend.readSync({ dataId: out, shape, dtype: 'float32' }) as Float32Array;
      backend.dispose(out);
    },
    () => {
      naive = naiveMatmul(a, b, n);
    },
  ]);
  let maxDiff = 0;
  for (let i = 0; i < naive.length; i++) maxDiff = Math.max(maxDiff, Math.abs(naive[i] - blocked[i]));
  const row = {
    size: n,
    reps,
    backendCpuGflops: flops / blockedSeconds / 1e9,
    naiveGflops: flops / naiveSeconds / 1e9,
    speedup: naiveSeconds / blockedSeconds,
    backendCpuMedianMs: blockedSeconds * 1000,
    naiveMedianMs: naiveSeconds * 1000,
    maxAbsDiff: maxDiff,
  };
  results.push(row);
  console.log(
    `${String(n).padEnd(6)} ${row.backendCpuGflops.toFixed(2).padStart(19)} ${row.naiveGflops.toFixed(2).padStart(21)} ${row.speedup.toFixed(2).padStart(9)}x ${maxDiff.toExponential(2).padStart(12)}`,
  );
}

const out = resolve(dirname(fileURLToPath(import.meta.url)), '../results/matmul-cpu.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ benchmark: 'matmul', backend: 'cpu', node: process.version, date: new Date().toISOString(), results }, null, 2)}\n`,
);
console.log(`wrote ${out}`);
