import { mergeConfig } from 'vitest/config';
import shared, { longFilesFirst } from '../../vitest.shared.js';

// test/pack-install.test.ts runs as `test:packages`, after turbo has built the packages it packs.
export default mergeConfig(
  shared,
  longFilesFirst('test/memory-cnn-transformer.test.ts', 'test/readme-examples.test.ts'),
);
