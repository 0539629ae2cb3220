import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { loadCsv, parseCsv, parseCsvRecords } from '../src/index.js';

const PEOPLE = [
  'age,city,height,label',
  '30,Paris,1.80,tall',
  '25,"Rome",1.60,short',
  '41,Paris,1.75,tall',
  '',
  '19,Oslo,1.50,short',
].join('\n');

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('parseCsvRecords', () => {
  it('handles quotes, escaped quotes, delimiters and newlines inside quotes, CRLF and blank lines', () => {
    const text = 'a,b\r\n"x, y","say ""hi"""\r\n\r\n"multi\nline",2\n3,\n';
    expect(parseCsvRecords(text)).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['x, y', 'say "hi"'], line: 2 },
      { fields: ['multi\nline', '2'], line: 4 },
      { fields: ['3', ''], line: 6 },
    ]);
    expect(parseCsvRecords('a;b\n1;2', ';')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', '2'], line: 2 },
    ]);
  });

  it('names the line of malformed quoting', () => {
    expect(() => parseCsvRecords('a,b\n1,"open\n2,3\n')).toThrow(
      'parseCsv: line 2: a quoted field is never closed',
    );
    expect(() => parseCsvRecords('a,b\n"x"y,1\n')).toThrow(/line 2: unexpected "y" after a closing quote/);
  });
});

describe('parseCsv', () => {
  it('one-hot encodes categoricals and index-encodes the class target (sorted names)', () => {
    const d = parseCsv(PEOPLE, { target: 'label', categorical: ['city'] });
    expect(d.task).toBe('classification');
    if (d.task !== 'classification') return;
    expect(d.featureNames).toEqual(['age', 'city=Oslo', 'city=Paris', 'city=Rome', 'height']);
    expect(d.categories).toEqual({ city: ['Oslo', 'Paris', 'Rome'] });
    expect(d.classNames).toEqual(['short', 'tall']);
    expect(Array.from(d.y)).toEqual([1, 0, 1, 0]);
    expect(d.numFeatures).toBe(5);
    expect(Array.from(d.x.subarray(0, 5))).toEqual([30, 0, 1, 0, Math.fround(1.8)]);
    expect(Array.from(d.x.subarray(5, 10))).toEqual([25, 0, 0, 1, Math.fround(1.6)]);
    expect(d.columns).toEqual(['age', 'city', 'height', 'label']);
  });

  it('index-encodes categoricals on request and reuses given categories and classes', () => {
    const d = parseCsv(PEOPLE, {
      target: 'label',
      categorical: ['city'],
      encoding: 'index',
      categories: { city: ['Rome', 'Paris', 'Oslo'] },
      classNames: ['tall', 'short'],
    });
    expect(d.featureNames).toEqual(['age', 'city', 'height']);
    expect(Array.from(d.x.subarray(0, 3))).toEqual([30, 1, Math.fround(1.8)]);
    expect(d.x[3 * 3 + 1]).toBe(2); // Oslo
    expect(d.task === 'classification' && Array.from(d.y)).toEqual([0, 1, 0, 1]);
  });

  it('reads a numeric target as regression, and the last column by default', () => {
    const d = parseCsv('x1,x2,y\n1,2,0.5\n3,4,-1e-3\n');
    expect(d.task).toBe('regression');
    expect(Array.from(d.y)).toEqual([0.5, Math.fround(-1e-3)]);
    expect(d.task === 'regression' && d.targetNames).toEqual(['y']);
    const cls = parseCsv('x,y\n1,0\n2,1\n3,2\n', { task: 'classification' });
    expect(cls.task === 'classification' && [cls.numClasses, Array.from(cls.y)]).toEqual([3, [0, 1, 2]]);
  });

  it('drops ignored columns and takes column names when there is no header', () => {
    const d = parseCsv('7,a,1.5\n8,b,2.5\n', { header: ['id', 'kind', 'v'], ignore: ['id'], target: 'kind' });
    expect(d.featureNames).toEqual(['v']);
    expect(Array.from(d.x)).toEqual([1.5, 2.5]);
  });

  it('reports the line and column of a bad value', () => {
    const text = 'age,city,height,label\n30,Paris,1.80,tall\n\n"25",Rome,1.6O,short\n';
    const e = thrown(() => parseCsv(text, { target: 'label', categorical: ['city'] }));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toBe(`parseCsv: line 4, column 'height': "1.6O" is not a number`);
    expect(() => parseCsv('a,b\n1,x\n,y\n')).toThrow(`parseCsv: line 3, column 'a': "" is empty`);
    expect(() => parseCsv('a,b\n1,2\n3,4,5\n')).toThrow('parseCsv: line 3: expected 2 fields (a, b), got 3');
    expect(() =>
      parseCsv(PEOPLE, { target: 'label', categorical: ['city'], categories: { city: ['Paris', 'Rome'] } }),
    ).toThrow(`parseCsv: line 6, column 'city': "Oslo" is not one of the categories (Paris, Rome)`);
    expect(() => parseCsv(PEOPLE, { target: 'label', categorical: ['city'], classNames: ['tall'] })).toThrow(
      `parseCsv: line 3, column 'label': "short" is not one of the classes (tall)`,
    );
    expect(() => parseCsv('a,b\n1,2\n2,x\n', { task: 'regression' })).toThrow(
      `line 3, column 'b': "x" is not a number`,
    );
    expect(() => parseCsv(PEOPLE, { target: 'nope' })).toThrow(
      `target column 'nope' is not in the header (age, city, height, label)`,
    );
    // A text column not declared categorical is an error, not a silent category.
    expect(() => parseCsv(PEOPLE, { target: 'label' })).toThrow(
      `line 2, column 'city': "Paris" is not a number`,
    );
  });

  it('loads a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backprop-csv-'));
    const file = join(dir, 'people.csv');
    writeFileSync(file, PEOPLE);
    try {
      const d = loadCsv(file, { target: 'label', categorical: ['city'] });
      expect(d.numSamples).toBe(4);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
