/**
 * @backprop/core: tensors with reverse-mode autograd, the Backend interface, backend selection and
 * memory accounting (`tidy`), the op library and the seeded generator. What backend authors need
 * beyond that (the engine, `makeTensor`, the tape) is in `@backprop/core/backend`.
 */
import './methods.js';
import './methods-extra.js';
import './gradients/index.js';
import type { BackendFactory } from './backend/backend.js';
import { ENGINE, type MemoryInfo } from './engine/engine.js';
import type { Tensor } from './tensor.js';

export { type BackwardOptions, backward } from './autograd/backward.js';
export { grad, type ValueAndGrads, valueAndGrad } from './autograd/functional.js';
export { enableGrad, isGradEnabled, noGrad } from './autograd/grad-mode.js';
export {
  type GradcheckMismatch,
  type GradcheckOptions,
  type GradcheckResult,
  gradcheck,
  gradcheckAsync,
} from './autograd/gradcheck.js';
export * from './backend/backend.js';
export { readIfCheap } from './cheap-read.js';
export { describeValue } from './describe.js';
export * from './dtype.js';
export type { MemoryInfo } from './engine/engine.js';
export * from './errors.js';
export * from './ops/activation.js';
export * from './ops/arithmetic.js';
export { binaryCrossEntropy } from './ops/binary-cross-entropy.js';
export * from './ops/cast.js';
export * from './ops/compare.js';
export { composite } from './ops/composite.js';
export * from './ops/conv.js';
export * from './ops/creation.js';
export * from './ops/device.js';
export * from './ops/fused.js';
export * from './ops/gather.js';
export * from './ops/join.js';
export * from './ops/matmul.js';
export * from './ops/movement.js';
export type { TensorOrScalar } from './ops/operands.js';
export * from './ops/optimizer-updates.js';
export * from './ops/pool.js';
export * from './ops/reduce.js';
export * from './ops/slice.js';
export * from './ops/softmax.js';
export * from './ops/unary.js';
export * from './random/generator.js';
export * from './shape.js';
export { type GradNode, type NestedArray, Tensor } from './tensor.js';

/** Registers a backend factory under `name`; the highest priority is the default. */
export function registerBackend(name: string, factory: BackendFactory, priority = 1): void {
  ENGINE.register(name, factory, priority);
}

/** Makes `name` the active backend (initialising it once). New tensors go there. */
export async function setBackend(name: string): Promise<void> {
  await ENGINE.setBackend(name);
}

/** Initialises a backend without making it active, so tensors can be moved there with `t.to(name)`. */
export async function initBackend(name: string): Promise<void> {
  await ENGINE.initBackend(name);
}

/** The active backend's name, as it was registered. */
export function getBackend(): string {
  return ENGINE.deviceOf(ENGINE.activeBackend());
}

/** Names of the registered backends. */
export function listBackends(): string[] {
  return ENGINE.registeredBackends();
}

/** Live tensors and bytes, in all and per backend. */
export function memory(): MemoryInfo {
  return ENGINE.memory();
}

/** Runs `fn` and disposes every tensor it made, except those it returns and those kept with `keep`. */
export function tidy<T>(fn: () => T): T {
  return ENGINE.tidy(fn);
}

/** Exempts a tensor from the enclosing `tidy` scopes. */
export function keep<T extends Tensor>(t: T): T {
  return ENGINE.keep(t);
}

/** Disposes tensors (nested in arrays or objects too). */
export function dispose(...items: unknown[]): void {
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    if ('dispose' in v && typeof v.dispose === 'function' && 'isDisposed' in v) v.dispose();
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v.constructor === Object) Object.values(v).forEach(visit);
  };
  items.forEach(visit);
}

// The op library beyond the kernels' own ops: movement/indexing, scans, order, norms, math, logic, einsum.
export * from './ops/einsum.js';
export * from './ops/indexing.js';
export * from './ops/logic.js';
export * from './ops/math.js';
export * from './ops/norm.js';
export * from './ops/scan.js';
export * from './ops/sort.js';
export { checkBoolean, checkOptions } from './validate.js';
