import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { inflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/checkpoint/atomic.js';
import { readCheckpoint, restoreModel } from '../src/checkpoint/checkpoint.js';
import {
  CheckpointError,
  decodeSafetensors,
  encodeSafetensors,
  readFloat32,
} from '../src/checkpoint/safetensors.js';
import { evalCommand } from '../src/commands/eval.js';
import { predictCommand } from '../src/commands/predict.js';
import { trainCommand } from '../src/commands/train.js';
import { loadData } from '../src/datasets.js';
import { crc32, encodeGrayPng } from '../src/report/png.js';
import { APP_DIR, captureIo, runCli, tempDir } from './helpers.js';

/** Re-encodes a safetensors file after `edit` changes its parsed header (body bytes kept as they are). */
function rewriteHeader(
  bytes: Uint8Array,
  edit: (header: Record<string, { dtype: string; data_offsets: number[] }>) => void,
): Uint8Array {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  edit(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + bytes.length - 8 - n);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(bytes.subarray(8 + n), 8 + json.length);
  return out;
}

describe('a spirals run', () => {
  const dir = tempDir();
  const out = join(dir, 'run');
  let summary: { status: string; heldOut: { accuracy: number; confusion: number[][] } };

  beforeAll(async () => {
    const io = captureIo();
    const code = await trainCommand(
      ['--dataset', 'spirals', '--epochs', '40', '--optimizer', 'adam', '--out', out, '--json'],
      io,
    );
    expect(code).toBe(0);
    summary = JSON.parse(io.out());
  });

  it('trains to high held-out accuracy and writes the run folder', () => {
    expect(summary.status).toBe('finished');
    expect(summary.heldOut.accuracy).toBeGreaterThan(0.9);
    expect(readdirSync(out).sort()).toEqual(['checkpoint.safetensors', 'metrics.jsonl', 'report.html']);
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(40);
    expect(lines[39]).toMatchObject({ epoch: 40, testAccuracy: summary.heldOut.accuracy });
    expect(Object.keys(lines[0]).sort()).toEqual(
      [
        'epoch',
        'lr',
        'samplesPerSecond',
        'seconds',
        'testAccuracy',
        'testLoss',
        'trainAccuracy',
        'trainLoss',
      ].sort(),
    );
  });

  it('saves weights other tools can read and the metadata to rebuild the run', () => {
    const file = decodeSafetensors(readFileSync(join(out, 'checkpoint.safetensors')));
    expect(file.tensors.get('model.0.weight')).toMatchObject({ dtype: 'F32', shape: [64, 2] });
    expect(file.tensors.get('model.4.bias')).toMatchObject({ dtype: 'F32', shape: [3] });
    expect([...file.tensors.keys()].some((k) => k.startsWith('optimizer.0.'))).toBe(true);
    const { meta } = readCheckpoint(out);
    expect(meta.config).toMatchObject({
      dataset: 'spirals',
      hidden: [64, 64],
      optimizer: 'adam',
      epochs: 40,
    });
    expect(meta.model).toEqual({
      architecture: 'mlp',
      imageShape: null,
      inputSize: 2,
      hidden: [64, 64],
      outputSize: 3,
      activation: 'relu',
      loss: 'cross-entropy',
    });
    expect(meta.progress).toMatchObject({ epoch: 40, batchInEpoch: 0, step: 40 * 25 });
    expect(meta.optimizer.optimizer).toBe('Adam');
    expect(meta.scheduler).toMatchObject({ scheduler: 'CosineAnnealingLR', lastEpoch: 1000 });
    expect(meta.rng.global.s).toHaveLength(4);
  });

  it('writes one self-contained HTML report with the plots', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    for (const title of ['Loss', 'Accuracy', 'Learning rate', 'Confusion matrix', 'Decision regions']) {
      expect(html).toContain(`aria-label="${title}`);
    }
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(5);
    expect(html).toContain('<polyline');
    // Self-contained: no scripts, no external stylesheets, images or fonts.
    expect(html).not.toMatch(/<script|<link|src="http|url\(/);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toContain('http');
  });

  it('eval reproduces the held-out accuracy from the checkpoint', async () => {
    const io = captureIo();
    expect(await evalCommand([out, '--json'], io)).toBe(0);
    const result = JSON.parse(io.out());
    expect(result.accuracy).toBe(summary.heldOut.accuracy);
    expect(result.confusion).toEqual(summary.heldOut.confusion);
    expect(result.samples).toBe(200);
  });

  it('eval runs on another data set of the same shape and refuses one that does not fit', async () => {
    const io = captureIo();
    expect(await evalCommand([out, '--dataset', 'spirals', '--quiet'], io)).toBe(0);
    expect(io.out()).toMatch(/^accuracy \d+\.\d\d%\n$/);
    const bad = await runCli(['eval', out, '--dataset', 'iris']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /the model takes 2 features and predicts 3 classes, but .* has 4 features and 3 classes/,
    );
  });

  it('predict prints class probabilities for JSON, CSV and stdin input', async () => {
    const test = loadData({
      dataset: 'spirals',
      target: null,
      trainSize: null,
      testSize: null,
      seed: 0,
    }).test;
    const rows = Array.from({ length: 5 }, (_, i) => [test.x[2 * i], test.x[2 * i + 1]]);
    const jsonFile = join(dir, 'rows.json');
    writeFileSync(jsonFile, JSON.stringify({ inputs: rows }));
    const csvFile = join(dir, 'rows.csv');
    writeFileSync(csvFile, `y,x\n${rows.map(([x, y]) => `${y},${x}`).join('\n')}\n`);
    const outputs = [];
    for (const args of [['--input', jsonFile], ['--input', csvFile], []]) {
      const io = captureIo();
      const stdin = Readable.from([JSON.stringify(rows)]);
      expect(await predictCommand([out, ...args, '--json'], io, stdin)).toBe(0);
      outputs.push(JSON.parse(io.out()));
    }
    // The CSV names its columns, in another order: they are matched by name.
    expect(outputs[1]).toEqual(outputs[0]);
    expect(outputs[2]).toEqual(outputs[0]);
    const { predictions, classNames } = outputs[0];
    expect(classNames).toEqual(['0', '1', '2']);
    expect(predictions).toHaveLength(5);
    predictions.forEach((p: { predicted: number; probabilities: number[] }, i: number) => {
      expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(p.predicted).toBe(p.probabilities.indexOf(Math.max(...p.probabilities)));
      expect(p.predicted).toBe(test.y[i]);
    });
    const io = captureIo();
    expect(await predictCommand([out, '--input', jsonFile], io)).toBe(0);
    expect(io.out()).toMatch(/^row +predicted +p\(0\) +p\(1\) +p\(2\)\n-+\n0 +\d +0\.\d{4}/);
  });

  it('predict refuses rows of the wrong width', async () => {
    const r = await runCli(['predict', out], { input: '[[1, 2, 3]]' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: stdin: row 0 has 3 values; the model takes 2/);
  });
});

describe('bad checkpoints are refused with a clear error', () => {
  const dir = tempDir();
  const out = join(dir, 'run');
  let good: Uint8Array;

  beforeAll(async () => {
    expect(
      await trainCommand(['--dataset', 'xor', '--epochs', '2', '--out', out, '--quiet'], captureIo()),
    ).toBe(0);
    // A copy: a Buffer from readFileSync may be a view into a shared pool.
    good = new Uint8Array(readFileSync(join(out, 'checkpoint.safetensors')));
  });

  const refused = (bytes: Uint8Array, message: RegExp, load = false): void => {
    const path = join(dir, `bad-${Math.random().toString(36).slice(2)}.safetensors`);
    writeFileSync(path, bytes);
    const attempt = (): void => {
      const checkpoint = readCheckpoint(path);
      if (load) restoreModel(checkpoint);
    };
    expect(attempt).toThrow(CheckpointError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(path);
  };

  it('a truncated file', () =>
    refused(good.subarray(0, good.length - 10), /run past the end of the data.*truncated/));
  it('a file cut inside the header', () =>
    refused(good.subarray(0, 100), /header length \d+ runs past the end of the file/));
  it('a header length past the end of the file', () => {
    const bytes = good.slice();
    new DataView(bytes.buffer).setBigUint64(0, 1n << 40n, true);
    refused(bytes, /header length 1099511627776 runs past the end of the file/);
  });
  it('an unknown dtype', () =>
    refused(
      rewriteHeader(good, (h) => {
        h['model.0.weight'].dtype = 'Q7';
      }),
      /tensor 'model.0.weight': unknown dtype "Q7"/,
    ));
  it('overlapping offsets', () =>
    refused(
      rewriteHeader(good, (h) => {
        // model.0.weight follows model.0.bias: start it 4 bytes inside the bias.
        const [a, b] = h['model.0.weight'].data_offsets;
        h['model.0.weight'].data_offsets = [a - 4, b - 4];
      }),
      /tensors 'model.0.bias' and 'model.0.weight' overlap/,
    ));
  it('offsets out of range', () =>
    refused(
      rewriteHeader(good, (h) => {
        h['model.2.bias'].data_offsets = [good.length, good.length + 8];
      }),
      /'model.2.bias': data_offsets \[\d+, \d+\] run past the end of the data/,
    ));
  it('weights whose shape does not fit the model', () => {
    const file = decodeSafetensors(good);
    const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [k, e] of file.tensors) tensors[k] = { shape: [...e.shape], data: readFloat32(k, e) };
    tensors['model.0.weight'] = { shape: [2, 8], data: tensors['model.0.weight'].data };
    refused(
      encodeSafetensors(tensors, file.metadata),
      /'model.0.weight' has shape \[2, 8\] but the model needs \[8, 2\]/,
      true,
    );
  });
  it('a missing tensor', () =>
    refused(
      rewriteHeader(good, (h) => {
        h['model.x'] = h['model.2.bias'];
        delete h['model.2.bias'];
      }),
      /tensor 'model.2.bias' is missing/,
      true,
    ));
  it('a safetensors file that is not a trainer checkpoint', () =>
    refused(
      encodeSafetensors({ w: { shape: [1], data: Float32Array.of(1) } }),
      /not a backprop-trainer checkpoint/,
    ));

  it('through the command line: exit code 1 and the message, no stack trace', async () => {
    const path = join(dir, 'truncated.safetensors');
    writeFileSync(path, good.subarray(0, good.length - 10));
    const r = await runCli(['eval', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: checkpoint .*truncated\.safetensors: tensor '.*': .*the file is truncated/,
    );
    expect(r.stderr).not.toMatch(/ {4}at /);
  });

  it('train refuses to overwrite a run folder that has a checkpoint', async () => {
    const r = await runCli(['train', '--dataset', 'xor', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already holds a checkpoint: continue it with 'backprop-trainer resume/);
  });
});

describe('atomic writes', () => {
  it('replace the file and leave no temporary files', () => {
    const dir = tempDir();
    const path = join(dir, 'file.bin');
    writeFileAtomic(path, 'old');
    writeFileAtomic(path, Uint8Array.of(1, 2, 3));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['file.bin']);
  });

  it('a process killed while saving leaves the old file or the new one, never a torn one', async () => {
    const dir = tempDir();
    const path = join(dir, 'checkpoint.safetensors');
    writeFileSync(path, Buffer.alloc(1 << 20, 1));
    const script = join(dir, 'writer.mts');
    writeFileSync(
      script,
      `import { writeFileAtomic } from ${JSON.stringify(join(APP_DIR, 'src/checkpoint/atomic.ts'))};\n` +
        `const big = Buffer.alloc(48 << 20, 2);\n` +
        `process.stdout.write('ready\\n');\n` +
        `for (;;) writeFileAtomic(${JSON.stringify(path)}, big);\n`,
    );
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
      cwd: APP_DIR,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 400));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('close', resolve));
    const bytes = readFileSync(path);
    const fill = bytes.length === 1 << 20 ? 1 : 2;
    expect([1 << 20, 48 << 20]).toContain(bytes.length);
    expect(bytes.every((b) => b === fill)).toBe(true);
    // The next save clears what the killed one left behind.
    writeFileAtomic(path, 'new');
    expect(readdirSync(dir).sort()).toEqual(['checkpoint.safetensors', 'writer.mts']);
  });
});

describe('the PNG encoder', () => {
  it('writes a valid grayscale PNG: signature, IHDR, CRCs and the pixels', () => {
    const png = encodeGrayPng(Float32Array.of(0, 1, 0.5, 0), 2, 2, 2);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    const chunks: { type: string; data: Uint8Array }[] = [];
    for (let at = 8; at < png.length; ) {
      const length = view.getUint32(at);
      const type = new TextDecoder().decode(png.subarray(at + 4, at + 8));
      const data = png.subarray(at + 8, at + 8 + length);
      expect(view.getUint32(at + 8 + length)).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
      chunks.push({ type, data });
      at += 12 + length;
    }
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = new DataView(chunks[0].data.buffer, chunks[0].data.byteOffset);
    expect([ihdr.getUint32(0), ihdr.getUint32(4), chunks[0].data[8], chunks[0].data[9]]).toEqual([
      4, 4, 8, 0,
    ]);
    // Each 5-byte scanline: filter 0, then 4 pixels (each source pixel doubled); ink is dark.
    const raw = inflateSync(chunks[1].data);
    expect([...raw.subarray(0, 5)]).toEqual([0, 255, 255, 0, 0]);
    expect([...raw.subarray(10, 15)]).toEqual([0, 127, 127, 255, 255]);
  });
});

describe('an MNIST run report', () => {
  it('shows the curves, the confusion matrix and a grid of misclassified digits', async () => {
    const out = join(tempDir(), 'mnist');
    const args = [
      '--train-size',
      '1000',
      '--test-size',
      '300',
      '--hidden',
      '32',
      '--epochs',
      '2',
      '--out',
      out,
      '--quiet',
    ];
    expect(await trainCommand(args, captureIo())).toBe(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const title of ['Loss', 'Accuracy', 'Confusion matrix'])
      expect(html).toContain(`aria-label="${title}`);
    expect(html).toMatch(
      /<h2>Misclassified samples<\/h2><p class="note">\d+ of 300 samples are misclassified/,
    );
    const images = [
      ...html.matchAll(
        /<img src="data:image\/png;base64,([^"]+)" alt="sample \d+: true (\d), predicted (\d)">/g,
      ),
    ];
    expect(images.length).toBeGreaterThan(0);
    expect(images.length).toBeLessThanOrEqual(48);
    for (const [, , truth, predicted] of images) expect(truth).not.toBe(predicted);
    const png = Buffer.from(images[0][1], 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // 28×28 digits drawn at twice the size.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([56, 56]);
    expect(html).not.toMatch(/<script|<link|src="http/);
  });
});

describe('a CSV data set', () => {
  it('trains on a file with named classes, then predicts from rows that carry extra columns', async () => {
    const dir = tempDir();
    const file = join(dir, 'fruit.csv');
    // Two well separated clusters with string labels, and an id column the model should not see.
    const rows = Array.from({ length: 120 }, (_, i) => {
      const apple = i % 2 === 0;
      const weight = (apple ? 150 : 120) + ((i * 7) % 11) - 5;
      const sugar = (apple ? 10 : 14) + ((i * 3) % 5) / 5;
      return `${apple ? 'apple' : 'pear'},${weight},${sugar}`;
    });
    writeFileSync(file, `kind,weight,sugar\n${rows.join('\n')}\n`);
    const out = join(dir, 'run');
    const io = captureIo();
    const args = [
      '--dataset',
      `csv:${file}`,
      '--target',
      'kind',
      '--hidden',
      '8',
      '--epochs',
      '30',
      '--out',
      out,
      '--json',
    ];
    expect(await trainCommand(args, io)).toBe(0);
    const summary = JSON.parse(io.out());
    expect(summary.heldOut.accuracy).toBe(1);
    const { meta } = readCheckpoint(out);
    expect(meta.input.classNames).toEqual(['apple', 'pear']);
    expect(meta.input.featureNames).toEqual(['weight', 'sugar']);
    expect(meta.input.standardizer?.mean[0]).toBeGreaterThan(100);
    const input = join(dir, 'new.csv');
    writeFileSync(input, 'id,sugar,weight,kind\n1,10.2,151,?\n2,14.1,119,?\n');
    const p = captureIo();
    expect(await predictCommand([out, '--input', input, '--quiet'], p)).toBe(0);
    expect(p.out()).toBe('apple\npear\n');
  });
});
