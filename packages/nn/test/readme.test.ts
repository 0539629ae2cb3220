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

/** Runs a README code block as a module (importing this package from source) and returns its exports. */
async function run(code: string, name: string, exports: string): Promise<Record<string, unknown>> {
  const scratch = `${here}../.readme-examples`; // git-ignored
  mkdirSync(scratch, { recursive: true });
  const file = `${scratch}/${name}.ts`;
  writeFileSync(file, `${code.replaceAll("'@backprop/nn'", "'../src/index.js'")}\nexport { ${exports} };\n`);
  try {
    return await import(/* @vite-ignore */ file);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

describe('README', () => {
  it('the XOR example runs and learns XOR', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const before = memory().numTensors;
    const { predictions, model } = (await run(codeBlocks()[0], 'readme-xor', 'predictions, model')) as {
      predictions: number[];
      model: { parameters(): unknown[] };
    };
    log.mockRestore();
    expect(predictions[0]).toBeLessThan(0.2);
    expect(predictions[1]).toBeGreaterThan(0.8);
    expect(predictions[2]).toBeGreaterThan(0.8);
    expect(predictions[3]).toBeLessThan(0.2);
    // x, y and the 4 parameters are all that is left.
    expect(memory().numTensors - before).toBe(2 + model.parameters().length);
  });

  it('the module example lists the names it shows', async () => {
    const { net } = (await run(codeBlocks()[1], 'readme-module', 'net')) as {
      net: { namedParameters(): [string, unknown][]; dispose(): void };
    };
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      'fc1.weight',
      'fc1.bias',
      'act.weight',
      'fc2.weight',
      'fc2.bias',
    ]);
    net.dispose();
  });
});

describe('README: convolution and recurrent examples', () => {
  it('the CNN example learns to tell the bars apart', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const { firstLoss, lastLoss, accuracy } = (await run(
      codeBlocks()[2],
      'readme-cnn',
      'firstLoss, lastLoss, accuracy',
    )) as { firstLoss: number; lastLoss: number; accuracy: number };
    log.mockRestore();
    expect(accuracy).toBe(1);
    expect(lastLoss).toBeLessThan(firstLoss / 4);
  });

  it('the LSTM example lowers its loss', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const { firstLoss, lastLoss } = (await run(codeBlocks()[3], 'readme-lstm', 'firstLoss, lastLoss')) as {
      firstLoss: number;
      lastLoss: number;
    };
    log.mockRestore();
    expect(lastLoss).toBeLessThan(firstLoss * 0.6);
  });
});
