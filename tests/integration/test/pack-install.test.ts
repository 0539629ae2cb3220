import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

// Packages install one by one: pack core and backend-cpu as they would be published, install the
// tarballs with plain npm outside the workspace, and run a program as ESM and as CommonJS.
const packagesDir = resolve(import.meta.dirname, '../../../packages');
let dir = '';

const program = (load: string) => `${load}
const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
const loss = x.matmul(x).sum();
loss.backward();
console.log(JSON.stringify({ backend: getBackend(), loss: loss.item(), grad: Array.from(x.grad.dataSync()) }));
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'backprop-pack-'));
  for (const name of ['core', 'backend-cpu']) {
    execFileSync('pnpm', ['pack', '--pack-destination', dir], {
      cwd: join(packagesDir, name),
      stdio: 'pipe',
    });
  }
  const tarballs = readdirSync(dir).filter((f) => f.endsWith('.tgz'));
  expect(tarballs.sort()).toEqual(['backprop-backend-cpu-0.1.0.tgz', 'backprop-core-0.1.0.tgz']);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', ...tarballs.map((t) => `./${t}`)], {
    cwd: dir,
    stdio: 'pipe',
  });
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const expected = { backend: 'cpu', loss: 54, grad: [7, 11, 9, 13] };

it('runs as ESM (import)', () => {
  writeFileSync(
    join(dir, 'main.mjs'),
    program(`import '@backprop/backend-cpu';\nimport { getBackend, tensor } from '@backprop/core';`),
  );
  expect(JSON.parse(execFileSync('node', ['main.mjs'], { cwd: dir, encoding: 'utf8' }))).toEqual(expected);
});

it('runs as CommonJS (require)', () => {
  writeFileSync(
    join(dir, 'main.cjs'),
    program(`require('@backprop/backend-cpu');\nconst { getBackend, tensor } = require('@backprop/core');`),
  );
  expect(JSON.parse(execFileSync('node', ['main.cjs'], { cwd: dir, encoding: 'utf8' }))).toEqual(expected);
});
