/**
 * What the runtime offers for threads: how to start a worker from source text (Node's
 * `worker_threads`, or Web Workers in a cross-origin-isolated page), how many cores there are, and
 * whether this thread may block in `Atomics.wait` (not on a browser page's main thread).
 */

/** A started worker, whatever the runtime. */
export interface WorkerHandle {
  postMessage(message: unknown): void;
  terminate(): void;
}

/**
 * Starts workers from source text (`onStop` hears, with a reason, that one threw or exited), or
 * says why this runtime cannot.
 */
export type WorkerStarter =
  | { ok: true; start: (source: string, onStop: (reason: string) => void) => WorkerHandle }
  | { ok: false; reason: string };

interface NodeWorker {
  postMessage(message: unknown): void;
  terminate(): Promise<number>;
  unref(): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
}

interface NodeWorkerThreads {
  Worker: new (source: string, options: { eval: true; execArgv: string[] }) => NodeWorker;
}

interface NodeProcess {
  versions?: { node?: string };
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (name: string) => unknown;
}

const nodeProcess = (globalThis as { process?: NodeProcess }).process;
const isNode = typeof nodeProcess?.versions?.node === 'string';

/** A Node built-in, loaded synchronously from both the ESM and the CommonJS build. */
function nodeBuiltin<T>(name: string): T | null {
  // process.getBuiltinModule: Node ≥ 20.16 and 22.3, in ESM and CommonJS alike.
  const viaProcess = nodeProcess?.getBuiltinModule?.(name);
  if (viaProcess) return viaProcess as T;
  try {
    // A bundler's ESM output may stand in a `require` that throws: that runtime gets one thread.
    return typeof require === 'function' ? (require(name) as T) : null;
  } catch {
    return null;
  }
}

/** How to start workers here. */
export function workerStarter(): WorkerStarter {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined')
    return {
      ok: false,
      reason:
        typeof window !== 'undefined'
          ? 'SharedArrayBuffer is unavailable: the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)'
          : 'SharedArrayBuffer is unavailable in this runtime',
    };
  if (isNode) {
    const threads = nodeBuiltin<NodeWorkerThreads>('node:worker_threads');
    if (!threads)
      return { ok: false, reason: 'node:worker_threads cannot be loaded synchronously (Node < 20.16)' };
    return {
      ok: true,
      start: (source, onStop) => {
        // No inherited flags: the worker is plain JavaScript (no loader hooks to start), and
        // `--input-type=module` would take the CommonJS `require` from it.
        const worker = new threads.Worker(source, { eval: true, execArgv: [] });
        // A pool of idle workers must not keep the process alive.
        worker.unref();
        worker.on('error', (error) => onStop(`a worker threw: ${error.message}`));
        worker.on('exit', (code) => onStop(`a worker exited with code ${code}`));
        return { postMessage: (m) => worker.postMessage(m), terminate: () => void worker.terminate() };
      },
    };
  }
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (typeof Worker === 'undefined' || typeof Blob === 'undefined' || typeof URL === 'undefined')
    return { ok: false, reason: 'this runtime has no Web Workers' };
  if (isolated === false)
    return {
      ok: false,
      reason:
        'the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)',
    };
  return {
    ok: true,
    start: (source, onStop) => {
      const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
      const worker = new Worker(url);
      worker.onerror = (event) => onStop(`a worker threw: ${event.message}`);
      return { postMessage: (m) => worker.postMessage(m), terminate: () => worker.terminate() };
    },
  };
}

/** The cores this process may use: `os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in a browser. */
export function availableCores(): number {
  if (isNode) {
    const os = nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>('node:os');
    if (os) return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

/** An environment variable where there is one (Node), else undefined. */
export function environmentVariable(name: string): string | undefined {
  return nodeProcess?.env?.[name];
}

let blocking: boolean | undefined;

/**
 * Whether this thread may sleep in `Atomics.wait`: yes in Node (main thread included) and in
 * workers, no on a browser page's main thread, where it throws; there the pool spins on
 * `Atomics.load` instead.
 */
export function canBlock(): boolean {
  if (blocking === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blocking = true;
    } catch {
      blocking = false;
    }
  }
  return blocking;
}
