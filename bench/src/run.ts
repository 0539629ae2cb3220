/**
 * The benchmark driver: runs every case (src/cases/*.ts, one library × benchmark each) in a fresh
 * child process, round-robin — run 1 of every case, then run 2 of every case, … — so that each
 * library sees the same machine load over the session and the ratios stay fair on a busy machine.
 * Writes the raw runs to results/runs.json and the summary to results/RESULTS.md (report.ts).
 *
 *   pnpm bench                   3 runs per case (about 7–12 minutes on 2 cores)
 *   pnpm bench -- --quick        1 run per case with fewer repetitions (about 2 minutes)
 *   pnpm bench -- --runs=5 --only=matmul,mlp-backprop
 *   pnpm bench -- --only=lenet,conv2d --results=cnn   writes to results/cnn/ instead of results/
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Benchmark, type CaseResult, RESULT_MARKER } from './common.js';
import type { MachineInfo, RunRecord } from './records.js';
import { writeReport } from './report.js';

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = resolve(benchDir, 'results');

/** A case: the file to run, its arguments, and whether it needs an X server (headless-gl). */
interface CaseSpec {
  id: string;
  file: string;
  args?: string[];
  needsX?: boolean;
}

export const CASES: CaseSpec[] = [
  { id: 'matmul-backprop-cpu', file: 'matmul-backprop-cpu.ts' },
  { id: 'matmul-backprop-cpu-1t', file: 'matmul-backprop-cpu.ts', args: ['--threads=1'] },
  { id: 'matmul-torch-1', file: 'torch.ts', args: ['--benchmark=matmul', '--threads=1'] },
  { id: 'matmul-torch-all', file: 'torch.ts', args: ['--benchmark=matmul', '--threads=all'] },
  { id: 'matmul-naive', file: 'matmul-naive.ts' },
  { id: 'matmul-tfjs-cpu', file: 'matmul-tfjs.ts', args: ['--backend=cpu'] },
  { id: 'matmul-tfjs-wasm', file: 'matmul-tfjs.ts', args: ['--backend=wasm'] },
  { id: 'matmul-gpujs-webasm', file: 'matmul-gpujs.ts', args: ['--mode=webasm'] },
  { id: 'matmul-gpujs-cpu', file: 'matmul-gpujs.ts', args: ['--mode=cpu'] },
  { id: 'matmul-gpujs-headlessgl', file: 'matmul-gpujs.ts', args: ['--mode=headlessgl'], needsX: true },
  { id: 'matmul-gpujs-webgl2', file: 'matmul-gpujs.ts', args: ['--mode=webgl2'] },
  { id: 'matmul-gpujs-webgpu', file: 'matmul-gpujs.ts', args: ['--mode=webgpu'] },
  { id: 'mlp-backprop-cpu', file: 'mlp-backprop.ts', args: ['--backend=cpu'] },
  { id: 'mlp-backprop-cpu-1t', file: 'mlp-backprop.ts', args: ['--backend=cpu', '--threads=1'] },
  { id: 'mlp-torch-1', file: 'torch.ts', args: ['--benchmark=mlp', '--threads=1'] },
  { id: 'mlp-torch-all', file: 'torch.ts', args: ['--benchmark=mlp', '--threads=all'] },
  { id: 'mlp-tfjs-cpu', file: 'mlp-tfjs.ts', args: ['--backend=cpu'] },
  { id: 'mlp-tfjs-wasm', file: 'mlp-tfjs.ts', args: ['--backend=wasm'] },
  { id: 'mlp-brainjs', file: 'mlp-brainjs.ts' },
  // The same MLP case as backprop cpu, on the gpujs backend in each gpu.js mode that can run in Node.
  { id: 'mlp-gpujs-webasm', file: 'mlp-backprop.ts', args: ['--backend=gpujs', '--mode=webasm'] },
  { id: 'mlp-gpujs-cpu', file: 'mlp-backprop.ts', args: ['--backend=gpujs', '--mode=cpu'] },
  {
    id: 'mlp-gpujs-headlessgl',
    file: 'mlp-backprop.ts',
    args: ['--backend=gpujs', '--mode=headlessgl'],
    needsX: true,
  },
  // LeNet-5 training and conv2d forward + backward (src/cnn.ts).
  { id: 'lenet-backprop-cpu', file: 'lenet-backprop.ts' },
  { id: 'lenet-backprop-cpu-1t', file: 'lenet-backprop.ts', args: ['--threads=1'] },
  { id: 'lenet-torch-1', file: 'torch.ts', args: ['--benchmark=lenet', '--threads=1'] },
  // tfjs-cpu's conv2d gradients take about a second per batch: 2 epochs of 4 batches.
  { id: 'lenet-tfjs-cpu', file: 'lenet-tfjs.ts', args: ['--backend=cpu', '--epochs=2', '--samples=256'] },
  { id: 'lenet-tfjs-wasm', file: 'lenet-tfjs.ts', args: ['--backend=wasm'] },
  { id: 'conv2d-backprop-cpu', file: 'conv2d-backprop.ts' },
  { id: 'conv2d-torch-1', file: 'torch.ts', args: ['--benchmark=conv2d', '--threads=1'] },
  { id: 'conv2d-tfjs-cpu', file: 'conv2d-tfjs.ts', args: ['--backend=cpu'] },
  { id: 'conv2d-tfjs-wasm', file: 'conv2d-tfjs.ts', args: ['--backend=wasm'] },
];

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

function hasXvfb(): boolean {
  return spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' }).status === 0;
}

function parseArgs(argv: string[]): { quick: boolean; runs: number; only: string[]; results: string } {
  const quick = argv.includes('--quick');
  const runsArg = argv.find((a) => a.startsWith('--runs='));
  const onlyArg = argv.find((a) => a.startsWith('--only='));
  // A subset of the cases can write its own folder, leaving the full run's results as they are.
  const resultsArg = argv.find((a) => a.startsWith('--results='));
  return {
    quick,
    runs: runsArg ? Math.max(1, Number(runsArg.slice(7))) : quick ? 1 : 3,
    only: onlyArg ? onlyArg.slice(7).split(',').filter(Boolean) : [],
    results: resultsArg ? resolve(resultsDir, resultsArg.slice(10)) : resultsDir,
  };
}

function runOnce(spec: CaseSpec, quick: boolean, xvfb: boolean): Omit<RunRecord, 'run'> {
  const nodeArgs = [
    '--conditions=source',
    '--import',
    'tsx',
    resolve(benchDir, 'src/cases', spec.file),
    ...(spec.args ?? []),
    ...(quick ? ['--quick'] : []),
  ];
  const [cmd, args] =
    spec.needsX && xvfb ? ['xvfb-run', ['-a', process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const loadavgBefore = loadavg()[0];
  const start = performance.now();
  const child = spawnSync(cmd, args, {
    cwd: benchDir,
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 * 2 ** 20,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  const wallSeconds = (performance.now() - start) / 1000;
  const line = child.stdout
    ?.split('\n')
    .reverse()
    .find((l) => l.startsWith(RESULT_MARKER));
  const [library, benchmark] = [spec.id, spec.id.split('-')[0] as Benchmark] as const;
  const result: CaseResult = line
    ? (JSON.parse(line.slice(RESULT_MARKER.length)) as CaseResult)
    : {
        case: spec.id,
        library,
        benchmark,
        status: 'failed',
        reason: child.error
          ? `${child.error.message}`
          : `exit ${child.status ?? child.signal}: ${(child.stderr || child.stdout || '').trim().split('\n').slice(-3).join(' | ').slice(0, 400)}`,
      };
  return {
    id: spec.id,
    command: [
      cmd === process.execPath ? 'node' : cmd,
      ...args.map((a) => a.replace(`${benchDir}/`, '')),
    ].join(' '),
    wallSeconds,
    loadavgBefore,
    result,
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2).filter((a) => a !== '--');
  const { quick, runs, only, results } = parseArgs(argv);
  const cases = only.length > 0 ? CASES.filter((c) => only.some((o) => c.id.includes(o))) : CASES;
  const xvfb = hasXvfb();
  const machine: MachineInfo = {
    cpu: cpuModel(),
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    command: `pnpm bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
    runs,
    quick,
    loadavgStart: loadavg(),
    loadavgEnd: [],
  };
  console.log(
    `backprop bench: ${cases.length} cases × ${runs} run(s)${quick ? ' (quick)' : ''}, round-robin, one process per run; ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`,
  );
  const records: RunRecord[] = [];
  const skip = new Set<string>();
  for (let run = 1; run <= runs; run++) {
    for (const spec of cases) {
      if (skip.has(spec.id)) continue;
      const record = { run, ...runOnce(spec, quick, xvfb) };
      records.push(record);
      const r = record.result;
      // A library that cannot run here will not run in the next round either.
      if (r.status === 'unavailable') skip.add(spec.id);
      console.log(
        `run ${run}/${runs} ${spec.id.padEnd(26)} ${r.status.padEnd(11)} ${record.wallSeconds.toFixed(1).padStart(6)} s  ${summarize(r)}`,
      );
    }
  }
  machine.loadavgEnd = loadavg();
  mkdirSync(results, { recursive: true });
  const runsPath = resolve(results, 'runs.json');
  writeFileSync(runsPath, `${JSON.stringify({ machine, records }, null, 2)}\n`);
  const mdPath = writeReport(results, machine, records);
  console.log(`wrote ${runsPath}\nwrote ${mdPath}`);
  if (!existsSync(mdPath)) process.exitCode = 1;
}

function summarize(r: CaseResult): string {
  if (r.status !== 'ok') return r.reason ?? '';
  if (r.matmul) return `${r.matmul.map((m) => `${m.size}: ${m.gflops.toFixed(2)}`).join('  ')} GFLOP/s`;
  const training = r.mlp ?? r.lenet;
  if (training)
    return `${training.samplesPerSec.toFixed(0)} samples/s, acc ${(training.testAccuracy * 100).toFixed(1)}%, loss ${training.epochLoss.at(-1)?.toFixed(4)}, peak RSS ${training.peakRssMiB.toFixed(0)} MiB`;
  if (r.conv2d) return r.conv2d.map((c) => `${c.medianMs.toFixed(1)} ms`).join('  ');
  return '';
}

await main();
