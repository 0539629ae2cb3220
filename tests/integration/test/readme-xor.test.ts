import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { trainXor } from './readme-xor.js';

it('the root README shows the example exactly as tested', () => {
  const source = readFileSync(resolve(import.meta.dirname, 'readme-xor.ts'), 'utf8');
  const example = source.split('// readme:start\n')[1].split('// readme:end')[0];
  const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');
  expect(readme).toContain(`\`\`\`ts\n${example}trainXor();\n\`\`\``);
});

it('the README example trains XOR by hand and the loss falls', () => {
  const losses = trainXor();
  expect(losses).toHaveLength(6);
  expect(losses[0]).toBeGreaterThan(0.2);
  for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
  expect(losses[5]).toBeLessThan(0.02);
});
