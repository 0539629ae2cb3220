import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import './setup.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const readme = readFileSync(`${here}../README.md`, 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const scratch = `${here}../.readme-examples`; // git-ignored

/** Runs README example `index` against the sources and returns what it logged. */
async function run(index: number): Promise<unknown[]> {
  mkdirSync(scratch, { recursive: true });
  const file = `${scratch}/example-${index}.ts`;
  writeFileSync(file, blocks[index].replaceAll("'@backprop/optim'", "'../src/index.js'"));
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import(/* @vite-ignore */ file);
    return log.mock.calls[0] as unknown[];
  } finally {
    log.mockRestore();
  }
}

describe('README', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('has the two examples', () => {
    expect(blocks).toHaveLength(2);
  });

  it('the first example fits y = 2x − 1 with a constant tensor count', async () => {
    const [w, b, distinctCounts, saved] = (await run(0)) as [number, number, number, boolean];
    expect(w).toBeCloseTo(2, 2);
    expect(b).toBeCloseTo(-1, 2);
    expect(distinctCounts).toBe(1);
    expect(saved).toBe(true);
  });

  it('the second composes schedules, restarts a cosine and shows a validation error', async () => {
    const [lr, lrs, message] = (await run(1)) as [number, number[], string];
    expect(lr).toBeCloseTo(0.1 * 0.95 ** 39 * 0.5 ** 3, 15);
    expect(lrs).toHaveLength(11);
    expect(lrs[0]).toBe(0.01);
    expect(lrs[5]).toBe(0.01);
    expect(lrs[10]).toBe(0.01);
    lrs.slice(1, 5).forEach((v, i) => {
      expect(v).toBeCloseTo((0.01 * (1 + Math.cos((Math.PI * (i + 1)) / 5))) / 2, 15);
    });
    expect(message).toBe('SGD: lr must be a finite number ≥ 0, got Infinity');
  });
});
