import type { ConformanceOptions } from '@backprop/conformance';
import { describeBackendConformance } from '@backprop/conformance';
import { describe, expect, it } from 'vitest';
import { type GpujsBackend, type GpujsMode, gpujsBackend, probeMode } from '../src/index.js';

/**
 * Modes that must run: a comma-separated list in BACKPROP_GPUJS_REQUIRE (e.g. `webasm,cpu,headlessgl`
 * in CI), so an environment that lost a mode fails instead of quietly skipping it.
 */
function required(mode: GpujsMode): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return (env?.BACKPROP_GPUJS_REQUIRE ?? '')
    .split(',')
    .map((m) => m.trim())
    .includes(mode);
}

/**
 * What the software-GPU modes (headlessgl, webgl2 and webgpu, on Mesa and SwiftShader) skip:
 * gradcheck's float32 central differences, two forward passes per input element for about 800
 * samples, which were half of each Chromium mode's CPU time in CI. Backward is still checked in
 * every mode, against the float64 reference gradient (a stronger check of the same gradients);
 * gradcheck itself runs in the cpu and webasm modes, and core's tests run `gradcheckAsync` on a
 * backend that reads only asynchronously.
 */
export const GRADCHECK_ON_CPU_MODES: NonNullable<ConformanceOptions['skip']> = {
  gradcheck:
    'float32 central differences run in the cpu and webasm modes; here every gradient is checked against the float64 reference',
};

/**
 * Whether `mode` is available here. Where it is not, reports one skipped test whose name says why
 * (never a silent pass), or a failing one where BACKPROP_GPUJS_REQUIRE names the mode.
 */
export async function availableOrReported(mode: GpujsMode): Promise<boolean> {
  const probe = await probeMode(mode);
  if (probe.available) return true;
  // Printed as well as named in the skipped test: reporters do not list skipped tests' names.
  console.warn(`SKIPPED gpujs ${mode}: ${probe.reason}`);
  describe(`gpujs ${mode}`, () => {
    if (required(mode))
      it(`${mode} is required (BACKPROP_GPUJS_REQUIRE) but unavailable: ${probe.reason}`, () =>
        expect.fail(probe.reason));
    else it.skip(`${mode} unavailable here: ${probe.reason}`, () => {});
  });
  return false;
}

/**
 * Runs the conformance suite in one gpu.js mode when it is available here (see
 * `availableOrReported`). Top-level await: vitest files are ESM.
 */
export async function describeModeConformance(
  mode: GpujsMode,
  options: ConformanceOptions = {},
): Promise<void> {
  if (!(await availableOrReported(mode))) return;
  describe(`gpujs ${mode}`, () => {
    it(`runs kernels in mode ${mode}`, async () => {
      const backend = (await gpujsBackend({ mode })) as GpujsBackend;
      expect(backend.mode).toBe(mode);
      expect(backend.floatPrecision()).toBe(32);
      backend.destroy();
    });
    it(`runs one kernel at two output sizes back to back, before its first run has finished (${mode})`, async () => {
      const backend = (await gpujsBackend({ mode })) as GpujsBackend;
      const vector = (values: number[]) => {
        const shape = [values.length];
        return {
          dataId: backend.write(Float32Array.from(values), shape, 'float32'),
          shape,
          dtype: 'float32' as const,
        };
      };
      const short = vector([1, 2, 3]);
      const long = vector([1, 2, 3, 4, 5, 6, 7]);
      // Both inputs are uploaded first; then, on webgpu, both calls come while the kernel still compiles.
      await backend.read(short);
      await backend.read(long);
      const negLong = backend.unary('neg', long);
      const negShort = backend.unary('neg', short);
      expect([...(await backend.read({ ...long, dataId: negLong }))]).toEqual([-1, -2, -3, -4, -5, -6, -7]);
      expect([...(await backend.read({ ...short, dataId: negShort }))]).toEqual([-1, -2, -3]);
      backend.destroy();
    });
  });
  describeBackendConformance(`gpujs-${mode}`, () => gpujsBackend({ mode }), options);
}
