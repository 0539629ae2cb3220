import './software-vulkan.js';
import { describeModeConformance, GRADCHECK_ON_CPU_MODES } from './mode-suite.js';
import { WEBGPU_SKIPS } from './webgpu-skips.js';

await describeModeConformance('webgpu', { skip: { ...WEBGPU_SKIPS, ...GRADCHECK_ON_CPU_MODES } });
