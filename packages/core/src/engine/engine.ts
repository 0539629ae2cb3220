import type { Backend, BackendFactory, DataId } from '../backend/backend.js';
import { BackendError } from '../errors.js';
import { Storage } from './storage.js';

/** Anything the engine tracks: a tensor that can be disposed. */
export interface Trackable {
  readonly id: number;
  readonly isDisposed: boolean;
  dispose(): void;
}

/** Live tensors and bytes, in all and per backend. */
export interface MemoryInfo {
  numTensors: number;
  numBytes: number;
  backends: Record<string, { numTensors: number; numBytes: number }>;
}

interface Registration {
  factory: BackendFactory;
  priority: number;
}

/** The registry of backends, the active one, memory accounting and `tidy` scopes. */
export class Engine {
  private readonly registry = new Map<string, Registration>();
  private readonly instances = new Map<string, Backend>();
  /** The registry name each instance was made under: one backend class may be registered under several names. */
  private readonly registeredNames = new WeakMap<Backend, string>();
  private readonly pending = new Map<string, Promise<Backend>>();
  private active: Backend | null = null;
  private readonly tensorCounts = new Map<string, number>();
  private readonly byteCounts = new Map<string, number>();
  private readonly scopes: Set<Trackable>[] = [];
  private nextTensorId = 0;

  register(name: string, factory: BackendFactory, priority = 1): void {
    this.registry.set(name, { factory, priority });
  }

  registeredBackends(): string[] {
    return [...this.registry.keys()];
  }

  /** Instantiates a backend (once) and makes it the active one. */
  async setBackend(name: string): Promise<Backend> {
    const backend = await this.initBackend(name);
    this.active = backend;
    return backend;
  }

  /** Instantiates a registered backend without making it active. */
  async initBackend(name: string): Promise<Backend> {
    const existing = this.instances.get(name);
    if (existing) return existing;
    const registration = this.lookup(name);
    let promise = this.pending.get(name);
    if (!promise) {
      promise = Promise.resolve(registration.factory());
      this.pending.set(name, promise);
    }
    try {
      const backend = await promise;
      this.keepInstance(name, backend);
      return backend;
    } finally {
      this.pending.delete(name);
    }
  }

  /** The active backend; without a `setBackend` call, the highest-priority registered backend whose factory is synchronous. */
  activeBackend(): Backend {
    if (this.active) return this.active;
    const byPriority = [...this.registry.entries()].sort((a, b) => b[1].priority - a[1].priority);
    for (const [name] of byPriority) {
      const backend = this.instances.get(name) ?? this.trySyncInit(name);
      if (backend) {
        this.active = backend;
        return backend;
      }
    }
    throw new BackendError(
      byPriority.length === 0
        ? 'no backend is registered: import a backend package (e.g. @backprop/backend-cpu) before creating tensors'
        : `no backend is ready: registered ${byPriority.map(([n]) => n).join(', ')} need initialising; call await setBackend(name) first`,
    );
  }

  /** A backend by name for moving data there; it must have been initialised (or have a synchronous factory). */
  backendByName(name: string): Backend {
    const backend = this.instances.get(name) ?? this.trySyncInit(name);
    if (!backend)
      throw new BackendError(
        `backend '${name}' is not initialised: call await initBackend('${name}') or setBackend('${name}') first`,
      );
    return backend;
  }

  private trySyncInit(name: string): Backend | null {
    const registration = this.lookup(name);
    const made = registration.factory();
    if (made instanceof Promise) {
      this.pending.set(name, made);
      made.then((b) => this.keepInstance(name, b)).finally(() => this.pending.delete(name));
      return null;
    }
    this.keepInstance(name, made);
    return made;
  }

  private keepInstance(name: string, backend: Backend): void {
    this.instances.set(name, backend);
    if (!this.registeredNames.has(backend)) this.registeredNames.set(backend, name);
  }

  /**
   * The name tensors on `backend` report as their device and `.to()` takes: the name it was
   * registered under (`cpuBackend({ threads: 1 })` registered as 'cpu-1' is 'cpu-1', not 'cpu'),
   * its own name for an instance made outside the registry.
   */
  deviceOf(backend: Backend): string {
    return this.registeredNames.get(backend) ?? backend.name;
  }

  private lookup(name: string): Registration {
    const registration = this.registry.get(name);
    if (!registration) {
      throw new BackendError(
        `backend '${name}' is not registered (registered: ${this.registeredBackends().join(', ') || 'none'})`,
      );
    }
    return registration;
  }

  /** Removes a backend instance (and unregisters it when `unregister`), destroying what it holds. */
  removeBackend(name: string, unregister = false): void {
    const backend = this.instances.get(name);
    backend?.destroy?.();
    this.instances.delete(name);
    if (this.active === backend) this.active = null;
    if (unregister) this.registry.delete(name);
  }

  newTensorId(): number {
    return this.nextTensorId++;
  }

  /** Wraps a fresh data handle, counting its bytes. */
  newStorage(backend: Backend, dataId: DataId, bytes: number): Storage {
    const device = this.deviceOf(backend);
    this.byteCounts.set(device, (this.byteCounts.get(device) ?? 0) + bytes);
    return new Storage(backend, device, dataId, bytes);
  }

  retainStorage(storage: Storage): void {
    storage.refCount++;
  }

  releaseStorage(storage: Storage): void {
    if (--storage.refCount > 0) return;
    storage.backend.dispose(storage.dataId);
    const name = storage.device;
    this.byteCounts.set(name, (this.byteCounts.get(name) ?? 0) - storage.bytes);
  }

  /** Counts a new tensor and adds it to the innermost `tidy` scope. */
  trackTensor(t: Trackable, backendName: string): void {
    this.countTensor(backendName, 1);
    this.scopes[this.scopes.length - 1]?.add(t);
  }

  untrackTensor(t: Trackable, backendName: string): void {
    this.countTensor(backendName, -1);
    for (const scope of this.scopes) scope.delete(t);
  }

  /** Moves a live tensor's count from one backend to another (an in-place move). */
  recountTensor(from: string, to: string): void {
    this.countTensor(from, -1);
    this.countTensor(to, 1);
  }

  private countTensor(backendName: string, delta: number): void {
    this.tensorCounts.set(backendName, (this.tensorCounts.get(backendName) ?? 0) + delta);
  }

  /** Takes a tensor out of every open scope, so `tidy` leaves it alive. */
  keep<T extends Trackable>(t: T): T {
    for (const scope of this.scopes) scope.delete(t);
    return t;
  }

  /** Runs `fn`, then disposes every tensor it created except those in its result and those kept. */
  tidy<T>(fn: () => T): T {
    const scope = new Set<Trackable>();
    this.scopes.push(scope);
    let result: T;
    try {
      result = fn();
    } catch (error) {
      // What fn made before it threw is unreachable: free it rather than leak it.
      this.scopes.pop();
      for (const t of scope) t.dispose();
      throw error;
    }
    this.scopes.pop();
    if (result instanceof Promise)
      throw new BackendError('tidy: the function must be synchronous (it returned a Promise)');
    const survivors = new Set<Trackable>();
    collectTrackables(result, survivors);
    for (const t of scope) if (!survivors.has(t)) t.dispose();
    const parent = this.scopes[this.scopes.length - 1];
    if (parent) for (const t of survivors) if (scope.has(t)) parent.add(t);
    return result;
  }

  memory(): MemoryInfo {
    const backends: MemoryInfo['backends'] = {};
    let numTensors = 0;
    let numBytes = 0;
    for (const name of new Set([...this.tensorCounts.keys(), ...this.byteCounts.keys()])) {
      const tensors = this.tensorCounts.get(name) ?? 0;
      const bytes = this.byteCounts.get(name) ?? 0;
      backends[name] = { numTensors: tensors, numBytes: bytes };
      numTensors += tensors;
      numBytes += bytes;
    }
    return { numTensors, numBytes, backends };
  }
}

function collectTrackables(value: unknown, out: Set<Trackable>, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 4) return;
  if ('dispose' in value && 'isDisposed' in value && 'id' in value) {
    out.add(value as Trackable);
    return;
  }
  if (Array.isArray(value)) for (const v of value) collectTrackables(v, out, depth + 1);
  else if (value.constructor === Object || value instanceof Map) {
    for (const v of value instanceof Map ? value.values() : Object.values(value))
      collectTrackables(v, out, depth + 1);
  }
}

/** The process-wide engine. */
export const ENGINE = new Engine();
