import { describeBackendConformance } from '../src/index.js';
import { minimalBackend } from './minimal-backend.js';
import { hardTanh } from './readme-example.js';

// The whole suite against a backend with only the required kernels: core's compositions stand in
// for every fused kernel, so the fused-kernel checks report themselves skipped. The README's
// extra case rides along to show `extraCases`.
describeBackendConformance('minimal', () => minimalBackend(), {
  extraCases: [{ name: 'readme example', cases: [hardTanh] }],
});
