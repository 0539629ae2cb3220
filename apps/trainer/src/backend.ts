import '@backprop/backend-cpu';
import { listBackends, setBackend } from '@backprop/core';
import type { BackendName } from './config.js';

/** A backend that cannot be used here; the message says why and what to do. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
}

/**
 * Makes `name` the active backend. The CPU backend is always there (imported above); the gpu.js
 * backend is imported only when asked for, so the trainer starts fast and works where gpu.js
 * (or its native parts) cannot load.
 */
export async function useBackend(name: BackendName): Promise<void> {
  if (name === 'gpujs' && !listBackends().includes('gpujs')) {
    // A variable specifier keeps bundlers and the type checker from requiring the package.
    const specifier = '@backprop/backend-gpujs';
    try {
      await import(specifier);
    } catch (e) {
      throw new BackendUnavailableError(
        `the gpujs backend is not available: importing ${specifier} failed (${(e as Error).message}). ` +
          'Install and build @backprop/backend-gpujs, or run with --backend cpu.',
      );
    }
  }
  try {
    await setBackend(name);
  } catch (e) {
    throw new BackendUnavailableError(`the ${name} backend could not start: ${(e as Error).message}`);
  }
}
