import { describeModeConformance, GRADCHECK_ON_CPU_MODES } from './mode-suite.js';

// Needs the optional `gl` package (built from source) and an X server: run under `xvfb-run -a`.
await describeModeConformance('headlessgl', { skip: GRADCHECK_ON_CPU_MODES });
