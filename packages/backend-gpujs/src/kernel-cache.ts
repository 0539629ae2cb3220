/** A compiled gpu.js kernel as this backend calls it: the run shortcut `createKernel` returns. */
export interface CompiledKernel {
  (...args: unknown[]): unknown;
  destroy?(removeCanvasReferences?: boolean): void;
}

/** What a kernel family hands the cache to build a kernel the first time its key is seen. */
export interface KernelSpec {
  /** The kernel function's JavaScript source, with every shape-dependent number baked in. */
  source: string;
  /** Types of scalar arguments (`'Float'`), by position; tensor arguments are left to gpu.js. */
  argumentTypes?: readonly (string | undefined)[];
}

/**
 * Compiled kernels keyed by op, shapes and dtypes: each distinct key is compiled once (by gpu.js,
 * lazily at its first call) and reused for every later call with the same key.
 */
export class KernelCache {
  private readonly kernels = new Map<string, CompiledKernel>();
  /** Number of kernels built so far (compiles), for tests and diagnostics. */
  builds = 0;
  /** Number of lookups that found a compiled kernel. */
  hits = 0;

  constructor(private readonly create: (spec: KernelSpec, outputSize: number) => CompiledKernel) {}

  /** The kernel for `key`, building it from `spec()` with an output of `outputSize` elements the first time. */
  get(key: string, outputSize: number, spec: () => KernelSpec): CompiledKernel {
    const fullKey = `${key}->${outputSize}`;
    const found = this.kernels.get(fullKey);
    if (found) {
      this.hits++;
      return found;
    }
    const kernel = this.create(spec(), outputSize);
    this.builds++;
    this.kernels.set(fullKey, kernel);
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
