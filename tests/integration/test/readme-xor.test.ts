import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

// The root README's "network by hand" is examples/xor.ts, run with `pnpm example examples/xor.ts`.
const root = resolve(import.meta.dirname, '../../..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
const source = readFileSync(resolve(root, 'examples/xor.ts'), 'utf8');
const exampleScript: string = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).scripts.example;

it('the root README shows examples/xor.ts exactly', () => {
  expect(readme).toContain(`\`\`\`ts\n${source}\`\`\``);
});

it('the command the README gives prints the loss the README shows, falling', () => {
  const [command, ...args] = exampleScript.split(' ');
  const output = execFileSync(command, [...args, 'examples/xor.ts'], { cwd: root, encoding: 'utf8' });
  const printed = readme.split('prints a falling loss:\n\n```\n')[1].split('```')[0];
  expect(output).toBe(printed);
  const losses = [...output.matchAll(/loss (\d\.\d+)/g)].map((m) => Number(m[1]));
  expect(losses).toHaveLength(6);
  for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
});
