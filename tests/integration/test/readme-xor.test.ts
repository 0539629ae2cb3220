import { expect, it } from 'vitest';
import { trainXor } from './readme-xor.js';

it('the README example trains XOR by hand and the loss falls', () => {
  const losses = trainXor();
  expect(losses).toHaveLength(6);
  expect(losses[0]).toBeGreaterThan(0.2);
  for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
  expect(losses[5]).toBeLessThan(0.02);
});
