import './setup.js';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const readme = readFileSync(`${here}../README.md`, 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const scratch = `${here}../.readme-examples`; // git-ignored

describe('README', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('the MNIST example trains an MLP past 85% held-out accuracy in 3 epochs', async () => {
    mkdirSync(scratch, { recursive: true });
    const file = `${scratch}/example-0.ts`;
    writeFileSync(file, blocks[0].replaceAll("'@backprop/train'", "'../src/index.js'"));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await import(/* @vite-ignore */ file);
      const last = log.mock.calls[0][0] as Record<string, number>;
      expect(last.epoch).toBe(3);
      expect(last.lr).toBe(0.001);
      expect(last.val_accuracy).toBeGreaterThan(0.85);
      // The progress callback wrote its epoch lines to stderr (not a terminal under vitest). A slow
      // machine also gets `epoch N/3 batch …` progress lines every few seconds: they are not counted.
      const lines = err.mock.calls.map((c) => String(c[0]));
      expect(lines.filter((t) => /^epoch \d+\/3 (?!batch )/.test(t))).toHaveLength(3);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});
