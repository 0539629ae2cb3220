import { cpuBackend } from '@backprop/backend-cpu';
import { describeBackendConformance } from '@backprop/conformance';
import { LIBRARY_TABLES } from '../src/index.js';

describeBackendConformance('cpu', () => cpuBackend(), { extraCases: LIBRARY_TABLES, builtinCases: false });
