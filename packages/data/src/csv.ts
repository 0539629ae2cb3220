import { ArgumentError, checkOptions, describeValue } from '@backprop/core';
import {
  type ClassificationData,
  classificationData,
  type RegressionData,
  regressionData,
} from './arrays.js';
import { MissingPackageError, nodeRequire } from './node.js';

/** One parsed record: its fields and the (1-based) line it starts on. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/**
 * Splits CSV text into records (RFC 4180): fields separated by `delimiter`, double-quoted fields may
 * hold delimiters, newlines and `""` for a quote; CRLF or LF line ends; blank lines are skipped.
 * Errors name the line.
 */
export function parseCsvRecords(text: string, delimiter = ','): CsvRecord[] {
  if (typeof text !== 'string')
    throw new ArgumentError(`parseCsv: text must be a string, got ${describeValue(text)}`);
  if (
    typeof delimiter !== 'string' ||
    delimiter.length !== 1 ||
    delimiter === '"' ||
    delimiter === '\n' ||
    delimiter === '\r'
  ) {
    throw new ArgumentError(
      `parseCsv: delimiter must be one character other than a quote or newline, got ${describeValue(delimiter)}`,
    );
  }
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let blank = true;
    // One record.
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        blank = false;
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= n) throw new ArgumentError(`parseCsv: line ${quoteLine}: a quoted field is never closed`);
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') {
          throw new ArgumentError(
            `parseCsv: line ${line}: unexpected ${JSON.stringify(text[i])} after a closing quote (field ${fields.length + 1})`,
          );
        }
      } else {
        const from = i;
        while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') i++;
        field = text.slice(from, i);
        if (field.includes('"'))
          throw new ArgumentError(
            `parseCsv: line ${line}: a quote inside the unquoted field ${JSON.stringify(field)}`,
          );
        if (field.trim() !== '') blank = false;
      }
      fields.push(field);
      if (i < n && text[i] === delimiter) {
        blank = false;
        i++;
        continue;
      }
      // End of record: newline or end of text.
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    if (!blank) records.push({ fields, line: start });
  }
  return records;
}

/** Options of `parseCsv`. */
export interface CsvOptions {
  /** The target column: a name or a 0-based index (default: the last column). */
  target?: string | number;
  /**
   * `classification` (class indices, with `classNames`) or `regression` (floats). Default: regression
   * when every target value is a number, else classification — pass it when classes are numbered.
   */
  task?: 'classification' | 'regression';
  /** Feature columns that hold categories rather than numbers. */
  categorical?: readonly string[];
  /** How categorical features are encoded: one column per category (`onehot`, default) or the category's index (`index`). */
  encoding?: 'onehot' | 'index';
  /** Columns to leave out. */
  ignore?: readonly string[];
  /** Field separator (default ','). */
  delimiter?: string;
  /** `true` (default): the first record names the columns; or the column names when the text has no header. */
  header?: true | readonly string[];
  /** The classes, in index order (default: the distinct target values, sorted). Reuse the training set's for a test set. */
  classNames?: readonly string[];
  /** Categories per categorical column, in index order (default: distinct values, sorted). Reuse the training set's for a test set. */
  categories?: Readonly<Record<string, readonly string[]>>;
}

/** What `parseCsv` adds to the data set: the columns used and the category lists. */
const CSV_OPTIONS = [
  'target',
  'task',
  'categorical',
  'encoding',
  'ignore',
  'delimiter',
  'header',
  'classNames',
  'categories',
] as const;

export interface CsvInfo {
  /** The header's column names. */
  readonly columns: readonly string[];
  /** The category list of each categorical column, in index (or one-hot column) order. */
  readonly categories: Readonly<Record<string, readonly string[]>>;
}

export type CsvData = (ClassificationData | RegressionData) & CsvInfo;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Largest finite float32: a CSV number beyond it would be stored as ±Infinity. */
const FLOAT32_MAX = 3.4028234663852886e38;

function parseNumber(s: string): number | undefined {
  const t = s.trim();
  return NUMBER.test(t) ? Number(t) : undefined;
}

/** Why a numeric cell cannot be stored as a float32 feature or target, or null when it can. */
function numberProblem(v: number): string | null {
  return Math.abs(v) > FLOAT32_MAX
    ? `overflows float32 (expected a finite number of magnitude at most ${FLOAT32_MAX})`
    : null;
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Parses CSV text into a data set: numeric feature columns as they are, categorical columns
 * one-hot (`name=value` features) or index encoded, and a target column as class indices
 * (classification, with `classNames`) or floats (regression). A bad value is an `ArgumentError`
 * naming its line and column: `parseCsv: line 7, column 'age': "abc" is not a number`.
 * @example parseCsv('x,y,label\n1,2,cat\n3,4,dog\n', { target: 'label' })
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvData {
  if (typeof text !== 'string')
    throw new ArgumentError(`parseCsv: text must be a string, got ${describeValue(text)}`);
  checkOptions<CsvOptions>('parseCsv', options, CSV_OPTIONS);
  const records = parseCsvRecords(text, options.delimiter ?? ',');
  const header = options.header ?? true;
  let columns: string[];
  let rows: CsvRecord[];
  if (header === true) {
    if (records.length === 0) throw new ArgumentError('parseCsv: the text has no header line');
    columns = records[0].fields.map((f) => f.trim());
    rows = records.slice(1);
  } else {
    columns = [...header];
    rows = records;
  }
  const dup = columns.find((c, i) => columns.indexOf(c) !== i);
  if (dup !== undefined) throw new ArgumentError(`parseCsv: column '${dup}' appears twice in the header`);
  const colIndex = (name: string, what: string): number => {
    const k = columns.indexOf(name);
    if (k < 0)
      throw new ArgumentError(
        `parseCsv: ${what} column '${name}' is not in the header (${columns.join(', ')})`,
      );
    return k;
  };
  const targetSpec = options.target ?? columns.length - 1;
  const target = typeof targetSpec === 'number' ? targetSpec : colIndex(targetSpec, 'target');
  if (!Number.isInteger(target) || target < 0 || target >= columns.length) {
    throw new ArgumentError(
      `parseCsv: target column ${targetSpec} is out of range for ${columns.length} columns`,
    );
  }
  const ignored = new Set((options.ignore ?? []).map((c) => colIndex(c, 'ignored')));
  const categorical = new Set((options.categorical ?? []).map((c) => colIndex(c, 'categorical')));
  if (categorical.has(target))
    throw new ArgumentError(
      `parseCsv: the target column '${columns[target]}' cannot also be a categorical feature`,
    );
  for (const name of Object.keys(options.categories ?? {})) {
    if (!categorical.has(colIndex(name, 'categories'))) {
      throw new ArgumentError(
        `parseCsv: categories are given for '${name}', which is not listed in categorical`,
      );
    }
  }
  const featureCols = columns.map((_, k) => k).filter((k) => k !== target && !ignored.has(k));

  for (const r of rows) {
    if (r.fields.length !== columns.length) {
      throw new ArgumentError(
        `parseCsv: line ${r.line}: expected ${columns.length} fields (${columns.join(', ')}), got ${r.fields.length}`,
      );
    }
  }
  const bad = (r: CsvRecord, k: number, why: string): never => {
    throw new ArgumentError(
      `parseCsv: line ${r.line}, column '${columns[k]}': ${JSON.stringify(r.fields[k])} ${why}`,
    );
  };

  // Category lists.
  const encoding = options.encoding ?? 'onehot';
  if (encoding !== 'onehot' && encoding !== 'index')
    throw new ArgumentError(`parseCsv: encoding must be 'onehot' or 'index', got ${encoding}`);
  const categories: Record<string, string[]> = {};
  for (const k of featureCols) {
    if (!categorical.has(k)) continue;
    const given = options.categories?.[columns[k]];
    categories[columns[k]] = given
      ? [...given]
      : sorted(rows.map((r) => r.fields[k].trim()).filter((v) => v !== ''));
  }

  // Feature layout.
  const featureNames: string[] = [];
  const layout: { col: number; offset: number; cats?: Map<string, number> }[] = [];
  for (const k of featureCols) {
    const cats = categorical.has(k) ? new Map(categories[columns[k]].map((c, i) => [c, i])) : undefined;
    layout.push({ col: k, offset: featureNames.length, cats });
    if (cats && encoding === 'onehot')
      for (const c of categories[columns[k]]) featureNames.push(`${columns[k]}=${c}`);
    else featureNames.push(columns[k]);
  }
  const d = featureNames.length;
  const n = rows.length;
  const x = new Float32Array(n * d);
  rows.forEach((r, i) => {
    for (const { col, offset, cats } of layout) {
      const raw = r.fields[col];
      if (raw.trim() === '') bad(r, col, 'is empty');
      if (cats) {
        const c = cats.get(raw.trim());
        if (c === undefined) bad(r, col, `is not one of the categories (${[...cats.keys()].join(', ')})`);
        else if (encoding === 'onehot') x[i * d + offset + c] = 1;
        else x[i * d + offset] = c;
      } else {
        const v = parseNumber(raw);
        if (v === undefined) bad(r, col, 'is not a number');
        else {
          const problem = numberProblem(v);
          if (problem !== null) bad(r, col, problem);
          x[i * d + offset] = v;
        }
      }
    }
  });

  // Target.
  const targets = rows.map((r) => r.fields[target].trim());
  rows.forEach((r) => {
    if (r.fields[target].trim() === '') bad(r, target, 'is empty (the target needs a value)');
  });
  const task =
    options.task ??
    (options.classNames || targets.some((t) => parseNumber(t) === undefined)
      ? 'classification'
      : 'regression');
  const info: CsvInfo = { columns, categories };
  if (task === 'regression') {
    const y = new Float32Array(n);
    rows.forEach((r, i) => {
      const v = parseNumber(r.fields[target]);
      if (v === undefined) bad(r, target, 'is not a number (the target of a regression)');
      else {
        const problem = numberProblem(v);
        if (problem !== null) bad(r, target, problem);
        y[i] = v;
      }
    });
    return { ...regressionData(x, y, d, 1, { featureNames, targetNames: [columns[target]] }), ...info };
  }
  if (task !== 'classification')
    throw new ArgumentError(`parseCsv: task must be 'classification' or 'regression', got ${task}`);
  const classNames = options.classNames ? [...options.classNames] : sorted(targets);
  const classIndex = new Map(classNames.map((c, i) => [c, i]));
  const y = new Int32Array(n);
  rows.forEach((r, i) => {
    const c = classIndex.get(targets[i]);
    if (c === undefined) bad(r, target, `is not one of the classes (${classNames.join(', ')})`);
    else y[i] = c;
  });
  return { ...classificationData(x, y, d, classNames.length, { classNames, featureNames }), ...info };
}

/** Reads a CSV file (Node only) and parses it with `parseCsv`. */
export function loadCsv(path: string, options: CsvOptions = {}): CsvData {
  if (typeof path !== 'string' || path === '')
    throw new ArgumentError(`loadCsv: path must be a non-empty string, got ${describeValue(path)}`);
  checkOptions<CsvOptions>('loadCsv', options, CSV_OPTIONS);
  const fs = nodeRequire()?.('node:fs') as { readFileSync(p: string, enc: string): string } | undefined;
  if (!fs)
    throw new MissingPackageError('loadCsv needs Node.js; in a browser fetch the text and call parseCsv');
  return parseCsv(readText(fs, path), options);
}

/** What a file-system error code means, for a one-line message. */
const FILE_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files',
};

/** Reads a text file, turning the file system's errors into an ArgumentError that names the path and the cause. */
function readText(fs: { readFileSync(p: string, enc: string): string }, path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === undefined) throw e;
    throw new ArgumentError(
      `loadCsv: cannot read '${path}': ${FILE_PROBLEMS[code] ?? 'the read failed'} (${code})`,
    );
  }
}
