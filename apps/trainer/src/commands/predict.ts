import { readFileSync } from 'node:fs';
import { fromArray, noGrad, tidy } from '@backprop/core';
import { parseCsvRecords, Standardizer } from '@backprop/data';
import { parseArgs } from '../args.js';
import { useBackend } from '../backend.js';
import { readCheckpoint, restoreModel } from '../checkpoint/checkpoint.js';
import { type BackendName, PREDICT_OPTIONS, userPath } from '../config.js';
import type { InputInfo } from '../datasets.js';
import { type Io, TextTable } from '../format.js';
import { probabilitiesOf } from '../model.js';
import { checkpointArgument } from './eval.js';
import { helpText } from './help.js';

/** Inputs that cannot be read as rows of the model's features; the message says which and why. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** `predict`: class probabilities for rows from a JSON or CSV file or stdin. */
export async function predictCommand(
  argv: readonly string[],
  io: Io,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<number> {
  const { options, positionals } = parseArgs(argv, PREDICT_OPTIONS, 'predict');
  if (options.help) {
    io.stdout.write(helpText('predict'));
    return 0;
  }
  const checkpoint = readCheckpoint(checkpointArgument(options, positionals, 'predict'), {
    allowNonfinite: options['allow-nonfinite'] === true,
  });
  const source = typeof options.input === 'string' && options.input !== '-' ? userPath(options.input) : null;
  const text = source === null ? await readAll(stdin) : readInputFile(source);
  const { input, model: modelConfig } = checkpoint.meta;
  const rows = parseRows(text, input, source ?? 'stdin');
  await useBackend((options.backend ?? 'cpu') as BackendName);
  const model = restoreModel(checkpoint);
  const n = rows.length / input.numFeatures;
  const x = input.standardizer ? Standardizer.fromJSON(input.standardizer).transform(rows) : rows;
  model.eval();
  const probs = noGrad(() =>
    tidy(() => probabilitiesOf(modelConfig.loss, model.call(fromArray(x, [n, input.numFeatures])))),
  );
  const p = Float32Array.from(await probs.data());
  probs.dispose();
  const k = input.classNames.length;
  const predictions = Array.from({ length: n }, (_, i) => {
    const row = Array.from(p.subarray(i * k, (i + 1) * k));
    const best = row.indexOf(Math.max(...row));
    return { predicted: best, class: input.classNames[best], probabilities: row };
  });
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ classNames: input.classNames, predictions }, null, 2)}\n`);
  } else if (options.quiet) {
    io.stdout.write(`${predictions.map((r) => r.class).join('\n')}\n`);
  } else {
    const rowsText = predictions.map((r, i) => [
      String(i),
      r.class,
      ...r.probabilities.map((v) => v.toFixed(4)),
    ]);
    io.stdout.write(
      `${TextTable.render(['row', 'predicted', ...input.classNames.map((c) => `p(${c})`)], rowsText)}\n`,
    );
    if (modelConfig.loss === 'bce') {
      io.stdout.write(
        '(one-vs-all sigmoid probabilities: each class is judged on its own, so a row need not sum to 1)\n',
      );
    }
  }
  return 0;
}

function readInputFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(
      `--input ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads rows of features: JSON (one row of numbers, an array of rows, rows of nested arrays such
 * as 28×28 images, or `{"inputs": ...}`) or CSV (numeric rows; a header row may name the
 * columns, which are then matched to the model's features by name and others, like the label,
 * ignored).
 */
export function parseRows(text: string, input: InputInfo, source: string): Float32Array {
  const d = input.numFeatures;
  const trimmed = text.trim();
  if (trimmed === '') throw new InputError(`${source}: no input rows`);
  let rows: number[][];
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (e) {
      throw new InputError(`${source}: not valid JSON: ${(e as Error).message}`);
    }
    if (json !== null && typeof json === 'object' && !Array.isArray(json))
      json = (json as { inputs?: unknown }).inputs;
    if (!Array.isArray(json) || json.length === 0) {
      throw new InputError(`${source}: expected a non-empty array of rows (or {"inputs": [...]})`);
    }
    const list = json.every((v) => typeof v === 'number') ? [json] : json;
    rows = list.map((row, i) => {
      const flat = Array.isArray(row) ? (row.flat(Number.POSITIVE_INFINITY) as unknown[]) : [row];
      if (!flat.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        throw new InputError(`${source}: row ${i} must hold only finite numbers`);
      }
      return flat as number[];
    });
  } else {
    rows = csvRows(trimmed, input, source);
  }
  const out = new Float32Array(rows.length * d);
  rows.forEach((row, i) => {
    if (row.length !== d) {
      const shape = input.imageShape ? ` (a ${input.imageShape.join('×')} image, flattened)` : '';
      throw new InputError(`${source}: row ${i} has ${row.length} values; the model takes ${d}${shape}`);
    }
    out.set(row, i * d);
  });
  return out;
}

function csvRows(text: string, input: InputInfo, source: string): number[][] {
  const records = parseCsvRecords(text);
  const isNumber = (s: string): boolean => s.trim() !== '' && Number.isFinite(Number(s));
  let columns: number[] | null = null;
  let body = records;
  const first = records[0]?.fields ?? [];
  // A header names columns: a first row with numbers in it is data, and a non-number there is an error.
  const numeric = first.findIndex(isNumber);
  const word = first.findIndex((f) => !isNumber(f));
  if (numeric !== -1 && word !== -1) {
    throw new InputError(
      `${source}: line ${records[0].line}, field ${word + 1}: ${JSON.stringify(first[word])} is not a number ` +
        '(a header row names every column; a data row holds only numbers)',
    );
  }
  if (records.length > 0 && numeric === -1) {
    const header = first.map((f) => f.trim());
    body = records.slice(1);
    if (body.length === 0) throw new InputError(`${source}: a header line but no rows of values`);
    const names = input.featureNames;
    if (names?.every((n) => header.includes(n))) columns = names.map((n) => header.indexOf(n));
    else if (header.length !== input.numFeatures) {
      throw new InputError(
        `${source}: the header names ${header.length} columns (${header.join(', ')}) but the model takes ${input.numFeatures} features` +
          (names ? ` (${names.join(', ')})` : ''),
      );
    }
  }
  return body.map((r) => {
    const fields = columns === null ? r.fields : columns.map((c) => r.fields[c]);
    return fields.map((f, k) => {
      if (!isNumber(f))
        throw new InputError(
          `${source}: line ${r.line}, field ${k + 1}: ${JSON.stringify(f)} is not a number`,
        );
      return Number(f);
    });
  });
}
