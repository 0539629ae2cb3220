import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../src/args.js';
import { resolveTrainConfig, TRAIN_OPTIONS } from '../src/config.js';
import { runCli, runMain, tempDir } from './helpers.js';

describe('the argument parser', () => {
  it('reads --name value, --name=value, flags and positionals', () => {
    const parsed = parseArgs(
      ['--lr', '0.5', '--epochs=3', 'x', '--json', '--hidden', '256,128'],
      TRAIN_OPTIONS,
      'train',
    );
    expect(parsed.options).toEqual({ lr: 0.5, epochs: 3, json: true, hidden: '256,128' });
    expect(parsed.positionals).toEqual(['x']);
  });

  it('says what is allowed', () => {
    const message = (argv: string[]): string => {
      try {
        parseArgs(argv, TRAIN_OPTIONS, 'train');
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
      throw new Error('expected a UsageError');
    };
    expect(message(['--optimiser', 'sgd'])).toMatch(
      /unknown option --optimiser for 'train' \(did you mean --optimizer\?\)/,
    );
    expect(message(['--optimizer', 'adm'])).toMatch(
      /'adm' is not one of: sgd, adam, adamw, rmsprop, adagrad \(did you mean 'adam'\?\)/,
    );
    expect(message(['--lr', '-1'])).toMatch(/--lr must be a number > 0, got '-1'/);
    expect(message(['--epochs', '2.5'])).toMatch(/--epochs must be an integer >= 1 and <= 100000, got '2.5'/);
    expect(message(['--epochs'])).toMatch(/--epochs needs a value: an integer >= 1/);
    expect(message(['--json=yes'])).toMatch(/--json is a flag and takes no value/);
    expect(message(['-x'])).toMatch(/unknown option '-x'/);
  });

  it('checks combinations when it builds the configuration', () => {
    expect(() => resolveTrainConfig({ optimizer: 'adam', momentum: 0.9 })).toThrow(
      /--momentum applies to sgd and rmsprop, not adam/,
    );
    expect(() => resolveTrainConfig({ hidden: '128,x' })).toThrow(
      /--hidden must be comma-separated layer widths/,
    );
    expect(() => resolveTrainConfig({ dataset: 'minst' })).toThrow(
      /--dataset 'minst' is not one of: mnist, xor/,
    );
    expect(() => resolveTrainConfig({ dataset: 'iris', augment: 1 })).toThrow(
      /--augment .* applies to mnist only/,
    );
    const c = resolveTrainConfig({ optimizer: 'adam', dataset: 'spirals', out: '/tmp/x' });
    expect(c).toMatchObject({
      optimizer: 'adam',
      lr: 0.002,
      momentum: 0,
      hidden: [64, 64],
      augment: 0,
      out: '/tmp/x',
    });
  });
});

describe('label smoothing', () => {
  it('defaults to LeNet’s tuned recipe, and to none elsewhere', () => {
    expect(resolveTrainConfig({ model: 'lenet' })).toMatchObject({
      optimizer: 'adam',
      lr: 0.003,
      labelSmoothing: 0.1,
    });
    // The tuned rate belongs to LeNet's default optimizer; another takes its own default.
    expect(resolveTrainConfig({ model: 'lenet', optimizer: 'sgd' })).toMatchObject({
      lr: 0.1,
      labelSmoothing: 0.1,
    });
    expect(resolveTrainConfig({ model: 'lenet', loss: 'mse' })).toMatchObject({ labelSmoothing: 0 });
    expect(resolveTrainConfig({})).toMatchObject({ labelSmoothing: 0 });
    expect(resolveTrainConfig({ 'label-smoothing': 0.2 })).toMatchObject({ labelSmoothing: 0.2 });
  });

  it('is refused out of range, for other losses and for the language models', async () => {
    expect(() => parseArgs(['--label-smoothing', '1'], TRAIN_OPTIONS, 'train')).toThrow(
      /--label-smoothing must be a number >= 0 and <= 0.999, got '1'/,
    );
    expect(() => resolveTrainConfig({ loss: 'bce', 'label-smoothing': 0.1 })).toThrow(
      /--label-smoothing applies to cross-entropy, not bce/,
    );
    const words = await runCli(['train', '--dataset', 'words', '--label-smoothing', '0.1']);
    expect(words.code).toBe(2);
    expect(words.stderr).toContain(
      '--label-smoothing applies to the classification models, not --dataset words',
    );
  });
});

describe('--config files', () => {
  it('take the options as keys, in either spelling; the command line wins', () => {
    const file = join(tempDir(), 'run.json');
    writeFileSync(
      file,
      JSON.stringify({ dataset: 'xor', batchSize: 16, hidden: [8, 8], 'weight-decay': 0.01, lr: 0.5 }),
    );
    const c = resolveTrainConfig({ config: file, lr: 0.2 });
    expect(c).toMatchObject({ dataset: 'xor', batchSize: 16, hidden: [8, 8], weightDecay: 0.01, lr: 0.2 });
  });

  it('are checked like the command line', () => {
    const file = join(tempDir(), 'bad.json');
    writeFileSync(file, JSON.stringify({ epochz: 3 }));
    expect(() => resolveTrainConfig({ config: file })).toThrow(
      /--config .*bad\.json: unknown key 'epochz'\. Allowed: backend, dataset/,
    );
    writeFileSync(file, JSON.stringify({ optimizer: 'nesterov' }));
    expect(() => resolveTrainConfig({ config: file })).toThrow(/--optimizer 'nesterov' is not one of/);
    expect(() => resolveTrainConfig({ config: join(tempDir(), 'missing.json') })).toThrow(
      /missing\.json: no such file/,
    );
  });
});

describe('the command line (spawned)', () => {
  it('exits with code 2 and a message for bad options', async () => {
    const cases: [string[], RegExp][] = [
      [['train', '--lr', 'fast'], /error: --lr must be a number > 0, got 'fast'/],
      [
        ['train', '--activation', 'relu2'],
        /error: --activation 'relu2' is not one of: relu, sigmoid, tanh, abs, leaky-relu/,
      ],
      [['trian'], /error: unknown command 'trian' \(did you mean 'train'\?\)/],
      [['eval'], /error: eval needs a checkpoint/],
      [['experiment', 'vanish'], /unknown experiment 'vanish' \(did you mean 'vanishing'\?\)/],
    ];
    // The real program for the first, to see its exit code; `main` (which returns it) for the rest.
    const results = await Promise.all(cases.map(([args], i) => (i === 0 ? runCli(args) : runMain(args))));
    results.forEach((r, i) => {
      expect(r.code, cases[i][0].join(' ')).toBe(2);
      expect(r.stderr).toMatch(cases[i][1]);
      expect(r.stderr).toMatch(/Run 'backprop-trainer .*--help' to see what is allowed/);
      expect(r.stderr).not.toMatch(/ {4}at /);
    });
  });

  it('prints help for every command', async () => {
    const commands = ['train', 'eval', 'predict', 'resume', 'info', 'experiment'];
    // The real program for the overview, `main` for each command's help.
    const results = await Promise.all([runCli(['--help']), ...commands.map((c) => runMain([c, '--help']))]);
    expect(results[0].code).toBe(0);
    expect(results[0].stdout).toMatch(/Usage: backprop-trainer COMMAND/);
    commands.forEach((c, i) => {
      expect(results[i + 1].code).toBe(0);
      expect(results[i + 1].stdout).toContain(`Usage: backprop-trainer ${c}`);
      expect(results[i + 1].stdout).toMatch(/Options:\n {2}--/);
    });
  });

  it('info lists what can be chosen, as JSON too', async () => {
    const r = await runCli(['info', '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.backends.map((b: { name: string }) => b.name)).toEqual(['cpu', 'gpujs']);
    expect(Object.keys(info.datasets)).toEqual(
      expect.arrayContaining(['mnist', 'xor', 'spirals', 'moons', 'circles', 'iris', 'words']),
    );
    expect(info.activations).toEqual(
      expect.arrayContaining(['sigmoid', 'tanh', 'relu', 'leaky-relu', 'prelu', 'elu', 'gelu']),
    );
    expect(Object.keys(info.losses)).toEqual(['cross-entropy', 'bce', 'mse', 'multi-margin']);
    expect(info.optimizers).toEqual(['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad']);
    expect(Object.keys(info.experiments)).toEqual([
      'vanishing',
      'activations',
      'depth-width',
      'language-models',
    ]);
  });
});
