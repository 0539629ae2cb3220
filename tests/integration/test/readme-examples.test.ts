import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';

// Every package README's TypeScript examples run as written: each ```ts block is written to a
// module and imported, with console output captured; outputs the README states are checked.
const root = resolve(import.meta.dirname, '../../..');
const scratch = join(import.meta.dirname, '../.readme-examples');

/** Output lines a README promises (substrings of what its example logs). */
const promised: Record<string, string[]> = {
  'packages/core/README.md': ['14 [ [ 4, 0 ], [ 6, 0 ] ]', '\n1'],
  'packages/train/README.md': ['[ 1, 2, 3, 4 ]', '[ 32, 10 ]'],
};

/** READMEs whose examples are vitest files rather than programs: they run as those packages' own tests. */
const testFileExamples = new Set(['packages/conformance/README.md']);

function readmes(): string[] {
  const dirs = ['packages', 'apps'].flatMap((group) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group)).map((name) => `${group}/${name}/README.md`)
      : [],
  );
  return dirs.filter((path) => existsSync(join(root, path)) && !testFileExamples.has(path));
}

function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('README examples run as written', () => {
  for (const readme of readmes()) {
    const blocks = tsBlocks(readFileSync(join(root, readme), 'utf8'));
    if (blocks.length === 0) continue;
    it(readme, async () => {
      mkdirSync(scratch, { recursive: true });
      const lines: string[] = [];
      const spy = vi.spyOn(console, 'log').mockImplementation((...args) => {
        lines.push(format(...args));
      });
      try {
        for (const [i, code] of blocks.entries()) {
          const file = join(scratch, `${readme.replaceAll('/', '_')}.${i}.ts`);
          writeFileSync(file, code);
          await import(/* @vite-ignore */ file);
        }
      } finally {
        spy.mockRestore();
      }
      const output = lines.join('\n');
      for (const expected of promised[readme] ?? []) expect(output).toContain(expected);
    });
  }
});
