import { minimalBackend } from '../../conformance/test/minimal-backend.js';
import { registerBackend } from '../src/index.js';

/** Core's own tests run on the conformance suite's minimal backend (core cannot depend on a backend package). */
registerBackend('minimal', minimalBackend, 1);
