import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What a user gets: the packages packed as they would be published, installed with plain npm into
// an empty project outside the workspace, type-checked by `tsc --strict` with a default
// configuration, and run as ESM and as CommonJS.
const root = resolve(import.meta.dirname, '../../..');
const packed = ['core', 'backend-cpu', 'backend-gpujs', 'nn', 'losses', 'optim', 'data', 'train'];
const tsc = join(root, 'node_modules/typescript/bin/tsc');
let dir = '';

/** Uses the fluent Tensor methods and every package's main entry points, as a user's first program would. */
const program = `import '@backprop/backend-cpu';
import { GPUJS_PRIORITY } from '@backprop/backend-gpujs';
import { getBackend, manualSeed, type Tensor, tensor, tidy } from '@backprop/core';
import { loadIris, standardize } from '@backprop/data';
import { crossEntropy } from '@backprop/losses';
import { mlp } from '@backprop/nn';
import { SGD } from '@backprop/optim';
import { accuracyMetric } from '@backprop/train';
import { ModelCheckpoint } from '@backprop/train/node';

manualSeed(0);
const x: Tensor = tensor([[1, 2], [3, 4]], { requiresGrad: true });
const loss: Tensor = x.matmul(x).relu().sum();
loss.backward();
const grad: number[] = Array.from(x.grad!.dataSync());

const {
  data: [iris],
} = standardize(loadIris());
const features = tensor(Array.from(iris.x)).reshape([iris.numSamples, iris.numFeatures]);
const labels = tensor(Array.from(iris.y), { dtype: 'int32' });
const model = mlp({ sizes: [iris.numFeatures, 8, iris.numClasses] });
const optimizer = new SGD(model.parameters(), { lr: 0.5 });
const losses: number[] = [];
for (let step = 0; step < 20; step++) {
  losses.push(
    tidy(() => {
      optimizer.zeroGrad();
      const l = crossEntropy(model.forward(features), labels);
      l.backward();
      optimizer.step();
      return l.item();
    }),
  );
}
const train: number = accuracyMetric(tensor([[0, 1], [1, 0]]), tensor([1, 1], { dtype: 'int32' })).item();
const checkpoints: string = new ModelCheckpoint({ dir: 'runs' }).path('best');
console.log(JSON.stringify({ backend: getBackend(), gpujs: GPUJS_PRIORITY, loss: loss.item(), grad, losses, train, checkpoints }));
`;

/** A default configuration: only `strict`, the module settings and `target es2022` (so its default lib). */
const tsconfig = (compilerOptions: Record<string, unknown>) =>
  JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', ...compilerOptions } });

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'backprop-pack-'));
  for (const name of packed) {
    execFileSync('pnpm', ['pack', '--pack-destination', dir], {
      cwd: join(root, 'packages', name),
      stdio: 'pipe',
    });
  }
  const tarballs = readdirSync(dir).filter((f) => f.endsWith('.tgz'));
  expect(tarballs).toHaveLength(packed.length);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  // gpu.js's optional headless-gl would build from source: a user who wants it installs it as gpu.js says.
  run('npm', ['install', '--no-audit', '--no-fund', '--omit=optional', ...tarballs.map((t) => `./${t}`)]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the published packages', () => {
  it('ship the license and no workspace-only paths', () => {
    for (const name of packed) {
      const pkgDir = join(dir, 'node_modules/@backprop', name);
      expect(readFileSync(join(pkgDir, 'LICENSE'), 'utf8')).toContain('MIT License');
      const manifest = readFileSync(join(pkgDir, 'package.json'), 'utf8');
      expect(manifest).not.toContain('workspace:');
      const pkg = JSON.parse(manifest);
      // src/ is not shipped: nothing a resolver reads may point there.
      const entryPoints = JSON.stringify([pkg.exports, pkg.main, pkg.module, pkg.types]);
      expect(entryPoints).not.toContain('source');
      expect(entryPoints).not.toContain('./src/');
      expect(pkg.engines.node).toBe('>=20');
      expect(pkg.repository.url).toMatch(/^git\+https:/);
      if (name !== 'core') {
        expect(pkg.peerDependencies['@backprop/core']).toBeTruthy();
        expect(pkg.dependencies?.['@backprop/core']).toBeUndefined();
      }
    }
    // One copy of core for every package that plugs into it.
    expect(readdirSync(join(dir, 'node_modules/@backprop/nn')).includes('node_modules')).toBe(false);
  });

  it('type-check under tsc --strict with module node16', () => {
    writeFileSync(join(dir, 'main.mts'), program);
    writeFileSync(
      join(dir, 'tsconfig.node16.json'),
      tsconfig({ module: 'node16', moduleResolution: 'node16', outDir: 'out' }).replace(
        '}}',
        '}, "files": ["main.mts"]}',
      ),
    );
    expect(run('node', [tsc, '-p', 'tsconfig.node16.json', '--noEmit'])).toBe('');
  });

  it('type-check under tsc --strict with moduleResolution bundler', () => {
    writeFileSync(join(dir, 'bundler.ts'), program);
    writeFileSync(
      join(dir, 'tsconfig.bundler.json'),
      tsconfig({ module: 'esnext', moduleResolution: 'bundler', noEmit: true }).replace(
        '}}',
        '}, "files": ["bundler.ts"]}',
      ),
    );
    expect(run('node', [tsc, '-p', 'tsconfig.bundler.json'])).toBe('');
  });

  it('run the type-checked program as ESM', () => {
    run('node', [tsc, '-p', 'tsconfig.node16.json']);
    const out = JSON.parse(run('node', ['out/main.mjs']));
    expect(out.backend).toBe('cpu');
    expect(out.gpujs).toBe(0.5);
    // x = [[1,2],[3,4]]: x·x = [[7,10],[15,22]] (all positive, so relu passes it), d/dx sum(x·x) = 1·xᵀ + xᵀ·1.
    expect(out.loss).toBe(54);
    expect(out.grad).toEqual([7, 11, 9, 13]);
    expect(out.losses).toHaveLength(20);
    expect(out.losses[0]).toBeGreaterThan(0.9);
    expect(out.losses[19]).toBeLessThan(out.losses[0] * 0.6);
    expect(out.train).toBe(0.5);
    expect(out.checkpoints).toBe(join('runs', 'best.safetensors'));
  });

  it('load iris from a CommonJS program', () => {
    writeFileSync(
      join(dir, 'iris.cjs'),
      `require('@backprop/backend-cpu');
const { loadIris } = require('@backprop/data');
const { tensor } = require('@backprop/core');
const iris = loadIris();
const x = tensor(Array.from(iris.x)).reshape([iris.numSamples, iris.numFeatures]);
console.log(JSON.stringify({ n: iris.numSamples, classes: iris.classNames, mean: x.mean().item() }));
`,
    );
    const out = JSON.parse(run('node', ['iris.cjs']));
    expect(out.n).toBe(150);
    expect(out.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    // The mean of iris's 600 measurements: (5.843 + 3.057 + 3.758 + 1.199) / 4.
    expect(out.mean).toBeCloseTo(3.4644, 3);
  });
});
