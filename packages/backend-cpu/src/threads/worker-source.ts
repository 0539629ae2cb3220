import { gemmShare, heapPacker } from '../kernels/gemm-loop.js';
import { softmaxLine, softmaxRowsShare } from '../kernels/softmax-rows.js';
import { JOB_KINDS } from './control.js';

/**
 * The worker's start message: the macro-kernel module built for shared memory, that memory, the
 * control block and its layout (control.ts), and how long a worker spins for the next job before it
 * sleeps (gemm-pool.ts `SPIN_MS`).
 */
export interface WorkerStart {
  moduleBytes: Uint8Array;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  layout: Record<string, number>;
  spinMs: number;
}

/**
 * The worker's whole program as source text, run with `new Worker(source, { eval: true })` in Node
 * and from a Blob URL in a browser, so no separate file has to be found next to the ESM, CommonJS or
 * TypeScript build. The kernels are the same functions the calling thread runs (`gemmShare` with
 * `heapPacker` over the module's packing, `softmaxRowsShare` with `softmaxLine`), inlined from their
 * own source text.
 *
 * The worker compiles the module, then loops: it watches the control block's generation for
 * `spinMs`, then sleeps on it (Atomics.wait is allowed in every worker), computes its share of the
 * job when its slot is in it, counts itself done and wakes the calling thread when it is the last.
 * It leaves the loop on stop.
 * Every macro-kernel call bumps the progress count, so the calling thread can tell a busy worker
 * from a dead one; a worker that throws counts itself failed and wakes the calling thread.
 */
export function workerSource(): string {
  return `"use strict";
const heapPacker = ${heapPacker.toString()};
const gemmShare = ${gemmShare.toString()};
const softmaxLine = ${softmaxLine.toString()};
const softmaxRowsShare = ${softmaxRowsShare.toString()};
const KINDS = ${JSON.stringify(JOB_KINDS)};
function run(start) {
  const L = start.layout;
  const control = new Int32Array(start.control);
  try {
    serve(start, L, control);
  } catch (error) {
    Atomics.add(control, L.failed, 1);
    Atomics.notify(control, L.ready);
    Atomics.notify(control, L.done);
    throw error;
  }
}
function serve(start, L, control) {
  const memory = start.memory;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(start.moduleBytes), { env: { memory } });
  const kernel = instance.exports.macro;
  const pack = heapPacker(instance.exports.pack);
  const macro = (mc, nc, kc, pa, pb, pc, ldc, accumulate) => {
    kernel(mc, nc, kc, pa, pb, pc, ldc, accumulate);
    Atomics.add(control, L.progress, 1);
  };
  const tick = () => Atomics.add(control, L.progress, 1);
  const job = control.subarray(L.job, L.length);
  // Read the generation before taking a slot: a job that counts this worker is posted after the slot is taken.
  let seen = Atomics.load(control, L.generation);
  const slot = Atomics.add(control, L.ready, 1);
  Atomics.notify(control, L.ready);
  let heap = new Float32Array(memory.buffer);
  for (;;) {
    const spinUntil = performance.now() + start.spinMs;
    while (Atomics.load(control, L.generation) === seen && performance.now() < spinUntil);
    Atomics.wait(control, L.generation, seen);
    const generation = Atomics.load(control, L.generation);
    if (generation === seen) continue;
    seen = generation;
    if (Atomics.load(control, L.stop) !== 0) return;
    const threads = Atomics.load(control, L.threads);
    if (slot + 1 >= threads) continue;
    // The calling thread grows the memory between jobs; a grown memory needs a new view.
    if (heap.byteLength !== memory.buffer.byteLength) heap = new Float32Array(memory.buffer);
    if (Atomics.load(control, L.kind) === KINDS.gemm) gemmShare(macro, heap, heap, heap, job, slot + 1, threads, pack);
    else softmaxRowsShare(heap, heap, job, slot + 1, threads, tick, softmaxLine);
    if (Atomics.add(control, L.done, 1) + 1 === threads - 1) Atomics.notify(control, L.done);
  }
}
const node = typeof process === "object" && process !== null && typeof process.versions?.node === "string";
if (node) {
  const { parentPort } = process.getBuiltinModule?.("node:worker_threads") ?? require("node:worker_threads");
  parentPort.once("message", (start) => run(start));
} else {
  self.onmessage = (event) => { run(event.data); self.close(); };
}
`;
}
