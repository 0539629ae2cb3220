/**
 * Checkpoint fuzzing: hundreds of corruptions of real checkpoints (truncations, bit flips in the
 * header and the data, header lengths, bad JSON, dtypes, shapes, offsets, duplicate keys, missing
 * and extra tensors, non-finite values, and every metadata field given a wrong type, range or
 * length), each run through the load API and one of the eval, predict and resume commands (as
 * functions, in this process). Each must be refused with a `CheckpointError` whose one line names
 * the file, before a model is built; the only accepted ones are data bit flips in a checkpoint
 * without a checksum, which nothing can tell from real weights, and they are counted as such.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memory } from '@backprop/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint, restoreModel } from '../src/checkpoint/checkpoint.js';
import {
  CheckpointError,
  decodeSafetensors,
  encodeSafetensors,
  readFloat32,
  type TensorToWrite,
} from '../src/checkpoint/safetensors.js';
import { evalCommand } from '../src/commands/eval.js';
import { predictCommand } from '../src/commands/predict.js';
import { resumeCommand } from '../src/commands/resume.js';
import { trainCommand } from '../src/commands/train.js';
import { ACTIVATIONS } from '../src/config.js';
import { buildModel, parameterShapes } from '../src/model.js';
import { captureIo, tempDir } from './helpers.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A real checkpoint taken apart: its tensors and its metadata, ready to be changed and re-signed. */
interface Base {
  readonly bytes: Uint8Array;
  readonly headerLength: number;
  readonly tensors: Record<string, TensorToWrite>;
  readonly meta: { [key: string]: Json };
}

/** One corrupted file and what its refusal must say (when more than the common checks). */
interface Corruption {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly message?: RegExp;
}

function takeApart(bytes: Uint8Array): Base {
  const file = decodeSafetensors(bytes);
  const tensors: Record<string, TensorToWrite> = {};
  for (const [k, e] of file.tensors) tensors[k] = { shape: [...e.shape], data: readFloat32(k, e) };
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { bytes, headerLength, tensors, meta: JSON.parse(file.metadata.checkpoint) };
}

/** Encodes tensors and metadata as the trainer does, with a correct checksum unless `checksum` is false. */
function sign(
  tensors: Record<string, TensorToWrite>,
  meta: Json,
  checksum = true,
  checkpointJson = JSON.stringify(meta),
): Uint8Array {
  return encodeSafetensors(
    tensors,
    { 'backprop-trainer': '1', checkpoint: checkpointJson },
    checksum
      ? (data) => ({ sha256: createHash('sha256').update(checkpointJson).update(data).digest('hex') })
      : undefined,
  );
}

/** The file with its header replaced by `header` (bytes or text), the data kept, the length field set to fit. */
function withHeader(base: Base, header: string | Uint8Array, declared?: bigint): Uint8Array {
  const h = typeof header === 'string' ? new TextEncoder().encode(header) : header;
  const data = base.bytes.subarray(8 + base.headerLength);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declared ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function headerText(base: Base): string {
  return new TextDecoder().decode(base.bytes.subarray(8, 8 + base.headerLength)).trimEnd();
}

/** The header as an object, changed by `edit`, written back over the same data. */
function editHeader(base: Base, edit: (header: Record<string, Json>) => void): Uint8Array {
  const header = JSON.parse(headerText(base));
  edit(header);
  return withHeader(base, JSON.stringify(header));
}

const clone = <T>(v: T): T => structuredClone(v);

/** Every path into a JSON value (not the root), as keys. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((k) => {
    const child = (value as Record<string | number, Json>)[k];
    return [[...prefix, k], ...paths(child, [...prefix, k])];
  });
}

/** `history[0].lr`: a path as the error messages write it. */
function fieldName(path: readonly (string | number)[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** A copy of `meta` with the value at `path` replaced (`undefined`: removed). */
function setAt(meta: Json, path: readonly (string | number)[], value: Json | undefined): Json {
  const copy = clone(meta);
  let parent = copy as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
  const last = path[path.length - 1];
  if (value !== undefined) parent[last] = value;
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
  return copy;
}

function getAt(meta: Json, path: readonly (string | number)[]): Json {
  return path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k], meta);
}

/** A value of another JSON type than `v`. */
function otherType(v: Json): Json {
  if (v === null) return [];
  if (Array.isArray(v)) return {};
  switch (typeof v) {
    case 'number':
      return 'x';
    case 'string':
      return 7;
    case 'boolean':
      return 'true';
    default:
      return [];
  }
}

/** Metadata fields older checkpoints lack, with the value they are read with. */
const DEFAULTED = new Map<string, Json>([['config.labelSmoothing', 0]]);

/** Metadata fields where null is allowed (no feature names; a NaN loss, which JSON writes as null). */
const NULL_ALLOWED =
  /^(input\.featureNames|progress\.lossSum|history\[\d+\]\.(trainLoss|testLoss|samplesPerSecond))$/;

describe('checkpoint fuzzing', () => {
  const dir = tempDir();
  let sgd: Base;
  let adam: Base;
  let rowsFile: string;

  beforeAll(async () => {
    // Tabular data (a standardizer, feature and class names), sgd with momentum, a cosine schedule.
    const a = join(dir, 'iris');
    expect(
      await trainCommand(
        ['--dataset', 'iris', '--hidden', '4', '--epochs', '2', '--out', a, '--quiet'],
        captureIo(),
      ),
    ).toBe(0);
    // Adam's step counts and two buffers, a constant rate (no scheduler), PReLU's learned slope.
    const b = join(dir, 'xor');
    expect(
      await trainCommand(
        [
          '--dataset',
          'xor',
          '--hidden',
          '3',
          '--activation',
          'prelu',
          '--optimizer',
          'adam',
          '--schedule',
          'constant',
          '--epochs',
          '1',
          '--out',
          b,
          '--quiet',
        ],
        captureIo(),
      ),
    ).toBe(0);
    // Copies: a Buffer from readFileSync may be a view into a shared pool.
    sgd = takeApart(new Uint8Array(readFileSync(join(a, 'checkpoint.safetensors'))));
    adam = takeApart(new Uint8Array(readFileSync(join(b, 'checkpoint.safetensors'))));
    rowsFile = join(dir, 'rows.json');
    writeFileSync(rowsFile, JSON.stringify([[5.1, 3.5, 1.4, 0.2]]));
  });

  /** The readers the corruptions go through; each must refuse them. */
  const readers: Record<string, (path: string) => Promise<unknown>> = {
    load: async (path) => restoreModel(readCheckpoint(path)),
    eval: (path) => evalCommand([path, '--quiet'], captureIo()),
    predict: (path) => predictCommand([path, '--input', rowsFile, '--quiet'], captureIo()),
    resume: (path) => resumeCommand([path, '--epochs', '5', '--quiet'], captureIo()),
  };

  let written = 0;
  function save(bytes: Uint8Array): string {
    const path = join(dir, `case-${written++}.safetensors`);
    writeFileSync(path, bytes);
    return path;
  }

  /**
   * Runs the load API and one of the commands (in turn, so each command sees a third of every
   * family and the test stays short) on every corruption; returns what went wrong, one line each.
   */
  async function refuseAll(cases: readonly Corruption[]): Promise<string[]> {
    const problems: string[] = [];
    const tensorsBefore = memory().numTensors;
    const commands = ['eval', 'predict', 'resume'];
    for (const [i, c] of cases.entries()) {
      const path = save(c.bytes);
      for (const reader of ['load', commands[i % 3]]) {
        const read = readers[reader];
        let error: unknown = null;
        try {
          await read(path);
        } catch (e) {
          error = e;
        }
        const where = `${c.name} via ${reader}`;
        if (error === null) problems.push(`${where}: accepted`);
        else if (!(error instanceof CheckpointError))
          problems.push(`${where}: ${(error as Error).name}: ${(error as Error).message}`);
        else if (error.message.includes('\n')) problems.push(`${where}: message of several lines`);
        else if (!error.message.startsWith(`checkpoint ${path}: `))
          problems.push(`${where}: message does not name the file: ${error.message}`);
        else if (c.message && !c.message.test(error.message))
          problems.push(`${where}: message ${JSON.stringify(error.message)} does not match ${c.message}`);
      }
    }
    // Refused before anything was built: not one tensor was made (no model, no optimizer state).
    if (memory().numTensors !== tensorsBefore)
      problems.push(`tensors were allocated: ${memory().numTensors - tensorsBefore}`);
    return problems;
  }

  const counts: Record<string, number> = {};
  const run = async (family: string, cases: readonly Corruption[]): Promise<void> => {
    counts[family] = cases.length;
    expect(cases.length).toBeGreaterThanOrEqual(20);
    expect(await refuseAll(cases)).toEqual([]);
  };

  it('the untouched checkpoints load, and the corruptions below change them', async () => {
    for (const base of [sgd, adam]) {
      const path = save(base.bytes);
      await readers.load(path);
      await readers.eval(path);
      // Re-signing an unchanged checkpoint gives a loadable file: the corruptions test what they change.
      restoreModel(readCheckpoint(save(sign(base.tensors, base.meta))));
      restoreModel(readCheckpoint(save(sign(base.tensors, base.meta, false))));
    }
    await readers.predict(save(sgd.bytes));
  });

  it('truncations and damaged header lengths', async () => {
    const n = sgd.headerLength;
    const len = sgd.bytes.length;
    const cuts = [
      0,
      1,
      4,
      7,
      8,
      9,
      8 + (n >> 1),
      8 + n - 1,
      8 + n,
      8 + n + 1,
      8 + n + 4,
      len - 40,
      len - 4,
      len - 1,
    ];
    const lengths = [
      0n,
      1n,
      2n,
      BigInt(n - 8),
      BigInt(n - 1),
      BigInt(n + 1),
      BigInt(n + 8),
      BigInt(len),
      1n << 40n,
      (1n << 63n) + 5n,
      (1n << 64n) - 1n,
    ];
    await run('truncation and header length', [
      ...cuts.map((at) => ({ name: `cut at byte ${at}`, bytes: sgd.bytes.slice(0, at) })),
      ...lengths.map((value) => {
        const bytes = sgd.bytes.slice();
        new DataView(bytes.buffer).setBigUint64(0, value, true);
        return { name: `header length ${value}`, bytes };
      }),
    ]);
  });

  it('bit flips in the header and, with the checksum, in the data', async () => {
    const flip = (at: number, bit: number): Uint8Array => {
      const bytes = sgd.bytes.slice();
      bytes[at] ^= 1 << bit;
      return bytes;
    };
    const header: Corruption[] = [];
    for (let at = 0; at < 8 + sgd.headerLength; at += 11) {
      header.push({ name: `header bit ${at % 8} of byte ${at}`, bytes: flip(at, at % 8) });
    }
    const data: Corruption[] = [];
    for (let at = 8 + sgd.headerLength; at < sgd.bytes.length; at += 3) {
      data.push({
        name: `data bit ${at % 8} of byte ${at}`,
        bytes: flip(at, at % 8),
        message: /checksum mismatch|must be finite/,
      });
    }
    await run('header bit flip', header);
    await run('data bit flip (with checksum)', data);
  });

  it('data bit flips in a checkpoint without a checksum: only non-finite results can be caught', () => {
    const old = takeApart(sign(sgd.tensors, sgd.meta, false));
    let refused = 0;
    const undetectable: string[] = [];
    for (let at = 8 + old.headerLength; at < old.bytes.length; at += 3) {
      const bytes = old.bytes.slice();
      bytes[at] ^= 1 << (at % 8);
      const path = save(bytes);
      try {
        restoreModel(readCheckpoint(path));
        undetectable.push(`byte ${at}`);
      } catch (e) {
        expect(e).toBeInstanceOf(CheckpointError);
        expect((e as Error).message).toMatch(/must be finite/);
        refused++;
      }
    }
    counts['data bit flip (no checksum)'] = refused + undetectable.length;
    counts.undetectable = undetectable.length;
    // A flip of a float's top exponent bits can give Inf/NaN (caught); the rest are plausible weights.
    expect(undetectable.length).toBeGreaterThan(0);
    expect(refused + undetectable.length).toBe(Math.ceil((old.bytes.length - 8 - old.headerLength) / 3));
  });

  it('bad header JSON, a BOM, duplicate keys and bad __metadata__', async () => {
    const text = headerText(sgd);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    const invalidUtf8 = new TextEncoder().encode(text);
    invalidUtf8[text.indexOf('model.0.bias') + 2] = 0xff;
    const firstTensor = text.indexOf('"model.');
    const tensorEntry = text.slice(firstTensor, text.indexOf('}', firstTensor) + 1);
    const metadataEntry = text.slice(1, text.indexOf(',"model.'));
    const checkpointJson = JSON.stringify(sgd.meta);
    const duplicatedInside = checkpointJson.replace('"model":', '"model":{"inputSize":9},"model":');
    await run('header JSON', [
      {
        name: 'a BOM before {',
        bytes: withHeader(sgd, bom),
        message: /starting with '\{', but it starts with byte 0xef/,
      },
      { name: 'a space before {', bytes: withHeader(sgd, ` ${text}`), message: /starting with '\{'/ },
      { name: 'an empty header', bytes: withHeader(sgd, ''), message: /starts with nothing/ },
      { name: 'a JSON array', bytes: withHeader(sgd, '[]'), message: /starting with '\{'/ },
      { name: 'an unclosed object', bytes: withHeader(sgd, text.slice(0, -1)), message: /not valid JSON/ },
      { name: 'garbage after the object', bytes: withHeader(sgd, `${text}x`), message: /not valid JSON/ },
      { name: 'invalid UTF-8', bytes: withHeader(sgd, invalidUtf8), message: /not valid UTF-8/ },
      { name: 'an empty object', bytes: withHeader(sgd, '{}'), message: /trailing bytes/ },
      {
        name: 'a duplicated __metadata__',
        bytes: withHeader(sgd, `{${metadataEntry},${text.slice(1)}`),
        message: /the key '__metadata__' twice/,
      },
      {
        name: 'a duplicated tensor',
        bytes: withHeader(sgd, `{${tensorEntry},${text.slice(1)}`),
        message: /the key 'model\.0\.bias' twice/,
      },
      {
        name: 'a duplicated key inside the metadata JSON',
        bytes: sign(sgd.tensors, null, true, duplicatedInside),
        message: /the key 'model' twice/,
      },
      ...[
        ['a string', '"x"'],
        ['an array', '[]'],
        ['a number value', '{"backprop-trainer":1}'],
      ].map(([what, value]) => ({
        name: `__metadata__ ${what}`,
        bytes: editHeader(sgd, (h) => {
          h.__metadata__ = JSON.parse(value);
        }),
        message: /__metadata__/,
      })),
      ...[
        ['no format version', { 'backprop-trainer': undefined }, /not a backprop-trainer checkpoint/],
        ['format version 2', { 'backprop-trainer': '2' }, /format "2" is not supported/],
        ['no checkpoint entry', { checkpoint: undefined }, /no "checkpoint" entry/],
        ['an unknown key', { extra: 'x' }, /unknown key "extra"/],
        ['a renamed checksum key', { sha256: undefined, sha257: 'a'.repeat(64) }, /unknown key "sha257"/],
        ['a checksum that is not hex', { sha256: 'xyz' }, /not a SHA-256 in hex/],
        ['a wrong checksum', { sha256: '0'.repeat(64) }, /checksum mismatch/],
        [
          'metadata JSON that is an array',
          { checkpoint: '[]' },
          /metadata must be a JSON object|checksum mismatch/,
        ],
      ].map(([name, changes, message]) => ({
        name: name as string,
        bytes: editHeader(sgd, (h) => {
          const m = h.__metadata__ as Record<string, Json>;
          for (const [k, v] of Object.entries(changes as Record<string, Json | undefined>)) {
            if (v === undefined) delete m[k];
            else m[k] = v;
          }
        }),
        message: message as RegExp,
      })),
      ...['[]', 'null', '5', '{', '"x"'].map((json) => ({
        name: `metadata JSON ${json}`,
        bytes: sign(sgd.tensors, null, true, json),
        message: /checkpoint metadata (is not valid JSON|must be a JSON object)/,
      })),
    ]);
  });

  it('dtypes, shapes and offsets in the tensor entries', async () => {
    const names = ['model.0.weight', 'model.2.bias', 'optimizer.1.momentumBuffer'];
    const entry = (h: Record<string, Json>, name: string) =>
      h[name] as { dtype: Json; shape: Json; data_offsets: Json };
    const cases: Corruption[] = [];
    for (const name of names) {
      for (const dtype of ['I32', 'U32', 'F64', 'F16', 'BF16', 'F33', 'f32', '', null, 4]) {
        cases.push({
          name: `${name} dtype ${JSON.stringify(dtype)}`,
          bytes: editHeader(sgd, (h) => {
            entry(h, name).dtype = dtype;
          }),
          message: /dtype|expected a float|needs/,
        });
      }
      const { shape } = sgd.tensors[name];
      for (const bad of [
        [],
        [0],
        [-1],
        [1.5],
        'x',
        null,
        [2 ** 53],
        [...shape].reverse().concat(1),
        [shape[0] * 2],
        [1, ...shape],
      ]) {
        cases.push({
          name: `${name} shape ${JSON.stringify(bad)}`,
          bytes: editHeader(sgd, (h) => {
            entry(h, name).shape = bad as Json;
          }),
        });
      }
      const [a, b] = JSON.parse(headerText(sgd))[name].data_offsets as number[];
      for (const bad of [
        [a + 4, b + 4],
        [a - 4, b - 4],
        [b, a],
        [0, 0],
        [-1, b],
        [a, b + 4],
        [a],
        [a, b, b],
        'x',
        [a, 2 ** 60],
      ]) {
        cases.push({
          name: `${name} data_offsets ${JSON.stringify(bad)}`,
          bytes: editHeader(sgd, (h) => {
            entry(h, name).data_offsets = bad as Json;
          }),
        });
      }
    }
    await run('dtype, shape and offsets', cases);
  });

  it('missing, extra and non-finite tensors', async () => {
    const cases: Corruption[] = [];
    for (const name of Object.keys(sgd.tensors)) {
      const { [name]: _, ...rest } = sgd.tensors;
      cases.push({ name: `${name} missing`, bytes: sign(rest, sgd.meta), message: /is missing/ });
      for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        const data = sgd.tensors[name].data.slice();
        data[data.length - 1] = value;
        cases.push({
          name: `${name} holding ${value}`,
          bytes: sign({ ...sgd.tensors, [name]: { ...sgd.tensors[name], data } }, sgd.meta),
          message: new RegExp(
            `tensor '${name.replace(/\./g, '\\.')}' holds -?(NaN|Infinity) at element ${data.length - 1}: weights must be finite`,
          ),
        });
      }
    }
    for (const extra of ['model.9.weight', 'model.0.weight2', 'optimizer.0.expAvg', 'notes']) {
      cases.push({
        name: `extra tensor ${extra}`,
        bytes: sign({ ...sgd.tensors, [extra]: { shape: [1], data: Float32Array.of(1) } }, sgd.meta),
        message: new RegExp(
          `tensors ${extra.replace(/\./g, '\\.')} belong neither to the model nor to the optimizer`,
        ),
      });
    }
    await run('missing, extra, non-finite tensors', cases);
    // Asked for, non-finite weights load.
    const data = sgd.tensors['model.0.bias'].data.slice();
    data[0] = Number.NaN;
    const path = save(sign({ ...sgd.tensors, 'model.0.bias': { shape: [4], data } }, sgd.meta));
    expect(Number.isNaN(readCheckpoint(path, { allowNonfinite: true }).values.get('model.0.bias')?.[0])).toBe(
      true,
    );
  });

  it('every metadata field removed, or given another type or null', async () => {
    const cases: Corruption[] = [];
    const accepted: string[] = [];
    for (const base of [sgd, adam]) {
      for (const path of paths(base.meta)) {
        const field = fieldName(path);
        const original = getAt(base.meta, path);
        // Removal is tried on the first checkpoint only: the second adds Adam's and PReLU's fields.
        const mutations: [string, Json | undefined][] = [['another type', otherType(original)]];
        if (base === sgd) mutations.push(['removed', undefined]);
        if (original !== null) mutations.push(['null', null]);
        for (const [what, value] of mutations) {
          const bytes = sign(base.tensors, setAt(base.meta, path, value));
          if (what === 'removed' && DEFAULTED.has(field)) {
            // Checkpoints written before the field existed load with its default.
            const { meta } = readCheckpoint(save(bytes));
            expect(getAt(meta as unknown as Json, path), field).toBe(DEFAULTED.get(field));
            accepted.push(field);
            continue;
          }
          if (what === 'null' && NULL_ALLOWED.test(field)) {
            // Allowed nulls must load: the schema is not stricter than what the trainer writes.
            restoreModel(readCheckpoint(save(bytes)));
            accepted.push(field);
            continue;
          }
          // A wrong value is named exactly; a removed one may break an agreement named elsewhere.
          const exact = new RegExp(`metadata field 'checkpoint\\.${field.replace(/[.[\]]/g, '\\$&')}' is `);
          cases.push({
            name: `${field} ${what}`,
            bytes,
            message: what === 'removed' ? /metadata field '|tensor '/ : exact,
          });
        }
      }
    }
    expect(accepted.length).toBeGreaterThan(0);
    await run('metadata field type', cases);
  });

  it('metadata values out of range, of the wrong length, or disagreeing with each other or the tensors', async () => {
    const m = sgd.meta;
    const edit = (path: string, value: Json | undefined, message: RegExp, base: Base = sgd): Corruption => {
      // `a.b[0].c`: names are object keys, bracketed numbers array indices (`state.0` is a key).
      const keys = [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map(
        ([, name, index]) => name ?? Number(index),
      );
      return {
        name: `${path} = ${JSON.stringify(value)}`,
        bytes: sign(base.tensors, setAt(base.meta, keys, value)),
        message,
      };
    };
    const both = (value: Json, message: RegExp): Corruption => {
      const meta = setAt(setAt(m, ['model', 'hidden'], value), ['config', 'hidden'], value);
      return {
        name: `model and config hidden = ${JSON.stringify(value)}`,
        bytes: sign(sgd.tensors, meta),
        message,
      };
    };
    const group = 'optimizer.paramGroups[0]';
    await run('metadata range, length, agreement', [
      // The issue's 6 KB file declaring a 20000×20000 layer: refused from the tensor shapes at once.
      both([20000, 20000], /tensor 'model\.0\.weight' has shape \[4, 4\] but the model needs \[20000, 4\]/),
      both([1e10], /'checkpoint\.config\.hidden\[0\]' is 10000000000: expected an integer >= 1 and <= 65536/),
      both([], /tensor 'model\.0\.weight' has shape \[4, 4\] but the model needs \[3, 4\]/),
      edit('model.hidden', [8], /model\.hidden' is \[8\]: expected the same widths as config\.hidden \[4\]/),
      edit('model.inputSize', 5, /input\.numFeatures' is 4: expected model\.inputSize 5/),
      edit('model.outputSize', 4, /input\.classNames' is .*: expected 4 class names/),
      edit('model.activation', 'relu2', /model\.activation' is "relu2": expected one of: relu, sigmoid/),
      edit('model.activation', 'tanh', /model\.activation' is "tanh": expected config\.activation "relu"/),
      edit('model.loss', 'bce', /model\.loss' is "bce": expected config\.loss/),
      edit('input.classNames', ['a', 'b'], /input\.classNames' is \["a","b"\]: expected 3 class names/),
      edit('input.classNames', ['a', 'a', 'b'], /expected class names that are all different/),
      edit('input.classNames', [], /expected an array of 1 to/),
      edit('input.featureNames', ['a'], /input\.featureNames' is \["a"\]: expected 4 names/),
      edit(
        'input.imageShape',
        [2, 2],
        /input\.imageShape' is \[2,2\]: expected null \(iris inputs are not images\)/,
      ),
      edit(
        'input.imageShape',
        [3, 3],
        /input\.imageShape' is \[3,3\]: expected a height × width of 4 pixels/,
      ),
      edit('input.standardizer', null, /input\.standardizer' is null: expected the mean and std of iris/),
      edit('input.standardizer.std[0]', 0, /std\[0\]' is 0: expected a finite number > 0/),
      edit('input.standardizer.std[1]', -1, /std\[1\]' is -1: expected a finite number > 0/),
      edit('input.standardizer.mean', [0, 0, 0], /standardizer\.mean' is \[0,0,0\]: expected 4 values/),
      edit('input.standardizer.scale', [1], /standardizer\.scale' is \[1\]: expected no such field/),
      edit('input.numFeatures', 1e9, /numFeatures' is 1000000000: expected an integer >= 1 and <= 16777216/),
      edit('progress.epoch', -1, /progress\.epoch' is -1: expected an integer >= 0/),
      edit('progress.epoch', 1.5, /progress\.epoch' is 1\.5: expected an integer/),
      edit('progress.epoch', '2', /progress\.epoch' is "2": expected an integer/),
      edit('progress.epoch', 3, /progress\.epoch' is 3: expected at most config\.epochs 2/),
      edit('progress.epoch', 1, /history' is .*: expected 1 entries/),
      edit('progress.step', -5, /progress\.step' is -5/),
      edit('progress.seen', 10, /progress\.seen' is 10: expected 0 at the start of an epoch/),
      edit('progress.correct', 2 ** 53, /progress\.correct' is 9007199254740992: expected an integer/),
      edit('progress.trainSeconds', -1, /trainSeconds' is -1: expected a finite number >= 0/),
      edit(
        'progress.loaderState.s',
        [0, 0, 0, 0],
        /loaderState' is .*: expected four 32-bit words, not all zero/,
      ),
      edit(
        'progress.augmentState.s[0]',
        2 ** 32,
        /augmentState\.s\[0\]' is 4294967296: expected an integer >= 0 and <= 4294967295/,
      ),
      edit('rng.global', {}, /rng\.global\.s' is missing: expected an array of 4 items/),
      edit('rng.global.s', [1, 2, 3], /rng\.global\.s' is \[1,2,3\]: expected an array of 4 items/),
      edit('rng.global.s[2]', -1, /rng\.global\.s\[2\]' is -1/),
      edit('history', 'x', /history' is "x": expected an array/),
      edit('history', [], /history' is \[\]: expected 2 entries/),
      edit('history[0].epoch', 2, /history\[0\]\.epoch' is 2: expected 1/),
      edit('history[1].trainAccuracy', 1.5, /trainAccuracy' is 1\.5: expected a finite number >= 0 and <= 1/),
      edit('history[0].lr', -0.1, /history\[0\]\.lr' is -0\.1/),
      edit(
        'config.epochs',
        99999999999,
        /config\.epochs' is 99999999999: expected an integer >= 1 and <= 100000/,
      ),
      edit('config.epochs', 1, /progress\.epoch' is 2: expected at most config\.epochs 1/),
      edit('config.lr', 0, /config\.lr' is 0: expected a finite number > 0/),
      edit('config.lr', 0.5, /initialLr' is 0\.1: expected config\.lr 0\.5/),
      edit('config.momentum', 1.5, /config\.momentum' is 1\.5: expected a finite number >= 0 and <= 0\.999/),
      edit('config.seed', -1, /config\.seed' is -1/),
      edit('config.augment', 9, /config\.augment' is 9/),
      edit('config.batchSize', 0, /config\.batchSize' is 0/),
      edit('config.dataset', 'imagenet', /config\.dataset' is "imagenet": expected one of mnist, xor/),
      edit('config.dataset', 'csv:relative.csv', /config\.dataset' is "csv:relative\.csv"/),
      edit(
        'config.dataset',
        'spirals',
        /model' is .*: expected 2 inputs and 3 outputs, as spirals has|standardizer/,
      ),
      edit('config.backend', 'tpu', /config\.backend' is "tpu": expected one of: cpu, gpujs/),
      edit('config.optimizer', 'adam', /optimizer\.optimizer' is "SGD": expected "Adam"/),
      edit('config.schedule', 'constant', /scheduler' is .*: expected null for config\.schedule "constant"/),
      edit('config.schedule', 'step', /scheduler' is .*: expected the state of a MultiStepLR/),
      edit('savedAt', 'yesterday', /savedAt' is "yesterday": expected an ISO 8601 UTC time/),
      edit('hack', 1, /metadata field 'checkpoint\.hack' is 1: expected no such field/),
      edit('scheduler', 'garbage', /scheduler' is "garbage": expected an object/),
      edit('scheduler', {}, /scheduler\.format' is missing/),
      edit('scheduler', null, /scheduler' is null: expected the state of a CosineAnnealingLR/),
      edit('scheduler.lastEpoch', -1, /lastEpoch' is -1: expected an integer >= 0/),
      edit('scheduler.lastEpoch', 5, /lastEpoch' is 5: expected progress\.step 16/),
      edit('scheduler.scheduler', 'StepLR', /scheduler\.scheduler' is "StepLR": expected one of/),
      edit('scheduler.baseLrs', [], /baseLrs' is \[\]: expected an array of 1 items/),
      edit('scheduler.baseLrs[0]', -0.1, /baseLrs\[0\]' is -0\.1/),
      edit('optimizer.format', 'x', /optimizer\.format' is "x": expected "backprop\.optimizer\/1"/),
      edit('optimizer.paramGroups', 'x', /paramGroups' is "x": expected an array of 1 items/),
      edit('optimizer.paramGroups', [], /paramGroups' is \[\]: expected an array of 1 items/),
      edit(
        'optimizer.paramGroups[0]',
        {},
        /paramGroups\[0\]' is \{\}: expected an object with|paramGroups\[0\]\.lr' is missing/,
      ),
      edit(`${group}.lr`, -1, /paramGroups\[0\]\.lr' is -1: expected a finite number >= 0/),
      edit(`${group}.momentum`, 2, /paramGroups\[0\]\.momentum' is 2/),
      edit(`${group}.momentum`, 0.5, /paramGroups\[0\]\.momentum' is 0\.5: expected config\.momentum 0\.9/),
      edit(`${group}.weightDecay`, 0.1, /weightDecay' is 0\.1: expected config\.weightDecay 0/),
      edit(`${group}.params`, [0, 1, 2], /params' is \[0,1,2\]: expected the indices 0\.\.3/),
      edit(`${group}.params`, [3, 2, 1, 0], /params' is \[3,2,1,0\]: expected the indices 0\.\.3/),
      edit(`${group}.nesterov`, 'yes', /nesterov' is "yes": expected true or false/),
      edit(`${group}.betas`, [0.9, 0.99], /betas' is \[0\.9,0\.99\]: expected no such field/),
      edit(
        'optimizer.state',
        'x',
        /optimizer\.state' is "x": expected an object whose keys are parameter indices/,
      ),
      edit('optimizer.state', {}, /optimizer\.state' is \{\}: expected state for all 4 parameters/),
      edit(
        'optimizer.state.9',
        { momentumBuffer: 1 },
        /optimizer\.state' is .*: expected state for all 4 parameters/,
      ),
      edit('optimizer.state.x', {}, /optimizer\.state\.x' is \{\}: expected no such key/),
      edit('optimizer.state.0.foo', 3, /state\.0\.foo' is 3: expected one of momentumBuffer/),
      edit('optimizer.state.0.momentumBuffer', 3, /momentumBuffer' is 3: expected a stored tensor/),
      edit(
        'optimizer.state.0.momentumBuffer.tensor',
        'optimizer.1.momentumBuffer',
        /tensor' is "optimizer\.1\.momentumBuffer": expected "optimizer\.0\.momentumBuffer"/,
      ),
      edit(
        'optimizer.state.0.momentumBuffer.shape',
        [4],
        /momentumBuffer\.shape' is \[4\]: expected \[4, 4\]/,
      ),
      // Adam, a constant rate and PReLU.
      edit('optimizer.state.0.step', 7, /state\.0\.step' is 7: expected progress\.step 50/, adam),
      edit(
        'optimizer.state.1.expAvg',
        undefined,
        /state\.1\.expAvg' is missing: expected the expAvg that Adam keeps/,
        adam,
      ),
      edit('optimizer.state.1.step', -1, /state\.1\.step' is -1/, adam),
      edit(
        'scheduler',
        {
          format: 'backprop.scheduler/1',
          scheduler: 'CosineAnnealingLR',
          lastEpoch: 50,
          baseLrs: [0.002],
          lastLr: [0],
        },
        /expected null for config\.schedule "constant"/,
        adam,
      ),
      edit(
        'optimizer.paramGroups[0].lr',
        0.5,
        /paramGroups\[0\]\.lr' is 0\.5: expected config\.lr 0\.002/,
        adam,
      ),
      edit('optimizer.paramGroups[0].eps', 0, /eps' is 0: expected a finite number > 0/, adam),
      edit('optimizer.paramGroups[0].betas', [0.9], /betas' is \[0\.9\]: expected an array of 2 items/, adam),
      edit('optimizer.paramGroups[0].amsgrad', true, /maxExpAvgSq' is missing/, adam),
      edit(
        'model.activation',
        'relu',
        /model\.activation' is "relu": expected config\.activation "prelu"/,
        adam,
      ),
      edit('progress.step', 0, /state' is .*: expected no state before the first step/, adam),
    ]);
    expect(m.progress).toBeDefined();
  });

  afterAll(() => {
    // The figures the README quotes, printed so a run shows them (every family must have run).
    if (Object.keys(counts).length < 10) return;
    const total = Object.entries(counts)
      .filter(([family]) => family !== 'undetectable')
      .reduce((a, [, n]) => a + n, 0);
    console.log(`checkpoint fuzz: ${total} corruptions`, counts);
  });
});

describe('the parameter layout checked before building', () => {
  it('matches the built model for every activation, in the optimizer order', () => {
    for (const activation of ACTIVATIONS) {
      const mlpConfig = {
        architecture: 'mlp' as const,
        imageShape: null,
        inputSize: 3,
        hidden: [4, 2],
        outputSize: 2,
        activation,
        loss: 'cross-entropy' as const,
      };
      const lenetConfig = {
        ...mlpConfig,
        architecture: 'lenet' as const,
        imageShape: [28, 28],
        inputSize: 784,
        hidden: [],
      };
      for (const config of [mlpConfig, lenetConfig]) {
        const model = buildModel(config);
        const built = Object.entries(model.stateDict()).map(([name, t]) => ({ name, shape: [...t.shape] }));
        expect(parameterShapes(config), activation).toEqual(built);
        expect(model.parameters().map((p) => [...p.shape])).toEqual(built.map((p) => p.shape));
        for (const p of model.parameters()) p.dispose();
      }
    }
  });
});
