import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareLanguageModels } from '../src/experiments/language-models.js';
import { main } from '../src/main.js';
import { BigramModel } from '../src/words/bigram.js';
import { readWordsCheckpoint } from '../src/words/checkpoint.js';
import { resolveWordsConfig } from '../src/words/config.js';
import { englishWords, splitWords } from '../src/words/data.js';
import { lossPerCharacter } from '../src/words/loss.js';
import { trainWords } from '../src/words/run.js';
import { captureIo, tempDir } from './helpers.js';

describe('the bigram baseline', () => {
  it('equals the hand-computed add-one estimate on a tiny list', () => {
    // Training pairs of "ab" and "b": .a ab b. .b b. ; each of the 27 columns starts at 1.
    // Held-out "ba": P(b|.) = 2/29, P(a|b) = 1/29, P(.|a) = 1/28.
    const expected = -(Math.log(2 / 29) + Math.log(1 / 29) + Math.log(1 / 28)) / 3;
    expect(new BigramModel(['ab', 'b']).lossPerCharacter(['ba'])).toBeCloseTo(expected, 12);
  });
});

describe('the words split', () => {
  it('is seeded, disjoint and keeps its held-out words as the training set grows', () => {
    const words = englishWords();
    expect(words.length).toBeGreaterThan(270_000);
    const small = splitWords(words, 100, 50, 3);
    const large = splitWords(words, 400, 50, 3);
    expect(large.test).toEqual(small.test);
    expect(large.train.slice(0, 100)).toEqual(small.train);
    expect(small.train.some((w) => small.test.includes(w))).toBe(false);
    expect(splitWords(words, 100, 50, 4).test).not.toEqual(small.test);
    expect(small.blockSize).toBe(29);
  });
});

describe('a short gpt run', () => {
  it('lowers the loss below the uniform guess', async () => {
    const config = resolveWordsConfig({
      dataset: 'words',
      model: 'gpt',
      'train-size': 300,
      'test-size': 100,
      width: 16,
      heads: 2,
      layers: 1,
      'batch-size': 50,
      epochs: 2,
      lr: 0.02,
      out: tempDir(),
    });
    const run = await trainWords(config);
    const losses = run.stepLosses;
    expect(losses).toHaveLength(12);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-3))).toBeLessThan(mean(losses.slice(0, 3)) - 0.2);
    // Below log(27) = 3.30 nats, the loss of a uniform guess over the 27 characters.
    expect(run.history[1].heldOutLoss).toBeLessThan(Math.log(27) - 0.2);
    expect(await lossPerCharacter(run.model, run.split.test)).toBeCloseTo(run.history[1].heldOutLoss, 10);
  });
});

describe('train --dataset words and sample', () => {
  const out = join(tempDir(), 'run');
  const io = captureIo();
  let code: number;

  beforeAll(async () => {
    code = await main(
      ['train', '--dataset', 'words', '--model', 'lstm', '--train-size', '300', '--test-size', '100'].concat([
        '--width',
        '8',
        '--hidden',
        '16',
        '--batch-size',
        '100',
        '--epochs',
        '1',
        '--out',
        out,
      ]),
      io,
    );
  });

  it('prints the held-out loss beside the bigram baseline and writes the run folder', () => {
    expect(code, io.err()).toBe(0);
    const line = io
      .out()
      .match(/^Held-out loss (\d+\.\d{4}) nats\/char \(bigram baseline (\d+\.\d{4}) nats\/char\)$/m);
    expect(line, io.out()).not.toBeNull();
    for (const file of ['checkpoint.safetensors', 'metrics.jsonl', 'report.html'])
      expect(existsSync(join(out, file))).toBe(true);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('bigram baseline');
    const checkpoint = readWordsCheckpoint(out);
    expect(checkpoint.meta.model.architecture).toBe('lstm');
    expect(Number(line?.[1])).toBeCloseTo(checkpoint.meta.history[0].heldOutLoss, 4);
    expect(Number(line?.[2])).toBeCloseTo(checkpoint.meta.bigramLoss, 4);
  });

  it('loads the checkpoint with the weights it trained', async () => {
    const checkpoint = readWordsCheckpoint(out);
    const split = splitWords(englishWords(), 300, 100, 0);
    expect(await lossPerCharacter(checkpoint.model, split.test)).toBeCloseTo(
      checkpoint.meta.history[0].heldOutLoss,
      5,
    );
  });

  it('is refused by eval with a pointer to sample', async () => {
    const e = captureIo();
    expect(await main(['eval', out], e)).toBe(1);
    expect(e.err()).toMatch(/character-level language model's \(--dataset words\).*backprop-trainer sample/);
  });

  it('samples the same words for the same seed, only from a-z', async () => {
    const draw = async (seed: string) => {
      const s = captureIo();
      expect(
        await main(['sample', out, '--count', '12', '--seed', seed, '--temperature', '1.5'], s),
        s.err(),
      ).toBe(0);
      return s.out().trimEnd().split('\n');
    };
    const first = await draw('5');
    expect(first).toHaveLength(12);
    expect(await draw('5')).toEqual(first);
    expect(await draw('6')).not.toEqual(first);
    for (const w of first) expect(w).toMatch(/^[a-z]{0,28}$/);
  });
});

describe('bad words options', () => {
  const run = async (args: string[]) => {
    const io = captureIo();
    return { code: await main(args, io), err: io.err() };
  };

  it('exit 2 with a message naming the option', async () => {
    const heads = await run([
      'train',
      '--dataset',
      'words',
      '--model',
      'gpt',
      '--width',
      '30',
      '--heads',
      '4',
    ]);
    expect(heads.code).toBe(2);
    expect(heads.err).toMatch(/--width 30 must divide by --heads 4/);
    const model = await run(['train', '--dataset', 'words', '--model', 'lenet']);
    expect(model.code).toBe(2);
    expect(model.err).toMatch(/--model must be one of gpt, rnn, lstm, gru/);
    const temperature = await run(['sample', 'runs/none', '--temperature', '0']);
    expect(temperature.code).toBe(2);
    expect(temperature.err).toMatch(/--temperature/);
    const layers = await run(['train', '--dataset', 'iris', '--layers', '2']);
    expect(layers.code).toBe(2);
    expect(layers.err).toMatch(/--layers shapes the --dataset words/);
  });
});

describe('the language-models experiment (shortened)', () => {
  it('trains the four models on one split and tabulates them against the bigram', async () => {
    const shapes = { width: 8, layers: 1, heads: 2, hidden: 8 };
    const result = await compareLanguageModels({
      trainSize: 64,
      testSize: 32,
      epochs: 1,
      seed: 0,
      log: () => {},
      shapes,
    });
    const [table] = result.tables;
    expect(table.rows.map((r) => r[0])).toEqual(['gpt', 'rnn', 'lstm', 'gru', 'bigram']);
    const data = result.data as {
      model: string;
      parameters: number;
      heldOutLoss: number;
      bigramLoss: number;
    }[];
    const split = splitWords(englishWords(), 64, 32, 0);
    expect(data[0].bigramLoss).toBeCloseTo(new BigramModel(split.train).lossPerCharacter(split.test), 12);
    // gpt = embeddings 27·8 + 29·8, one block of attention (4·8·8 + 4·8), feed-forward
    // (8·32 + 32 + 32·8 + 8) and two norms (4·8), a final norm (2·8) and the head (8·27 + 27);
    // recurrent = embedding 27·8, gates × 8·(8 + 8 + 2), head 8·27 + 27.
    const gpt =
      27 * 8 + 29 * 8 + (4 * 8 * 8 + 4 * 8 + 8 * 32 + 32 + 32 * 8 + 8 + 4 * 8) + 2 * 8 + 8 * 27 + 27;
    const recurrent = (gates: number) => 27 * 8 + gates * 8 * (8 + 8 + 2) + 8 * 27 + 27;
    expect(data.map((d) => d.parameters)).toEqual([gpt, recurrent(1), recurrent(4), recurrent(3)]);
    for (const d of data) expect(d.heldOutLoss).toBeLessThan(Math.log(27) + 0.5);
    expect(result.sections[0].html).toContain('Held-out loss per character');
  });
});
