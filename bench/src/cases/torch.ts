/**
 * PyTorch CPU as a peer on the matmul, MLP, LeNet and conv2d benchmarks
 * (`--benchmark=matmul|mlp|lenet|conv2d`), on one thread
 * or on every core (`--threads=1|all`): writes the same inputs every other library gets (the
 * matmul operands, the MNIST split, the initial weights, each epoch's batch order) as raw files and
 * runs bench/py/torch_peer.py on them with `python3`. Where python3 or torch is missing, the case
 * is `unavailable` and the rest of the bench runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONV2D_SHAPES, conv2dInputs, LENET, lenetEpochs, lenetInitialWeights } from '../cnn.js';
import {
  type Benchmark,
  type CaseResult,
  caseArgs,
  epochOrder,
  initialWeights,
  loadSplit,
  MATMUL_SIZES,
  MLP,
  matmulInputs,
  matmulReps,
  maxAbsDiff,
  naiveMatmul,
  runCase,
  unavailable,
} from '../common.js';

const { quick, values } = caseArgs();
const benchmark: Benchmark =
  (['mlp', 'lenet', 'conv2d'] as const).find((b) => b === values.benchmark) ?? 'matmul';
const threads = values.threads === 'all' ? cpus().length : 1;
const label = values.threads === 'all' ? 'all' : '1';
const script = resolve(dirname(fileURLToPath(import.meta.url)), '../../py/torch_peer.py');

function write(folder: string, name: string, data: Float32Array | Int32Array): void {
  writeFileSync(join(folder, name), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

/** Runs the Python side on the inputs in `folder`; its JSON answer. */
function runPython(folder: string): Record<string, unknown> {
  const child = spawnSync('python3', [script, folder], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (child.error) throw unavailable(`python3 cannot be started (${child.error.message})`);
  if (child.status !== 0)
    throw new Error(
      `torch_peer.py exited ${child.status}: ${child.stderr.trim().split('\n').slice(-2).join(' | ')}`,
    );
  const answer = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
  if (typeof answer.unavailable === 'string') throw unavailable(answer.unavailable);
  return answer;
}

await runCase(
  {
    case: `${benchmark}-torch-${label}`,
    library: `PyTorch CPU (${threads} thread${threads > 1 ? 's' : ''})`,
    benchmark,
  },
  async () => {
    const folder = mkdtempSync(join(tmpdir(), 'backprop-bench-torch-'));
    try {
      if (benchmark === 'matmul') {
        const sizes = MATMUL_SIZES.map((n) => {
          const [a, b] = matmulInputs(n);
          write(folder, `a${n}.f32`, a);
          write(folder, `b${n}.f32`, b);
          return { n, reps: matmulReps(n, quick), check: n <= 512 };
        });
        writeFileSync(
          join(folder, 'spec.json'),
          JSON.stringify({ benchmark, threads, sizes, budgetMs: quick ? 4000 : 8000 }),
        );
        const answer = runPython(folder) as { matmul: NonNullable<CaseResult['matmul']>; notes: string[] };
        // The same correctness check as the other peers: the first product against the naive loop.
        const matmul = answer.matmul.map((row) => {
          if (row.size > 512) return { ...row, maxAbsDiff: null };
          const [a, b] = matmulInputs(row.size);
          const c = new Float32Array(readFileSync(join(folder, `c${row.size}.f32`)).buffer.slice(0));
          return { ...row, maxAbsDiff: maxAbsDiff(c, naiveMatmul(a, b, row.size)) };
        });
        return { matmul, notes: [...answer.notes, 'torch.matmul on n×n float32 tensors'] };
      }
      if (benchmark === 'conv2d') {
        CONV2D_SHAPES.forEach((shape, i) => {
          const { x, w, g } = conv2dInputs(shape);
          write(folder, `x${i}.f32`, x);
          write(folder, `w${i}.f32`, w);
          write(folder, `g${i}.f32`, g);
        });
        writeFileSync(
          join(folder, 'spec.json'),
          JSON.stringify({ benchmark, threads, quick, shapes: CONV2D_SHAPES }),
        );
        const answer = runPython(folder) as { conv2d: NonNullable<CaseResult['conv2d']>; notes: string[] };
        return {
          conv2d: answer.conv2d,
          notes: [...answer.notes, 'F.conv2d(x, w, padding=p) then y.backward(g): dX and dW'],
        };
      }
      const split = await loadSplit();
      write(folder, 'train_x.f32', split.trainX);
      write(folder, 'train_y.i32', split.trainY);
      write(folder, 'test_x.f32', split.testX);
      write(folder, 'test_y.i32', split.testY);
      const lenet = benchmark === 'lenet';
      (lenet ? lenetInitialWeights() : initialWeights()).forEach((layer, i) => {
        write(folder, `w${i}.f32`, layer.w);
        write(folder, `b${i}.f32`, layer.b);
      });
      const epochs = lenet ? lenetEpochs() : MLP.epochs;
      for (let e = 0; e < epochs; e++) write(folder, `order${e}.i32`, epochOrder(e, split.trainY.length));
      writeFileSync(
        join(folder, 'spec.json'),
        JSON.stringify(
          lenet
            ? {
                benchmark,
                threads,
                ...MLP,
                ...LENET,
                epochs,
                lenetInit: lenetInitialWeights().map((l) => l.shape),
              }
            : { benchmark, threads, ...MLP },
        ),
      );
      if (lenet) {
        const answer = runPython(folder) as { mlp: NonNullable<CaseResult['mlp']>; notes: string[] };
        return {
          lenet: answer.mlp,
          notes: [
            ...answer.notes,
            `nn.Sequential(Conv2d, ReLU, MaxPool2d, Conv2d, ReLU, MaxPool2d, Flatten, Linear×3), nn.CrossEntropyLoss, optim.SGD ${LENET.lr}, one step per batch (eager)`,
            'peak RSS is the Python process only (data prepared by the Node parent)',
          ],
        };
      }
      const answer = runPython(folder) as { mlp: NonNullable<CaseResult['mlp']>; notes: string[] };
      return {
        mlp: answer.mlp,
        notes: [
          ...answer.notes,
          'nn.Sequential(Linear, ReLU, Linear), nn.CrossEntropyLoss, optim.SGD 0.1, one step per batch (eager, no torch.compile)',
          'peak RSS is the Python process only (data prepared by the Node parent)',
        ],
      };
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  },
);
