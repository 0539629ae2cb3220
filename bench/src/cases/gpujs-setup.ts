/**
 * Starts @backprop/backend-gpujs in the gpu.js mode a case asks for (`--mode`), or throws
 * `unavailable` with the reason when the package cannot be imported or the mode cannot run here.
 * Shared by the matmul and MLP cases, so both report a missing mode the same way.
 */
import type { GpujsBackend, GpujsMode } from '@backprop/backend-gpujs';
import { unavailable } from '../common.js';

export async function loadGpujs(mode: string, name: string): Promise<GpujsBackend> {
  let pkg: typeof import('@backprop/backend-gpujs');
  try {
    pkg = await import('@backprop/backend-gpujs');
  } catch (e) {
    throw unavailable(`@backprop/backend-gpujs cannot be imported: ${(e as Error).message.split('\n')[0]}`);
  }
  const probe = await pkg.probeMode(mode as GpujsMode);
  if (!probe.available) throw unavailable(`gpu.js mode '${mode}' is unavailable here: ${probe.reason}`);
  try {
    return (await pkg.gpujsBackend({ mode: probe.mode, name })) as GpujsBackend;
  } catch (e) {
    // e.g. headless-gl without an X server: the mode cannot run here.
    throw unavailable(`gpu.js mode '${mode}' could not start here: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** The notes every gpujs case adds about the mode it ran in. */
export function gpujsNotes(mode: string, backend: GpujsBackend): string[] {
  return [
    `gpu.js mode requested '${mode}', running '${backend.mode}'`,
    ...(backend.mode === 'headlessgl'
      ? ['headless-gl under xvfb-run; with no GPU in the machine, GL is a software renderer']
      : []),
  ];
}
