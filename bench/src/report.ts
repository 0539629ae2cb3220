/**
 * Turns the raw runs (results/runs.json) into results/summary.json and results/RESULTS.md: per case
 * the median over runs with the min–max, the ratios of backprop to each peer (ratio of the medians,
 * with the min–max of the per-round ratios, each round's cases having run back to back), and the
 * targets of issues #2, #6, #12 and #13 marked met or missed, then results/analysis.md (the hand-written
 * reading of the figures) when there is one. Run alone to rebuild the report from runs.json:
 * `node --conditions=source --import tsx src/report.ts`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONV2D_SHAPES, LENET } from './cnn.js';
import {
  type Benchmark,
  type CaseResult,
  MATMUL_SIZES,
  MATMUL_WARMUP_MS,
  MLP,
  type MlpFigures,
  median,
} from './common.js';
import type { MachineInfo, RunRecord } from './records.js';

/** A figure over runs. */
interface Stat {
  median: number;
  min: number;
  max: number;
  n: number;
}

function stat(values: number[]): Stat | null {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return null;
  return { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length };
}

/** The training figures of an MLP or LeNet case over its runs. */
interface TrainingSummary {
  /** Epochs trained (fewest over the runs): `MLP.epochs` unless the case was too slow for the full run. */
  epochs: number;
  samplesPerSec: Stat | null;
  testAccuracy: Stat | null;
  peakRssMiB: Stat | null;
  trainPeakRssMiB: Stat | null;
  lastEpochLoss: Stat | null;
}

interface CaseSummary {
  id: string;
  library: string;
  benchmark: Benchmark;
  status: CaseResult['status'];
  reason?: string;
  notes: string[];
  runs: number;
  matmul?: Record<number, Stat | null>;
  mlp?: TrainingSummary;
  lenet?: TrainingSummary;
  /** conv2d: fwd+bwd milliseconds per shape label, and Σ dW of the last run. */
  conv2d?: Record<string, { ms: Stat | null; gflops: Stat | null; gradWeightSum: number | null }>;
}

/** Per-run figures of one case, by run number. */
function byRun(
  records: RunRecord[],
  id: string,
  pick: (r: CaseResult) => number | undefined,
): Map<number, number> {
  const out = new Map<number, number>();
  for (const rec of records) {
    if (rec.id !== id || rec.result.status !== 'ok') continue;
    const v = pick(rec.result);
    if (v !== undefined && Number.isFinite(v)) out.set(rec.run, v);
  }
  return out;
}

function summarizeCases(records: RunRecord[]): CaseSummary[] {
  const ids = [...new Set(records.map((r) => r.id))];
  return ids.map((id) => {
    const recs = records.filter((r) => r.id === id);
    const ok = recs.filter((r) => r.result.status === 'ok');
    const last = (ok.at(-1) ?? recs.at(-1))!.result;
    const values = (pick: (r: CaseResult) => number | undefined) => [...byRun(records, id, pick).values()];
    const summary: CaseSummary = {
      id,
      library: last.library,
      benchmark: last.benchmark,
      status: ok.length > 0 ? 'ok' : last.status,
      reason: ok.length > 0 ? undefined : last.reason,
      notes: last.notes ?? [],
      runs: ok.length,
    };
    if (ok.length > 0 && last.benchmark === 'matmul') {
      summary.matmul = Object.fromEntries(
        MATMUL_SIZES.map((n) => [n, stat(values((r) => r.matmul?.find((m) => m.size === n)?.gflops))]),
      );
    }
    const training = (pick: (r: CaseResult) => MlpFigures | undefined, epochs: number): TrainingSummary => ({
      epochs: Math.min(...ok.map((r) => pick(r.result)?.epochs ?? epochs)),
      samplesPerSec: stat(values((r) => pick(r)?.samplesPerSec)),
      testAccuracy: stat(values((r) => pick(r)?.testAccuracy)),
      peakRssMiB: stat(values((r) => pick(r)?.peakRssMiB)),
      trainPeakRssMiB: stat(values((r) => pick(r)?.trainPeakRssMiB ?? undefined)),
      lastEpochLoss: stat(values((r) => pick(r)?.epochLoss.at(-1))),
    });
    if (ok.length > 0 && last.benchmark === 'mlp') summary.mlp = training((r) => r.mlp, MLP.epochs);
    if (ok.length > 0 && last.benchmark === 'lenet') summary.lenet = training((r) => r.lenet, LENET.epochs);
    if (ok.length > 0 && last.benchmark === 'conv2d') {
      const row = (r: CaseResult, shape: string) => r.conv2d?.find((c) => c.shape === shape);
      summary.conv2d = Object.fromEntries(
        CONV2D_SHAPES.map(({ label }) => [
          label,
          {
            ms: stat(values((r) => row(r, label)?.medianMs)),
            gflops: stat(values((r) => row(r, label)?.gflops)),
            gradWeightSum: row(last, label)?.gradWeightSum ?? null,
          },
        ]),
      );
    }
    return summary;
  });
}

/** backprop ÷ peer: the ratio of the medians, and the min–max of the ratios within each round. */
interface Ratio {
  ofMedians: number;
  perRun: Stat | null;
}

function ratio(
  records: RunRecord[],
  ours: string,
  peer: string,
  pick: (r: CaseResult) => number | undefined,
  invert = false,
): Ratio | null {
  const a = byRun(records, ours, pick);
  const b = byRun(records, peer, pick);
  const ma = stat([...a.values()]);
  const mb = stat([...b.values()]);
  if (!ma || !mb || mb.median === 0) return null;
  const paired = [...a.keys()]
    .filter((k) => b.has(k))
    .map((k) => (invert ? b.get(k)! / a.get(k)! : a.get(k)! / b.get(k)!));
  return { ofMedians: invert ? mb.median / ma.median : ma.median / mb.median, perRun: stat(paired) };
}

const f2 = (x: number) => x.toFixed(2);
const f0 = (x: number) => x.toFixed(0);
function fmtStat(s: Stat | null | undefined, fmt = f2, unit = ''): string {
  if (!s) return '—';
  return s.n > 1 ? `${fmt(s.median)}${unit} (${fmt(s.min)}–${fmt(s.max)})` : `${fmt(s.median)}${unit}`;
}
function fmtRatio(r: Ratio | null): string {
  if (!r) return '—';
  return r.perRun && r.perRun.n > 1
    ? `**${f2(r.ofMedians)}×** (${f2(r.perRun.min)}–${f2(r.perRun.max)})`
    : `**${f2(r.ofMedians)}×**`;
}

/** What a row says for a case with no figures: a library missing here, or a failed run. */
function notMeasured(c: CaseSummary): string {
  return c.status === 'unavailable' ? 'not available' : 'not measured';
}

interface Target {
  /** The benchmark it reads: listed only when the session ran that benchmark's cases. */
  benchmark: Benchmark;
  what: string;
  goal: string;
  value: number | null;
  threshold: number;
  /** true when smaller is better (value must be ≤ threshold). */
  atMost?: boolean;
}

/** The LeNet-5 and conv2d sections (issue #12), when the session ran those cases. */
function writeCnnSections(out: (s?: string) => void, records: RunRecord[], cases: CaseSummary[]): void {
  const lenetCases = cases.filter((c) => c.benchmark === 'lenet');
  if (lenetCases.length > 0) {
    const ours = 'lenet-backprop-cpu';
    const sps = (r: CaseResult) => r.lenet?.samplesPerSec;
    out('## Training LeNet-5 on MNIST');
    out();
    out(
      `conv 5×5 ×${LENET.conv1} (padded) → ReLU → max pool 2 → conv 5×5 ×${LENET.conv2} → ReLU → max pool 2 → ${LENET.hidden.join(' → ')} → ${LENET.classes}, softmax cross-entropy, SGD lr ${LENET.lr}, batch ${LENET.batchSize}, on the MLP benchmark's split and batch order; every library starts from the same initial weights (PyTorch's default U(±1/√fan-in), seeded; tfjs gets them in its channels-last layouts). Each epoch is the first ${LENET.samples.toLocaleString('en-US')} samples of that epoch's order; samples/s over epochs 2–${LENET.epochs} after a warm-up epoch 1; accuracy on the 2,000 held-out digits after epoch ${LENET.epochs} (low: ${(LENET.epochs * LENET.samples).toLocaleString('en-US')} samples of plain SGD; the same loss in every library shows they train the same network).`,
    );
    out();
    out(
      `| library | samples/s | ratio backprop cpu ÷ library | test accuracy | loss, epoch ${LENET.epochs} | peak RSS (MiB) |`,
    );
    out('| --- | --- | --- | --- | --- | --- |');
    for (const c of lenetCases) {
      if (c.status !== 'ok' || !c.lenet) {
        out(`| ${c.library} | ${notMeasured(c)} | — | — | — | — |`);
        continue;
      }
      const r = c.id === ours ? '1' : fmtRatio(ratio(records, ours, c.id, sps));
      const short =
        c.lenet.epochs !== LENET.epochs ? ` (shorter run: ${c.lenet.epochs} epochs, see its notes)` : '';
      out(
        `| ${c.library}${short} | ${fmtStat(c.lenet.samplesPerSec, f0)} | ${r} | ${fmtStat(c.lenet.testAccuracy, (x) => `${(x * 100).toFixed(1)}%`)} | ${fmtStat(c.lenet.lastEpochLoss, (x) => x.toFixed(4))} | ${fmtStat(c.lenet.peakRssMiB, f0)} |`,
      );
    }
    out();
  }
  const convCases = cases.filter((c) => c.benchmark === 'conv2d');
  if (convCases.length > 0) {
    const ours = 'conv2d-backprop-cpu';
    const labels = CONV2D_SHAPES.map((s) => s.label);
    const ms = (label: string) => (r: CaseResult) => r.conv2d?.find((c) => c.shape === label)?.medianMs;
    out('## conv2d forward + backward, float32');
    out();
    out(
      'y = conv2d(x, w) (stride 1, no bias), then the gradients dX and dW of Σ(g ⊙ y) for a seeded upstream gradient g; milliseconds per forward + backward (median of the in-process repetitions after a warm-up), GFLOP/s = 3 × the forward pass’s 2·N·O·Ho·Wo·C·kH·kW over that time. tfjs runs channels-last on the same values.',
    );
    out();
    out(`| library | ${labels.join(' | ')} |`);
    out(`| --- | ${labels.map(() => '---').join(' | ')} |`);
    for (const c of convCases) {
      if (c.status !== 'ok' || !c.conv2d) {
        out(`| ${c.library} | ${labels.map(() => notMeasured(c)).join(' | ')} |`);
        continue;
      }
      const cell = (label: string) => {
        const row = c.conv2d?.[label];
        return row?.ms ? `${fmtStat(row.ms, (x) => x.toFixed(1))} ms, ${fmtStat(row.gflops)} GFLOP/s` : '—';
      };
      out(`| ${c.library} | ${labels.map(cell).join(' | ')} |`);
    }
    out();
    out('Ratio backprop cpu ÷ peer (speed: the peer’s time ÷ backprop’s):');
    out();
    out(`| peer | ${labels.join(' | ')} |`);
    out(`| --- | ${labels.map(() => '---').join(' | ')} |`);
    for (const c of convCases) {
      if (c.id === ours || c.status !== 'ok') continue;
      out(
        `| ${c.library} | ${labels.map((l) => fmtRatio(ratio(records, ours, c.id, ms(l), true))).join(' | ')} |`,
      );
    }
    out();
    const sums = convCases
      .filter((c) => c.conv2d)
      .map(
        (c) =>
          `${c.library} ${labels.map((l) => c.conv2d?.[l]?.gradWeightSum?.toPrecision(6) ?? '—').join(' / ')}`,
      );
    out(
      `Σ dW per shape (the same up to float32 rounding when every library computes the same gradient): ${sums.join('; ')}.`,
    );
    out();
  }
}

export function writeReport(resultsDir: string, machine: MachineInfo, records: RunRecord[]): string {
  const cases = summarizeCases(records);
  const ours = { matmul: 'matmul-backprop-cpu', mlp: 'mlp-backprop-cpu' };
  const gflops = (n: number) => (r: CaseResult) => r.matmul?.find((m) => m.size === n)?.gflops;
  const sps = (r: CaseResult) => r.mlp?.samplesPerSec;
  const lenetSps = (r: CaseResult) => r.lenet?.samplesPerSec;
  const rss = (r: CaseResult) => r.mlp?.peakRssMiB;
  const trainRss = (r: CaseResult) => r.mlp?.trainPeakRssMiB ?? undefined;

  const lines: string[] = [];
  const out = (s = '') => lines.push(s);
  out('# backprop benchmarks');
  out();
  out(
    `Generated by \`${machine.command}\` (bench/src/run.ts) on ${machine.date.slice(0, 10)}: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}.`,
  );
  out(
    `Every case ran in its own fresh Node process (\`node --conditions=source --import tsx bench/src/cases/…\`), round-robin over the cases, ${machine.runs} run(s) each${machine.quick ? ' (quick mode: fewer repetitions)' : ''}. Figures are medians over the runs with the min–max in brackets; ratios are backprop ÷ peer (ratio of the medians, with the min–max of the ratios within each round). The machine is shared and was busy (load average ${machine.loadavgStart.map(f2).join(' / ')} at the start, ${machine.loadavgEnd.map(f2).join(' / ')} at the end, on ${machine.cores} cores): absolute figures move from run to run, the ratios of cases run side by side much less.`,
  );
  out();

  // Targets
  const mlpTf = ratio(records, ours.mlp, 'mlp-tfjs-cpu', sps);
  const mm512Tf = ratio(records, ours.matmul, 'matmul-tfjs-cpu', gflops(512));
  const mm512Naive = ratio(records, ours.matmul, 'matmul-naive', gflops(512));
  const rssTf = ratio(records, ours.mlp, 'mlp-tfjs-cpu', rss);
  const ours1t = { matmul: 'matmul-backprop-cpu-1t', mlp: 'mlp-backprop-cpu-1t' };
  const mmWasm = (id: string, n: number) => ratio(records, id, 'matmul-tfjs-wasm', gflops(n));
  // PyTorch's best thread count is the one with the higher median: the smaller ratio.
  const torchRatios = ['mlp-torch-1', 'mlp-torch-all']
    .map((peer) => ratio(records, ours.mlp, peer, sps))
    .filter((r): r is Ratio => r !== null);
  const mlpTorchBest = torchRatios.length > 0 ? Math.min(...torchRatios.map((r) => r.ofMedians)) : null;
  const lossGap = (peer: string) => {
    const a = stat([...byRun(records, ours.mlp, (r) => r.mlp?.epochLoss.at(-1)).values()]);
    const b = stat([...byRun(records, peer, (r) => r.mlp?.epochLoss.at(-1)).values()]);
    return a && b ? Math.abs(a.median - b.median) / Math.abs(b.median) : null;
  };
  const threadsUsed = cases.find((c) => c.id === ours.matmul)?.library ?? 'default threads';
  const allTargets: Target[] = [
    {
      benchmark: 'mlp',
      what: 'issue #13: MLP training samples/s, backprop cpu ÷ PyTorch CPU (its best thread count)',
      goal: '≥ 0.5×',
      value: mlpTorchBest,
      threshold: 0.5,
    },
    {
      benchmark: 'mlp',
      what: 'issue #13: MLP training samples/s, backprop cpu ÷ tfjs-wasm',
      goal: '≥ 4×',
      value: ratio(records, ours.mlp, 'mlp-tfjs-wasm', sps)?.ofMedians ?? null,
      threshold: 4,
    },
    ...([128, 512, 1024] as const).map((n) => ({
      benchmark: 'matmul' as const,
      what: `issue #13: matmul ${n} GFLOP/s, ${threadsUsed} ÷ tfjs-wasm`,
      goal: n === 128 ? '≥ 1×' : '≥ 1.5×',
      value: mmWasm(ours.matmul, n)?.ofMedians ?? null,
      threshold: n === 128 ? 1 : 1.5,
    })),
    ...([256, 512, 1024] as const).map((n) => ({
      benchmark: 'matmul' as const,
      what: `issue #13: matmul ${n} GFLOP/s, backprop cpu on 1 thread ÷ tfjs-wasm`,
      goal: '≥ 1×',
      value: mmWasm(ours1t.matmul, n)?.ofMedians ?? null,
      threshold: 1,
    })),
    {
      benchmark: 'matmul',
      what: `issue #13: threads scale, matmul 1024 GFLOP/s, ${threadsUsed} ÷ 1 thread`,
      goal: '≥ 1.7× (on 2 threads)',
      value: ratio(records, ours.matmul, ours1t.matmul, gflops(1024))?.ofMedians ?? null,
      threshold: 1.7,
    },
    ...['mlp-tfjs-wasm', 'mlp-torch-1'].map((peer) => ({
      benchmark: 'mlp' as const,
      what: `issue #13: loss after epoch ${MLP.epochs}, relative difference backprop cpu vs ${peer}`,
      goal: '≤ 0.001',
      value: lossGap(peer),
      threshold: 0.001,
      atMost: true,
    })),
    {
      benchmark: 'mlp',
      what: 'MLP training samples/s, backprop cpu ÷ tfjs-cpu',
      goal: '≥ 2.5×',
      value: mlpTf?.ofMedians ?? null,
      threshold: 2.5,
    },
    {
      benchmark: 'matmul',
      what: 'matmul 512 GFLOP/s, backprop cpu ÷ tfjs-cpu',
      goal: '≥ 4×',
      value: mm512Tf?.ofMedians ?? null,
      threshold: 4,
    },
    {
      benchmark: 'matmul',
      what: 'matmul 512 GFLOP/s, backprop cpu ÷ naive i-k-j (issue #2)',
      goal: '≥ 4×',
      value: mm512Naive?.ofMedians ?? null,
      threshold: 4,
    },
    {
      benchmark: 'mlp',
      what: 'MLP peak RSS, backprop cpu ÷ tfjs-cpu',
      goal: '≤ 1×',
      value: rssTf?.ofMedians ?? null,
      threshold: 1,
      atMost: true,
    },
    {
      benchmark: 'lenet',
      what: 'issue #12: LeNet-5 training samples/s, backprop cpu ÷ tfjs-wasm',
      goal: '≥ 1.5×',
      value: ratio(records, 'lenet-backprop-cpu', 'lenet-tfjs-wasm', lenetSps)?.ofMedians ?? null,
      threshold: 1.5,
    },
  ];
  const targets = allTargets.filter((t) => cases.some((c) => c.benchmark === t.benchmark));
  out('## Targets');
  out();
  out('| target | goal | measured | |');
  out('| --- | --- | --- | --- |');
  for (const t of targets) {
    const met = t.value === null ? null : t.atMost ? t.value <= t.threshold : t.value >= t.threshold;
    out(
      `| ${t.what} | ${t.goal} | ${t.value === null ? 'not measured' : t.atMost && t.threshold < 0.1 ? t.value.toExponential(1) : `${f2(t.value)}×`} | ${met === null ? '—' : met ? 'met' : `**missed** by ${Math.abs((t.value! / t.threshold - 1) * 100).toFixed(1)}%`} |`,
    );
  }
  out();

  const matmulCases = cases.filter((c) => c.benchmark === 'matmul');
  const mlpCases = cases.filter((x) => x.benchmark === 'mlp');
  // Matmul (a session may have run other benchmarks only: `pnpm bench -- --only=…`)
  if (matmulCases.length > 0) {
    out('## Matmul, float32, n×n · n×n (GFLOP/s = 2n³ / time)');
    out();
    out(
      `The median of the timed runs at each size, after ${MATMUL_WARMUP_MS} ms of untimed runs (the same for every library), so JavaScript kernels are timed in V8's optimised code.`,
    );
    out();
    out(`| library | ${MATMUL_SIZES.map((n) => `${n}`).join(' | ')} |`);
    out(`| --- | ${MATMUL_SIZES.map(() => '---').join(' | ')} |`);
    for (const c of matmulCases) {
      if (c.status !== 'ok') {
        out(`| ${c.library} | ${MATMUL_SIZES.map(() => notMeasured(c)).join(' | ')} |`);
        continue;
      }
      out(`| ${c.library} | ${MATMUL_SIZES.map((n) => fmtStat(c.matmul?.[n])).join(' | ')} |`);
    }
    out();
    out('Ratio backprop cpu ÷ peer:');
    out();
    out(`| peer | ${MATMUL_SIZES.map((n) => `${n}`).join(' | ')} |`);
    out(`| --- | ${MATMUL_SIZES.map(() => '---').join(' | ')} |`);
    for (const c of matmulCases) {
      if (c.id === ours.matmul || c.status !== 'ok') continue;
      out(
        `| ${c.library} | ${MATMUL_SIZES.map((n) => fmtRatio(ratio(records, ours.matmul, c.id, gflops(n)))).join(' | ')} |`,
      );
    }
    out();
  }

  // MLP
  if (mlpCases.length > 0) {
    out('## Training an MLP 784-128-10 on MNIST');
    out();
    out(
      "ReLU hidden layer, softmax cross-entropy, SGD lr 0.1, batch 64, on the `mnist` package's digits split by `@backprop/data` `loadMnist({ train: 8000, test: 2000, seed: 0 })`; every library starts from the same initial weights (U(±1/√fan-in), seeded) and sees the same batches in the same order. Samples/s over epochs 2–5 after a warm-up epoch 1; accuracy on the 2,000 held-out digits after 5 epochs; peak RSS = the process's VmHWM (data loading included), and during training only (high-water mark reset through /proc/self/clear_refs after the data was loaded).",
    );
    out();
    out(
      `| library | samples/s | ratio backprop cpu ÷ library | test accuracy | loss, epoch ${MLP.epochs} | peak RSS (MiB) | peak RSS during training (MiB) |`,
    );
    out('| --- | --- | --- | --- | --- | --- | --- |');
    for (const c of mlpCases) {
      if (c.status !== 'ok' || !c.mlp) {
        out(`| ${c.library} | ${notMeasured(c)} | — | — | — | — | — |`);
        continue;
      }
      const r = c.id === ours.mlp ? '1' : fmtRatio(ratio(records, ours.mlp, c.id, sps));
      const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
      // A case too slow for the full run trained fewer epochs: its row says so (and the note below).
      const short = c.mlp.epochs !== MLP.epochs ? ` (${c.mlp.epochs} epochs only, see below)` : '';
      out(
        `| ${c.library}${short} | ${fmtStat(c.mlp.samplesPerSec, f0)} | ${r} | ${fmtStat(c.mlp.testAccuracy, pct)} | ${fmtStat(c.mlp.lastEpochLoss, (x) => x.toFixed(4))} | ${fmtStat(c.mlp.peakRssMiB, f0)} | ${fmtStat(c.mlp.trainPeakRssMiB, f0)} |`,
      );
    }
    const trainRssTf = ratio(records, ours.mlp, 'mlp-tfjs-cpu', trainRss);
    out();
    for (const c of mlpCases)
      if (c.mlp && c.mlp.epochs !== MLP.epochs)
        out(
          `**${c.library}** was too slow for the full run and trained ${c.mlp.epochs} epochs instead of ${MLP.epochs}: its samples/s is over epochs 2–${c.mlp.epochs} (epoch 1 still the warm-up), its accuracy and loss are after epoch ${c.mlp.epochs}.`,
        );
    const gpujsMlp = mlpCases.filter((c) => c.id.startsWith('mlp-gpujs-'));
    if (gpujsMlp.length > 0)
      out(
        `The backprop gpujs rows (${gpujsMlp.map((c) => c.id.replace('mlp-gpujs-', '')).join(', ')}) run the backprop cpu case's code (bench/src/cases/mlp-backprop.ts) unchanged with the @backprop/backend-gpujs backend active, in the gpu.js mode named, so every parameter, batch and op of the step lives on gpujs; only the loss (\`item()\`) and the test predictions are read back. headlessgl runs under \`xvfb-run -a\`; with no GPU in this machine, its GL is a software renderer under Xvfb, so these figures say nothing about a real GPU. The browser-only modes (webgl2, webgl, webgpu) cannot run in Node.`,
      );
    if (gpujsMlp.length > 0) out();
    if (cases.some((c) => c.id === 'mlp-brainjs' && c.status === 'ok'))
      out(
        "brain.js runs its closest configuration, which is not the same training: it updates after every sample (batch size 1), puts ReLU on the output layer and minimises mean squared error (its 'loss' column is MSE), so its accuracy is not comparable; with lr 0.1 and online updates its ReLU outputs mostly die. See the notes below.",
      );
    if (rssTf)
      out(
        `Peak RSS backprop cpu ÷ tfjs-cpu: ${fmtRatio(rssTf)} for the whole process, ${fmtRatio(trainRssTf)} during training.`,
      );
    out();
  }

  writeCnnSections(out, records, cases);

  // Not measured and notes
  const missing = cases.filter((c) => c.status !== 'ok');
  if (missing.length > 0) {
    out('## Not measured');
    out();
    for (const c of missing)
      out(`- **${c.library}** (${c.id}): ${c.status}: ${c.reason ?? 'no reason given'}`);
    out();
  }
  out('## How each case ran');
  out();
  for (const c of cases) if (c.notes.length > 0) out(`- **${c.id}**: ${c.notes.join('; ')}`);
  out();
  const folder = `bench/${relative(resolve(dirname(fileURLToPath(import.meta.url)), '..'), resultsDir)}`;
  out(
    `Raw runs: \`${folder}/runs.json\` (every run of every case, with its command line); medians: \`${folder}/summary.json\`. Reproduce with \`${machine.command}\` at the repository root (\`pnpm bench -- --quick\` for one short round of every case).`,
  );

  out();
  // The hand-written reading of these figures (profiles, what is in the way), kept beside them.
  const analysisPath = resolve(resultsDir, 'analysis.md');
  if (existsSync(analysisPath)) {
    out(readFileSync(analysisPath, 'utf8').trimEnd());
    out();
  }

  const mdPath = resolve(resultsDir, 'RESULTS.md');
  writeFileSync(mdPath, lines.join('\n'));
  writeFileSync(
    resolve(resultsDir, 'summary.json'),
    `${JSON.stringify(
      {
        machine,
        cases,
        ratios: {
          mlpSamplesPerSec: Object.fromEntries(
            cases
              .filter((c) => c.benchmark === 'mlp' && c.id !== ours.mlp)
              .map((c) => [c.id, ratio(records, ours.mlp, c.id, sps)]),
          ),
          mlpPeakRss: Object.fromEntries(
            cases
              .filter((c) => c.benchmark === 'mlp' && c.id !== ours.mlp)
              .map((c) => [c.id, ratio(records, ours.mlp, c.id, rss)]),
          ),
          matmul: Object.fromEntries(
            matmulCases
              .filter((c) => c.id !== ours.matmul)
              .map((c) => [
                c.id,
                Object.fromEntries(
                  MATMUL_SIZES.map((n) => [n, ratio(records, ours.matmul, c.id, gflops(n))]),
                ),
              ]),
          ),
        },
        targets,
      },
      null,
      2,
    )}\n`,
  );
  return mdPath;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const resultsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../results');
  const { machine, records } = JSON.parse(readFileSync(resolve(resultsDir, 'runs.json'), 'utf8'));
  console.log(`wrote ${writeReport(resultsDir, machine, records)}`);
}
