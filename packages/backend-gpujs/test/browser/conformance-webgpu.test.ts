import { describeModeConformance, GRADCHECK_ON_CPU_MODES } from '../mode-suite.js';
import { WEBGPU_SKIPS } from '../webgpu-skips.js';

// The same skips as webgpu in Node (test/conformance-webgpu.test.ts): see webgpu-skips.ts and mode-suite.ts.
await describeModeConformance('webgpu', { skip: { ...WEBGPU_SKIPS, ...GRADCHECK_ON_CPU_MODES } });
