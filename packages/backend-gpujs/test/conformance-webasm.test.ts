import { describeModeConformance } from './mode-suite.js';

await describeModeConformance('webasm');
