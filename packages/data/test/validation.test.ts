import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, zeros } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import './setup.js';
import { DataLoader, loadCsv, parseCsv, TensorDataset, trainTestSplit, xor } from '../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: deliberately ill-typed calls, as JavaScript callers make them
const bad = (v: unknown): any => v;

describe('trainTestSplit', () => {
  const data = xor({ numSamples: 20, seed: 0 });
  it.each([1.5, -0.2, Number.NaN, Number.POSITIVE_INFINITY, 21, '0.2'])('refuses test %j', (test) => {
    expect(() => trainTestSplit(data, { test: bad(test), seed: 0 })).toThrow(
      /trainTestSplit: test must be a fraction in \(0, 1\) or a count in 0\.\.20, got /,
    );
  });

  it('refuses a misspelt option instead of ignoring it', () => {
    expect(() => trainTestSplit(data, bad({ testSize: 1.5 }))).toThrow(
      /trainTestSplit: unknown option 'testSize' \(expected 'test', 'stratify', 'seed', 'generator'\)/,
    );
    expect(() => trainTestSplit(bad(null))).toThrow(/trainTestSplit: expected a data set/);
    expect(() => trainTestSplit(data, { seed: 1.5 })).toThrow(
      /trainTestSplit: seed must be an integer, got 1\.5/,
    );
  });
});

describe('CSV', () => {
  it('refuses numbers that overflow float32, naming line and column', () => {
    expect(() => parseCsv('a,b\n1,0\n1e999,1\n')).toThrow(
      /parseCsv: line 3, column 'a': "1e999" overflows float32/,
    );
    expect(() => parseCsv('a,y\n1,1e39\n', { task: 'regression' })).toThrow(
      /line 2, column 'y': "1e39" overflows/,
    );
  });

  it('names the path and the cause when the file cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backprop-csv-'));
    const missing = join(dir, 'missing.csv');
    try {
      expect(() => loadCsv(missing)).toThrow(ArgumentError);
      expect(() => loadCsv(missing)).toThrow(`loadCsv: cannot read '${missing}': no such file (ENOENT)`);
      expect(() => loadCsv(dir)).toThrow(
        `loadCsv: cannot read '${dir}': it is a directory, not a file (EISDIR)`,
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
    expect(() => loadCsv(bad(undefined))).toThrow(/loadCsv: path must be a non-empty string, got undefined/);
  });

  it('checks the text and the options', () => {
    expect(() => parseCsv(bad(42))).toThrow(/parseCsv: text must be a string, got 42/);
    expect(() => parseCsv('a,b\n1,2\n', bad({ targte: 'b' }))).toThrow(/parseCsv: unknown option 'targte'/);
  });
});

describe('DataLoader', () => {
  const ds = new TensorDataset(zeros([4, 2]));
  it.each([0, -1, 1.5, Number.NaN, '8'])('refuses batchSize %j', (batchSize) => {
    expect(() => new DataLoader(ds, { batchSize: bad(batchSize) })).toThrow(
      /DataLoader: batchSize must be a positive integer, got /,
    );
  });

  it('refuses a non-dataset, bad flags and unknown options', () => {
    expect(() => new DataLoader(bad(null))).toThrow(/DataLoader: expected a dataset .* got null/);
    expect(() => new DataLoader(ds, { shuffle: bad('yes') })).toThrow(
      /DataLoader: shuffle must be true or false/,
    );
    expect(() => new DataLoader(ds, bad({ batch_size: 2 }))).toThrow(
      /DataLoader: unknown option 'batch_size'/,
    );
    expect(() => new TensorDataset(bad([1, 2]))).toThrow(/TensorDataset: tensor 0 must be a Tensor/);
  });
});
