import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { memory } from '@backprop/core';
import { describe, expect, it, vi } from 'vitest';
import './setup.js';

const here = fileURLToPath(new URL('.', import.meta.url));

function codeBlocks(): string[] {
  const readme = readFileSync(`${here}../README.md`, 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** Runs a README code block as a module (this package from source) and returns what it logged. */
async function run(code: string, name: string): Promise<unknown[]> {
  const scratch = `${here}../.readme-examples`; // git-ignored
  mkdirSync(scratch, { recursive: true });
  const file = `${scratch}/${name}.ts`;
  writeFileSync(file, code.replaceAll("'@backprop/losses'", "'../src/index.js'"));
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import(/* @vite-ignore */ file);
    return log.mock.calls[0];
  } finally {
    log.mockRestore();
    rmSync(scratch, { recursive: true, force: true });
  }
}

describe('README', () => {
  it('has the multiclass and the multilabel example', () => {
    expect(codeBlocks()).toHaveLength(2);
  });

  it('multiclass: softmax + cross-entropy learns the classes; probability rows sum to 1', async () => {
    const before = memory().numTensors;
    const [first, last, predicted, probabilities] = (await run(codeBlocks()[0], 'multiclass')) as [
      number,
      number,
      number[],
      number[][],
    ];
    expect(first).toBeCloseTo(Math.log(3), 0);
    expect(last).toBeLessThan(first / 2);
    expect(predicted).toEqual([0, 1, 2, 0]);
    for (const row of probabilities) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // only the example's own inputs and parameters remain
    expect(memory().numTensors - before).toBe(3);
  });

  it('multilabel: one sigmoid per class + BCE predicts every label', async () => {
    const [predicted, probabilities] = (await run(codeBlocks()[1], 'multilabel')) as [number[][], number[][]];
    expect(predicted).toEqual([
      [1, 0, 1],
      [0, 1, 1],
      [1, 1, 1],
      [0, 0, 0],
    ]);
    // independent sigmoids: rows need not sum to 1
    expect(probabilities[2].reduce((a, b) => a + b, 0)).toBeGreaterThan(2);
  });
});
