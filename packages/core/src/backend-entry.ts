/**
 * @backprop/core/backend: what a backend author, a conformance suite or a library that reaches
 * below the op library needs, kept out of the main entry so users' autocomplete shows ops:
 * the engine (registry, storage and tensor accounting), `makeTensor` to wrap a kernel's output,
 * `tensorInfo`/`tensorStorage` to see a tensor as a kernel does, and the tape (`record`).
 * The Backend interface and its types are in the main entry.
 */
export { type GradientRule, type RecordedCall, record } from './autograd/tape.js';
export { ENGINE, Engine, type MemoryInfo, type Trackable } from './engine/engine.js';
export { makeTensor } from './engine/make-tensor.js';
export { Storage } from './engine/storage.js';
export { tensorInfo, tensorStorage } from './tensor.js';
