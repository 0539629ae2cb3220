/** What the memory tests share: the flat-count assertion and an in-process gpu.js backend. */
import { gpujsBackend, probeModeSync } from '@backprop/backend-gpujs';
import type { Backend } from '@backprop/core';
import { expect } from 'vitest';

/** After the first step (which creates the gradients and the optimizer's buffers) nothing changes. */
export function expectConstant(counts: number[]): void {
  const first = counts[0];
  const changed = counts.findIndex((c) => c !== first);
  expect(
    changed,
    `live tensors changed at step ${changed + 1}: ${counts.slice(0, changed + 2).join(', ')}`,
  ).toBe(-1);
}

/**
 * A gpujs backend named `name` in the first of its synchronous, in-process modes (webasm, then cpu)
 * that starts here; otherwise null, with the reason each mode gave.
 */
export async function loadGpujs(name: string): Promise<{ backend: Backend | null; reason: string }> {
  const reasons: string[] = [];
  for (const mode of ['webasm', 'cpu'] as const) {
    const probe = probeModeSync(mode);
    if (!probe.available) {
      reasons.push(`${mode}: ${probe.reason}`);
      continue;
    }
    try {
      const backend = (await gpujsBackend({ mode, name })) as Backend;
      return { backend, reason: '' };
    } catch (error) {
      reasons.push(`${mode}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return { backend: null, reason: `no in-process gpu.js mode starts here (${reasons.join('; ')})` };
}
