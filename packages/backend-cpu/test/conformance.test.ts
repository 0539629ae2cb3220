import { describeBackendConformance } from '@backprop/conformance';
import { cpuBackend } from '../src/index.js';

// The shared backend conformance suite: every op against a float64 reference, gradients,
// error parity, memory, and this backend's fused kernels against core's composition.
describeBackendConformance('cpu', () => cpuBackend());
