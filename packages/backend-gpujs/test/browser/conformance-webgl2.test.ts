import { describeModeConformance } from '../mode-suite.js';

await describeModeConformance('webgl2');
