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
  /** MLP cases trained through `fit`: batches between reads of the loss. */
  logEvery?: number;
  file: string;
  args: string[];
}

/**
 * Sizes and batches: the issue's on a GPU; for `--quick` small matrices and one batch size, the
 * largest (fewest steps: webgpu on SwiftShader takes minutes per epoch at batch 64).
 */
export function gpuPlan(quick: boolean): GpuPlan {
  return quick
    ? { sizes: [128, 256], batches: [1024], epochs: 2, fitBatch: 1024, fitLogEvery: [1, 50] }
    : {
        sizes: [512, 1024, 2048, 4096],
        batches: [1024, 256, 64],
        epochs: 3,
        fitBatch: 64,
        fitLogEvery: [1, 50],
      };
}

/** What the GPU bench runs. */
export interface GpuPlan {
  sizes: number[];
  batches: number[];
  epochs: number;
  /** The batch of the MLP cases trained through `fit` (64 on a GPU: the most steps, so the most reads). */
  fitBatch: number;
  /** Their `logEvery`: the loss read after every batch, and every 50. */
  fitLogEvery: number[];
}

export function gpuCases(quick: boolean): GpuCase[] {
  const { sizes, batches, epochs, fitBatch, fitLogEvery } = gpuPlan(quick);
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
  // Batch 1024 first: it carries the issue's target, and a run cut short by the budget keeps it.
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
  // Last, so that a run cut short by the budget drops these first: training as a library user
  // does, through fit, reading the loss every batch and every 50 (on cpu every batch only).
  for (const backend of ['cpu', 'webgpu', 'headlessgl'])
    for (const logEvery of backend === 'cpu' ? fitLogEvery.slice(0, 1) : fitLogEvery)
      cases.push({
        id: `mlp-fit-${backend === 'cpu' ? 'cpu' : `gpujs-${backend}`}-b${fitBatch}-every${logEvery}`,
        benchmark: 'mlp',
        backend,
        batch: fitBatch,
        logEvery,
        file: 'mlp-backprop.ts',
        args: [
          ...(backend === 'cpu' ? ['--backend=cpu'] : ['--backend=gpujs', `--mode=${backend}`]),
          `--batch=${fitBatch}`,
          `--epochs=${epochs}`,
          `--log-every=${logEvery}`,
        ],
      });
  return cases;
}
