import { BackendError } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { gpujsBackend, probeMode } from '../src/index.js';

// A Vulkan driver list naming no driver file: Dawn (the `webgpu` package) then finds no adapter, as
// on a machine without a GPU or a software Vulkan. The loader reads this when Dawn creates its
// instance, which happens first in this file (each test file runs in its own process).
process.env.VK_DRIVER_FILES = '/nonexistent/backprop-no-vulkan-driver.json';
delete process.env.VK_ICD_FILENAMES;

describe('webgpu in Node without an adapter', () => {
  it("gpujsBackend({ mode: 'webgpu' }) rejects with a BackendError carrying Dawn's reason", async () => {
    const error = await Promise.resolve(gpujsBackend({ mode: 'webgpu' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    const message = (error as Error).message;
    expect(message).toMatch(/^gpujs: mode 'webgpu' is unavailable: Dawn found no adapter: /);
    // Dawn's own words (from its stderr), not a generic line: the Vulkan loader found no driver, or
    // (without libvulkan1) could not load Vulkan at all.
    expect(message).toMatch(/vkCreateInstance|Found no drivers|Couldn't load Vulkan/);
    expect(message).not.toContain('returned null and Dawn printed no reason');
    expect(message).toContain('VK_DRIVER_FILES');
  });

  it('probeMode gives the same reason, and leaves navigator.gpu unset', async () => {
    const probe = await probeMode('webgpu');
    expect(probe.available).toBe(false);
    expect(probe.reason).toMatch(/^Dawn found no adapter: /);
    expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeUndefined();
  });
});
