/** A compiled gpu.js kernel as this backend calls it: the run shortcut `createKernel` returns. */
export interface CompiledKernel {
  (...args: unknown[]): unknown;
  setOutput(output: number[]): void;
  /** The gpu.js kernel the shortcut runs. */
  readonly kernel: unknown;
  destroy?(removeCanvasReferences?: boolean): void;
}

/**
 * Compiled kernels keyed by their source: each distinct source is compiled once (by gpu.js,
 * lazily at its first call) and reused for every later call, whatever its sizes, since sizes are
 * arguments and outputs are resized per call.
 */
export class KernelCache {
  private readonly kernels = new Map<string, CompiledKernel>();
  /** Number of kernels built so far (compiles), for tests and diagnostics. */
  builds = 0;
  /** Number of lookups that found a compiled kernel. */
  hits = 0;

  constructor(private readonly create: (source: string) => CompiledKernel) {}

  /** The kernel compiled from `source`, built the first time it is asked for. */
  get(source: string): CompiledKernel {
    const found = this.kernels.get(source);
    if (found) {
      this.hits++;
      return found;
    }
    const kernel = this.create(source);
    this.builds++;
    this.kernels.set(source, kernel);
    return kernel;
  }

  get size(): number {
    return this.kernels.size;
  }

  /** Destroys every compiled kernel. */
  clear(): void {
    for (const kernel of this.kernels.values()) {
      try {
        kernel.destroy?.();
      } catch {
        // a kernel whose context is already gone has nothing left to free
      }
    }
    this.kernels.clear();
  }
}
