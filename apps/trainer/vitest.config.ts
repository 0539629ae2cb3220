import { mergeConfig } from 'vitest/config';
import shared, { longFilesFirst } from '../../vitest.shared.js';

export default mergeConfig(mergeConfig(shared, longFilesFirst('test/run.test.ts', 'test/resume.test.ts')), {
  test: { globalSetup: ['test/temp-root.ts'] },
});
