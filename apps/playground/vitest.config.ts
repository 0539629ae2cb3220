import { defineConfig } from 'vitest/config';
import { NO_WALL_CLOCK_LIMITS, SOURCE_PACKAGES, TEST_WORKERS } from '../../vitest.shared.js';

// At normal priority, unlike the CPU-bound packages: the playground's tests train in Chromium on
// software WebGL and WebGPU (vitest.shared.ts says why that matters on a busy machine).
export default defineConfig({ ...SOURCE_PACKAGES, test: { ...NO_WALL_CLOCK_LIMITS, ...TEST_WORKERS } });
