import { describeModeConformance, GRADCHECK_ON_CPU_MODES } from '../mode-suite.js';

await describeModeConformance('webgl2', { skip: GRADCHECK_ON_CPU_MODES });
