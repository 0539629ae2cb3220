import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseConfig, serializeConfig } from '../src/config.js';

describe('the URL configuration', () => {
  it('round-trips every field and lists only what differs from the defaults', () => {
    const config = {
      ...DEFAULTS,
      dataset: 'xor' as const,
      hidden: [4, 3, 2],
      activation: 'prelu' as const,
      lr: 0.125,
      backend: 'gpujs' as const,
      autoplay: true,
    };
    const query = serializeConfig(config);
    expect(query).toBe('?dataset=xor&hidden=4-3-2&activation=prelu&lr=0.125&backend=gpujs&autoplay=1');
    expect(parseConfig(query)).toEqual(config);
    expect(serializeConfig(DEFAULTS)).toBe('');
  });

  it('keeps the default for a value it cannot use, and reads "0" hidden widths as a linear model', () => {
    const config = parseConfig('?dataset=nope&lr=-1&batchSize=2.5&hidden=4-x&activation=abs&samples=10');
    expect(config).toEqual({ ...DEFAULTS, activation: 'abs' });
    expect(parseConfig('?hidden=0').hidden).toEqual([]);
    expect(serializeConfig({ ...DEFAULTS, hidden: [] })).toBe('?hidden=0');
  });
});
