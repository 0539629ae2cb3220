/**
 * Packs what bench/gpu/run.sh needs into one archive for a machine that has neither Node.js nor
 * the workspace's node_modules (the lent GPU machines: a device call carries at most 64 MiB, and
 * node_modules is about 1 GB). The archive holds this Node binary, the GPU driver and its case
 * files bundled by esbuild (every workspace package and pure-JS dependency inside), and the
 * packages that cannot be bundled — headless-gl and Dawn (native addons) and the MNIST digits
 * (loaded with require) — with their runtime dependencies, for this platform only.
 *
 *   node --import tsx bench/gpu/carry.ts [--out=.gpu-carry]
 *
 * run.sh unpacks `<out>/bundle.tar.xz` when the checkout has no node_modules.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { gpuCases } from './gpu-cases.js';

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(benchDir, '..');

/**
 * Packages the bundles load at run time (native addons, and data read with require), each with
 * the package that depends on it: its version is the one that package resolves (gpu.js's own
 * `webgpu` is an older Dawn than the backend's, and unused).
 */
const UNBUNDLED: Record<string, string> = {
  gl: 'gpu.js',
  webgpu: '@backprop/backend-gpujs',
  mnist: '@backprop/data',
};
/** Dependencies that only install or build a package (node-gyp, prebuilt downloads) or type it. */
const BUILD_ONLY = new Set(['nan', 'node-gyp', 'node-abi', 'prebuild-install', '@webgpu/types']);
/** What of a package's folder the run needs; everything by default. */
const KEEP: Record<string, (path: string) => boolean> = {
  // The addon and its JavaScript; not ANGLE's sources, the build's objects or the C++ sources.
  gl: (p) =>
    p === 'package.json' ||
    p === 'index.js' ||
    p.startsWith('src/javascript') ||
    p === 'build/Release/webgl.node',
  // This platform's Dawn only.
  webgpu: (p) => !p.startsWith('dist/') || p.startsWith(`dist/${process.platform}-${process.arch}`),
  // The digits and the loader, not the browser bundle.
  mnist: (p) => p === 'package.json' || p.startsWith('src/'),
};

/** The package folders the unbundled packages need at run time, found the way Node resolves them. */
function runtimeClosure(): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (name: string, requirer: string) => {
    if (found.has(name) || BUILD_ONLY.has(name)) return;
    const dir = dirname(createRequire(join(requirer, 'package.json')).resolve(`${name}/package.json`));
    found.set(name, dir);
    const { dependencies = {} } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys(dependencies)) visit(dep, dir);
  };
  for (const [name, requirer] of Object.entries(UNBUNDLED))
    visit(name, realpathSync(join(benchDir, 'node_modules', requirer)));
  return found;
}

async function main(): Promise<void> {
  const outArg = process.argv.find((a) => a.startsWith('--out='));
  const out = resolve(outArg ? outArg.slice(6) : join(root, '.gpu-carry'));
  const staging = join(tmpdir(), `backprop-gpu-carry-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });

  // The driver and the cases, at their places in bench/ so that the driver finds the cases.
  const files = [...new Set(gpuCases(false).map((c) => `src/cases/${c.file}`)), 'gpu/gpu-bench.ts'];
  for (const file of files)
    await build({
      entryPoints: [join(benchDir, file)],
      outfile: join(staging, 'bench', file.replace(/\.ts$/, '.mjs')),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['source'],
      external: Object.keys(UNBUNDLED),
      // Bundled CommonJS (gpu.js) calls require; an ES module has none of its own.
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      logLevel: 'error',
    });

  for (const [name, dir] of runtimeClosure()) {
    const keep = KEEP[name] ?? (() => true);
    cpSync(dir, join(staging, 'node_modules', name), {
      recursive: true,
      dereference: true,
      filter: (source) => {
        const path = relative(dir, source);
        if (path === '' || statSync(source).isDirectory()) return !path.startsWith('node_modules');
        return keep(path);
      },
    });
  }
  cpSync(process.execPath, join(staging, 'node'));

  mkdirSync(out, { recursive: true });
  const archive = join(out, 'bundle.tar.xz');
  execFileSync('tar', ['-cJf', archive, '-C', staging, '.'], { env: { ...process.env, XZ_OPT: '-6 -T0' } });
  rmSync(staging, { recursive: true, force: true });
  const mib = statSync(archive).size / 2 ** 20;
  console.log(
    `wrote ${relative(root, archive)} (${mib.toFixed(1)} MiB; Node ${process.version}, ${process.platform}-${process.arch})`,
  );
}

await main();
