import { describe, expect, it } from 'vitest';
import { readmeExample } from './readme-example.js';

describe('README example', () => {
  it('runs', async () => {
    const { mode, values } = await readmeExample();
    expect(['headlessgl', 'webasm', 'webgl2', 'webgl', 'cpu']).toContain(mode);
    // y = Σ relu(x·w), x·w = [2.5, 5.5] > 0, so dy/dw = xᵀ·1 = [[4], [6]].
    expect(values).toEqual([[4], [6]]);
  });
});
