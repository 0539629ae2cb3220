import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { experimentCommand } from '../src/commands/experiment.js';
import { mlpParameters, widthForBudget } from '../src/experiments/depth-width.js';
import { captureIo, tempDir } from './helpers.js';

/** The parts of `experiment --json` output the tests read. */
interface ExperimentJson {
  report: string;
  tables: { headers: string[]; rows: string[][] }[];
  data: {
    activation: string;
    depth: number;
    parameters: number;
    gradientNorms: number[][];
    trainLoss: number[];
  }[];
}

async function run(name: string, epochs: number): Promise<{ result: ExperimentJson; html: string }> {
  const out = join(tempDir(), name);
  const io = captureIo();
  expect(await experimentCommand([name, '--epochs', String(epochs), '--out', out, '--json'], io)).toBe(0);
  const result: ExperimentJson = JSON.parse(io.out());
  expect(result.report).toBe(join(out, 'report.html'));
  return { result, html: readFileSync(result.report, 'utf8') };
}

describe('experiments (shortened)', () => {
  it('vanishing: per-layer gradient norms shrink towards the input with sigmoid, not with ReLU', async () => {
    const { result, html } = await run('vanishing', 1);
    const [table] = result.tables;
    expect(table.headers).toEqual([
      'layer',
      'sigmoid init',
      'tanh init',
      'relu init',
      'sigmoid ep 1',
      'tanh ep 1',
      'relu ep 1',
    ]);
    expect(table.rows).toHaveLength(10);
    const byActivation = Object.fromEntries(result.data.map((d) => [d.activation, d.gradientNorms[0]]));
    const ratio = (norms: number[]): number => norms[0] / norms[9];
    expect(ratio(byActivation.sigmoid)).toBeLessThan(1e-3);
    expect(ratio(byActivation.relu)).toBeGreaterThan(0.1);
    expect(html).toContain('aria-label="Gradient norm by layer"');
    expect(html).toContain('aria-label="Layer 1 gradient norm while training"');
  });

  it('activations: every activation is trained and timed to the target', async () => {
    const { result, html } = await run('activations', 2);
    expect(result.data.map((d) => d.activation)).toEqual([
      'sigmoid',
      'tanh',
      'relu',
      'leaky-relu',
      'prelu',
      'elu',
      'gelu',
    ]);
    for (const d of result.data) expect(d.trainLoss).toHaveLength(3);
    expect(result.tables[0].headers[1]).toBe('epochs to target');
    expect(html).toContain('aria-label="Epochs to loss');
  });

  it('depth-width: variants have (almost) equal parameter counts', async () => {
    const { result, html } = await run('depth-width', 2);
    const params = result.data.map((d) => d.parameters);
    expect(result.data.map((d) => d.depth)).toEqual([1, 2, 4, 8]);
    for (const p of params) expect(Math.abs(p - params[3]) / params[3]).toBeLessThan(0.05);
    expect(html).toContain('aria-label="Held-out accuracy"');
    expect(mlpParameters([2, 8, 3])).toBe(2 * 8 + 8 + 8 * 3 + 3);
    expect(widthForBudget(2, 3, 1, mlpParameters([2, 50, 3]))).toBe(50);
  });
});
