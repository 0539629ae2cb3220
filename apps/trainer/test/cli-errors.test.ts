/**
 * The command line's answers to bad calls: each exits with the README's code (2 for the command
 * line, 1 for files and outputs) and says what is wrong in one line, without a stack trace. Most
 * run `main` in this process; a few spawn the real program to check the process exit code too.
 */
import * as fs from 'node:fs';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeOutputFolder, OutputError, type WriterFs, writeFileAtomic } from '../src/checkpoint/atomic.js';
import { runCli, runMain, tempDir } from './helpers.js';

/** Checks a refusal: the exit code and a first line `error: ...` matching `message`, no stack trace. */
function expectRefused(r: { code: number | null; stderr: string }, code: number, message: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  const [first, ...rest] = r.stderr.trimEnd().split('\n');
  expect(first).toMatch(/^error: /);
  expect(first).toMatch(message);
  expect(r.stderr).not.toMatch(/ {4}at |Error:/);
  // A bad command line adds one line pointing to --help; every other error is one line.
  expect(rest).toEqual(code === 2 ? [expect.stringMatching(/^Run 'backprop-trainer .*--help'/)] : []);
}

describe('numbers and repeated options on the command line (exit 2)', () => {
  it('refuses an absurd epoch count, non-decimal numbers and repeated options', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['train', '--epochs', '99999999999999999999'],
        /--epochs must be an integer >= 1 and <= 100000, got '99999999999999999999'/,
      ],
      [['train', '--epochs', '100001'], /--epochs must be an integer >= 1 and <= 100000, got '100001'/],
      [['train', '--epochs', '1e3'], /--epochs must be an integer .*, got '1e3'/],
      [['train', '--lr', '0x10'], /--lr must be a number > 0, got '0x10'/],
      [['train', '--lr', '0b1'], /--lr must be a number > 0, got '0b1'/],
      [['train', '--lr', ' 0.1'], /--lr must be a number > 0, got ' 0\.1'/],
      [['train', '--lr', 'Infinity'], /--lr must be a number > 0, got 'Infinity'/],
      // A line break inside a quoted value does not break the one-line message.
      [['train', '--lr', '1\n2'], /--lr must be a number > 0, got '1 2'$/],
      [['train', '--seed', '0x1F'], /--seed must be an integer >= 0 and <= 4294967295, got '0x1F'/],
      [['train', '--lr', '0.1', '--lr', '0.2'], /--lr is given twice: give each option once/],
      [['train', '--epochs=3', '--epochs', '3'], /--epochs is given twice/],
      [['train', '--json', '--json'], /--json is given twice/],
      [['eval', 'run', '--batch-size', '0x20'], /--batch-size must be an integer >= 1.*, got '0x20'/],
      [
        ['resume', 'run', '--epochs', '99999999999999999999'],
        /--epochs must be an integer >= 1 and <= 100000/,
      ],
    ];
    for (const [args, message] of cases) expectRefused(await runMain(args), 2, message);
  });

  it('refuses a key given twice in a --config file, and hexadecimal there too', async () => {
    const dir = tempDir();
    const twice = join(dir, 'twice.json');
    writeFileSync(twice, '{ "lr": 0.1, "epochs": 2, "lr": 0.2 }');
    expectRefused(
      await runMain(['train', '--config', twice]),
      2,
      /--config .*twice\.json: the key 'lr' is given twice$/,
    );
    const hex = join(dir, 'hex.json');
    writeFileSync(hex, '{ "lr": "0x10" }');
    expectRefused(await runMain(['train', '--config', hex]), 2, /--lr must be a number > 0, got '0x10'/);
  });

  it('still reads decimal numbers in every notation people write', async () => {
    const { parseArgs } = await import('../src/args.js');
    const { TRAIN_OPTIONS } = await import('../src/config.js');
    expect(
      parseArgs(['--lr', '1e-3', '--momentum', '.5', '--epochs', '+7'], TRAIN_OPTIONS, 'train').options,
    ).toEqual({
      lr: 0.001,
      momentum: 0.5,
      epochs: 7,
    });
  });
});

describe('an --out the trainer cannot write (exit 1, the path and the cause)', () => {
  it('a path through a file (ENOTDIR) and an existing file (EEXIST)', async () => {
    const dir = tempDir();
    const file = join(dir, 'taken');
    writeFileSync(file, 'not a folder');
    const args = ['train', '--dataset', 'xor', '--epochs', '1', '--quiet', '--out'];
    expectRefused(
      await runMain([...args, join(file, 'run')]),
      1,
      new RegExp(
        `^error: cannot create the folder ${file}/run: ENOTDIR \\(a part of the path is a file, not a folder\\)$`,
      ),
    );
    expectRefused(
      await runMain([...args, file]),
      1,
      new RegExp(`^error: cannot create the folder ${file}: EEXIST \\(a file of that name is in the way\\)$`),
    );
    // An experiment checks its --out before it spends a minute training.
    expectRefused(
      await runMain(['experiment', 'vanishing', '--quiet', '--out', file]),
      1,
      new RegExp(`^error: cannot create the folder ${file}: EEXIST`),
    );
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
  });

  // Root may write anywhere, so a read-only folder is only read-only to other users.
  it.skipIf(process.getuid?.() === 0)('a read-only folder (EACCES), before any training', async () => {
    const dir = join(tempDir(), 'locked');
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    try {
      expectRefused(
        await runMain(['train', '--dataset', 'xor', '--quiet', '--out', dir]),
        1,
        new RegExp(`^error: cannot write in the folder ${dir}: EACCES \\(permission denied\\)$`),
      );
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  /** The real file system, with one call replaced to fail as a full or read-only disk does. */
  function failing(call: keyof WriterFs, code: string): WriterFs {
    return {
      ...fs,
      [call]: () => {
        throw Object.assign(new Error(`${code}: simulated`), { code });
      },
    };
  }

  it('a full disk mid-write (ENOSPC) keeps the previous file and leaves no temporary file', () => {
    const dir = tempDir();
    const path = join(dir, 'checkpoint.safetensors');
    writeFileAtomic(path, 'the previous checkpoint');
    // The first 4 KiB are written, then the disk is full.
    let writes = 0;
    const fullDisk: WriterFs = {
      ...fs,
      writeSync: ((fd: number, data: Uint8Array, offset: number, length: number) => {
        if (writes++ > 0) throw Object.assign(new Error('ENOSPC: simulated'), { code: 'ENOSPC' });
        return fs.writeSync(fd, data, offset, Math.min(length, 4096));
      }) as WriterFs['writeSync'],
    };
    const write = (): void => {
      writes = 0;
      writeFileAtomic(path, new Uint8Array(1 << 16), fullDisk);
    };
    expect(write).toThrow(OutputError);
    expect(write).toThrow(new RegExp(`^cannot write ${path}: ENOSPC \\(no space left on device\\)$`));
    expect(readFileSync(path, 'utf8')).toBe('the previous checkpoint');
    expect(readdirSync(dir)).toEqual(['checkpoint.safetensors']);
  });

  it('a read-only file system (EROFS) and a failing rename (EACCES) are reported the same way', () => {
    const dir = tempDir();
    const path = join(dir, 'metrics.jsonl');
    writeFileAtomic(path, 'old');
    expect(() => writeFileAtomic(path, 'new', failing('openSync', 'EROFS'))).toThrow(
      `cannot write ${path}: EROFS (read-only file system)`,
    );
    expect(() => writeFileAtomic(path, 'new', failing('renameSync', 'EACCES'))).toThrow(
      `cannot write ${path}: EACCES (permission denied)`,
    );
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['metrics.jsonl']);
    expect(() => makeOutputFolder(join(dir, 'run'), failing('accessSync', 'EROFS'))).toThrow(
      `cannot write in the folder ${join(dir, 'run')}: EROFS (read-only file system)`,
    );
    expect(() => makeOutputFolder(join(dir, 'x', 'y'), failing('mkdirSync', 'ENOSPC'))).toThrow(
      `cannot create the folder ${join(dir, 'x', 'y')}: ENOSPC (no space left on device)`,
    );
  });
});

describe('predict input that is neither a header nor numbers (exit 1)', () => {
  const dir = tempDir();
  const run = join(dir, 'run');

  beforeAll(async () => {
    expect(
      (await runMain(['train', '--dataset', 'xor', '--epochs', '1', '--out', run, '--quiet'])).code,
    ).toBe(0);
  });

  it('names the line and field of a one-line CSV `0.5,abc`, and refuses a header without rows', async () => {
    const input = join(dir, 'one-line.csv');
    writeFileSync(input, '0.5,abc\n');
    expectRefused(
      await runMain(['predict', run, '--input', input]),
      1,
      new RegExp(`^error: ${input}: line 1, field 2: "abc" is not a number`),
    );
    const headerOnly = join(dir, 'header.csv');
    writeFileSync(headerOnly, 'x,y\n');
    expectRefused(
      await runMain(['predict', run, '--input', headerOnly]),
      1,
      /header\.csv: a header line but no rows of values$/,
    );
    const good = join(dir, 'good.csv');
    writeFileSync(good, 'x,y\n0.1,0.9\n');
    const r = await runMain(['predict', run, '--input', good, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[01]\n$/);
  });

  it('through the real program: the exit codes and one-line messages, no stack traces', async () => {
    const input = join(dir, 'one-line.csv');
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const [predict, out, epochs] = await Promise.all([
      runCli(['predict', run, '--input', input]),
      runCli(['train', '--dataset', 'xor', '--out', join(file, 'run')]),
      runCli(['train', '--epochs', '99999999999999999999']),
    ]);
    expectRefused(predict, 1, /line 1, field 2: "abc" is not a number/);
    expectRefused(out, 1, /cannot create the folder .*a-file\/run: ENOTDIR/);
    expectRefused(epochs, 2, /--epochs must be an integer >= 1 and <= 100000/);
  });
});
