import { gpujsBackend, probeMode } from '@backprop/backend-gpujs';
import { describeBackendConformance } from '@backprop/conformance';
import { describe, expect, it } from 'vitest';
import { LIBRARY_TABLES } from '../src/index.js';

// The gpu.js modes that run in plain Node; the GL and browser modes run the op tables in
// backend-gpujs's own tests, and losses and optimizers are compositions of those ops.
for (const mode of ['webasm', 'cpu'] as const) {
  const probe = await probeMode(mode);
  if (probe.available) {
    describeBackendConformance(`gpujs-${mode}`, () => gpujsBackend({ mode }), {
      extraCases: LIBRARY_TABLES,
      builtinCases: false,
    });
  } else {
    describe(`gpujs ${mode}`, () => it(`${mode} runs in Node`, () => expect.fail(probe.reason)));
  }
}
