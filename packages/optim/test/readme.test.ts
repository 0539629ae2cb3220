import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import './setup.js';

const here = fileURLToPath(new URL('.', import.meta.url));

describe('README', () => {
  it('the example fits y = 2x − 1 with a constant tensor count', async () => {
    const readme = readFileSync(`${here}../README.md`, 'utf8');
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).toHaveLength(1);
    const scratch = `${here}../.readme-examples`; // git-ignored
    mkdirSync(scratch, { recursive: true });
    const file = `${scratch}/example.ts`;
    writeFileSync(file, blocks[0].replaceAll("'@backprop/optim'", "'../src/index.js'"));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ file);
      const [w, b, distinctCounts, saved] = log.mock.calls[0] as [number, number, number, boolean];
      expect(w).toBeCloseTo(2, 2);
      expect(b).toBeCloseTo(-1, 2);
      expect(distinctCounts).toBe(1);
      expect(saved).toBe(true);
    } finally {
      log.mockRestore();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
