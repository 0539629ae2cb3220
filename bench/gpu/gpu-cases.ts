/**
 * The GPU bench's cases: `pnpm bench`'s case files (bench/src/cases) with GPU sizes, on the cpu
 * backend and on gpujs in webgpu and headlessgl mode.
 */

/** One child process: a case file of bench/src/cases with its arguments. */
export interface GpuCase {
  id: string;
  benchmark: 'matmul' | 'mlp';
  /** `cpu`, `headlessgl` or `webgpu`. */
  backend: string;
  /** MLP batch size (mlp cases only). */
  batch?: number;
  file: string;
  args: string[];
}

/**
 * Sizes and batches: the on a GPU; for `--quick` small matrices and one batch size, the
 * largest (fewest steps: webgpu on SwiftShader takes minutes per epoch at batch 64).
 */
export function gpuPlan(quick: boolean): { sizes: number[]; batches: number[]; epochs: number } {
  return quick
    ? { sizes: [128, 256], batches: [1024], epochs: 2 }
    : { sizes: [512, 1024, 2048, 4096], batches: [1024, 256, 64], epochs: 3 };
}

export function gpuCases(quick: boolean): GpuCase[] {
  const { sizes, batches, epochs } = gpuPlan(quick);
  const sizeArg = `--sizes=${sizes.join(',')}`;
  const cases: GpuCase[] = [
    {
      id: 'matmul-cpu',
      benchmark: 'matmul',
      backend: 'cpu',
      file: 'matmul-backprop-cpu.ts',
      args: [sizeArg],
    },
    {
      id: 'matmul-gpujs-webgpu',
      benchmark: 'matmul',
      backend: 'webgpu',
      file: 'matmul-gpujs.ts',
      args: ['--mode=webgpu', sizeArg],
    },
    {
      id: 'matmul-gpujs-headlessgl',
      benchmark: 'matmul',
      backend: 'headlessgl',
      file: 'matmul-gpujs.ts',
      args: ['--mode=headlessgl', sizeArg],
    },
  ];
  // Batch 1024 first: it carries the target, and a run cut short by the budget keeps it.
  for (const batch of batches) {
    const common = [`--batch=${batch}`, `--epochs=${epochs}`];
    cases.push(
      {
        id: `mlp-cpu-b${batch}`,
        benchmark: 'mlp',
        backend: 'cpu',
        batch,
        file: 'mlp-backprop.ts',
        args: ['--backend=cpu', ...common],
      },
      {
        id: `mlp-gpujs-webgpu-b${batch}`,
        benchmark: 'mlp',
        backend: 'webgpu',
        batch,
        file: 'mlp-backprop.ts',
        args: ['--backend=gpujs', '--mode=webgpu', ...common],
      },
      {
        id: `mlp-gpujs-headlessgl-b${batch}`,
        benchmark: 'mlp',
        backend: 'headlessgl',
        batch,
        file: 'mlp-backprop.ts',
        args: ['--backend=gpujs', '--mode=headlessgl', ...common],
      },
    );
  }
  return cases;
}
