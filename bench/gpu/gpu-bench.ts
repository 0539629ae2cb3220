/**
 * The GPU benchmark driver (bench/gpu/run.sh starts it once the GL and Vulkan loaders are set up):
 * the matmul and MLP-training cases of `pnpm bench` (bench/src/cases, unchanged, each in a fresh
 * child process) on the cpu backend and on gpujs in headlessgl and webgpu mode, at GPU sizes:
 * matmul 512–4096, MLP batch 64, 256 and 1024. Writes runs.json (the format of bench/results/runs.json),
 * summary.json and RESULTS.md under bench/results/gpu/ and prints the tables. A mode that does not
 * start is a row saying why; every case has a time limit, so the whole run ends inside `--budget`.
 *
 *   node --conditions=source --import tsx gpu/gpu-bench.ts [--quick] [--only=matmul,webgpu] [--out=DIR] [--budget=450]
 *
 * `--report` rebuilds summary.json and RESULTS.md from the output folder's runs.json.
 * `--quick` runs small sizes (matmul 128 and 256, MLP batch 1024, 2 epochs; 1200 s budget) to check the
 * script on a machine without a GPU.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CaseResult, RESULT_MARKER } from '../src/common.js';
import type { MachineInfo, RunRecord } from '../src/records.js';
import { type GpuCase, gpuCases, gpuPlan } from './gpu-cases.js';
import { type GpuMachine, writeGpuReport } from './gpu-report.js';

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundled by carry.ts, the driver runs the cases' bundles; in a checkout, their sources through tsx. */
const bundled = import.meta.url.endsWith('.mjs');

function runCase(spec: GpuCase, quick: boolean, timeoutMs: number): Omit<RunRecord, 'run'> {
  const args = [
    ...(bundled ? [] : ['--conditions=source', '--import', 'tsx']),
    resolve(benchDir, 'src/cases', bundled ? spec.file.replace(/\.ts$/, '.mjs') : spec.file),
    ...spec.args,
    ...(quick ? ['--quick'] : []),
  ];
  const loadavgBefore = loadavg()[0];
  const start = performance.now();
  const child = spawnSync(process.execPath, args, {
    cwd: benchDir,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 2 ** 20,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  const wallSeconds = (performance.now() - start) / 1000;
  const line = child.stdout
    ?.split('\n')
    .reverse()
    .find((l) => l.startsWith(RESULT_MARKER));
  const library = spec.backend === 'cpu' ? 'backprop cpu' : `backprop gpujs (${spec.backend})`;
  // The last lines the case printed, without Mesa's XDG_RUNTIME_DIR complaint (noise, not a reason).
  const output = `${child.stderr ?? ''}\n${child.stdout ?? ''}`
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.includes('XDG_RUNTIME_DIR'))
    .slice(-3)
    .join(' | ');
  const result: CaseResult = line
    ? (JSON.parse(line.slice(RESULT_MARKER.length)) as CaseResult)
    : {
        case: spec.id,
        library,
        benchmark: spec.benchmark,
        status: 'failed',
        reason:
          child.error && (child.error as NodeJS.ErrnoException).code === 'ETIMEDOUT'
            ? `stopped after ${(timeoutMs / 1000).toFixed(0)} s (the script's time budget): ${output.slice(0, 300)}`
            : `exit ${child.status ?? child.signal}: ${output.slice(0, 400)}`,
      };
  return {
    id: spec.id,
    command: ['node', ...args.map((a) => a.replace(`${benchDir}/`, ''))].join(' '),
    wallSeconds,
    loadavgBefore,
    result,
  };
}

function cpuModel(): string {
  const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return m ? m[1].trim() : (cpus()[0]?.model ?? 'unknown');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2).filter((a) => a !== '--');
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const quick = argv.includes('--quick');
  const only = (value('only') ?? '').split(',').filter(Boolean);
  const outDir = resolve(value('out') ?? resolve(benchDir, 'results', quick ? 'gpu/quick' : 'gpu'));
  // 450 s keeps a GPU run under 8 minutes; software paths (--quick) need longer.
  const budgetSeconds = Number(value('budget') ?? (quick ? 1200 : 450));
  if (argv.includes('--report')) {
    // Rebuilds the report from the runs.json a run wrote into the output folder.
    const { machine, records } = JSON.parse(readFileSync(resolve(outDir, 'runs.json'), 'utf8'));
    console.log(writeGpuReport(outDir, machine, records, gpuCases(quick), gpuPlan(quick)));
    return;
  }
  const cases = gpuCases(quick).filter((c) => only.length === 0 || only.every((o) => c.id.includes(o)));
  const env = process.env;
  const machine: MachineInfo & GpuMachine = {
    cpu: cpuModel(),
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    command: `bench/gpu/run.sh${argv.length > 0 ? ` ${argv.join(' ')}` : ''}`,
    runs: 1,
    quick,
    loadavgStart: loadavg(),
    loadavgEnd: [],
    gpu: env.GPU_BENCH_GPU || 'none found (nvidia-smi absent or silent)',
    glRenderer: env.GPU_BENCH_GL_RENDERER || 'unknown',
    vulkanDriver: env.VK_DRIVER_FILES || env.VK_ICD_FILENAMES || "the Vulkan loader's default",
    setup: (env.GPU_BENCH_SETUP ?? '').split(';').filter(Boolean),
  };
  console.log(
    `backprop GPU bench: ${cases.length} cases${quick ? ' (quick)' : ''}, one process each, ${budgetSeconds} s budget; GPU: ${machine.gpu}; GL: ${machine.glRenderer}; Vulkan: ${machine.vulkanDriver}`,
  );
  const deadline = performance.now() + budgetSeconds * 1000;
  const records: RunRecord[] = [];
  for (const spec of cases) {
    const left = deadline - performance.now();
    const timeoutMs = Math.floor(Math.min(left, (quick ? 480 : 150) * 1000));
    const record: RunRecord =
      left < 5000
        ? {
            run: 1,
            id: spec.id,
            command: '',
            wallSeconds: 0,
            loadavgBefore: loadavg()[0],
            result: {
              case: spec.id,
              library: spec.backend === 'cpu' ? 'backprop cpu' : `backprop gpujs (${spec.backend})`,
              benchmark: spec.benchmark,
              status: 'failed',
              reason: `not run: the script's ${budgetSeconds} s budget was spent`,
            },
          }
        : { run: 1, ...runCase(spec, quick, timeoutMs) };
    records.push(record);
    console.log(
      `${new Date().toISOString().slice(11, 19)} ${spec.id.padEnd(30)} ${record.result.status.padEnd(11)} ${record.wallSeconds.toFixed(1).padStart(6)} s  ${record.result.status === 'ok' ? '' : record.result.reason}`,
    );
  }
  machine.loadavgEnd = loadavg();
  mkdirSync(outDir, { recursive: true });
  writeFileSync(resolve(outDir, 'runs.json'), `${JSON.stringify({ machine, records }, null, 2)}\n`);
  const report = writeGpuReport(outDir, machine, records, gpuCases(quick), gpuPlan(quick));
  console.log(`\n${report}\nwrote ${outDir}/runs.json, summary.json, RESULTS.md`);
}

await main();
