// Runs one half of the package's tests: `node` (webasm, cpu, headlessgl and webgpu through Dawn)
// with vitest, under `xvfb-run -a` when there is no X display and xvfb-run exists (headless-gl needs
// an X server), or `browser` (webgl2, webgpu) in headless Chromium. They are two scripts, `test` and
// `test:browser`, so that turbo runs them side by side. A missing X server or Chromium is reported
// as a declared skip, unless BACKPROP_GPUJS_REQUIRE names a mode that needs it (then it fails).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();
const required = (process.env.BACKPROP_GPUJS_REQUIRE ?? '').split(',').map((m) => m.trim());
const phase = process.argv[2];
if (phase !== 'node' && phase !== 'browser') {
  console.error(`usage: node scripts/run-tests.mjs node|browser (got ${phase})`);
  process.exit(2);
}

function run(cmd, args) {
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  console.log(
    `[backend-gpujs] ${[cmd, ...args].join(' ')}: exit ${result.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (phase === 'node') {
  // Mesa's llvmpipe (headless-gl's GL under Xvfb) rasterizes on the calling thread: the suite's
  // thousands of small draws then skip a hand-off to llvmpipe's threads each (about a fifth of
  // the headlessgl run's time, more on a busy machine).
  process.env.LP_NUM_THREADS ??= '0';
  const xvfb = !process.env.DISPLAY && which('xvfb-run');
  if (xvfb) run('xvfb-run', ['-a', 'vitest', 'run']);
  else run('vitest', ['run']);
}

if (phase === 'browser') {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(chromium)) run('vitest', ['run', '--config', 'vitest.browser.config.ts']);
  else if (required.includes('webgl2') || required.includes('webgpu')) {
    console.error(
      `[backend-gpujs] browser modes required but ${chromium} is missing (apt-get install -y chromium)`,
    );
    process.exit(1);
  } else
    console.log(
      `[backend-gpujs] SKIPPED browser modes (webgl2, webgpu): ${chromium} is missing (apt-get install -y chromium, or set CHROMIUM_PATH)`,
    );
}
