import { mergeConfig } from 'vitest/config';
import shared, { ISOLATED_FILES } from '../../vitest.shared.js';

// Test files here register and switch the process-wide backend: each runs in its own module graph.
export default mergeConfig(shared, ISOLATED_FILES);
