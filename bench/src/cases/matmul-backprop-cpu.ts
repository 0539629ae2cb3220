/**
 * Matmul GFLOP/s of @backprop/backend-cpu's kernel (the blocked, packed gemm), called through the
 * backend interface, on the backend's default threads or on `--threads=N`.
 */
import { availableParallelism } from 'node:os';
import { cpuBackend } from '@backprop/backend-cpu';
import { caseArgs, cpuThreadsNote, runCase, timeMatmul } from '../common.js';

const { quick, values } = caseArgs();
const pinned = values.threads ? Number(values.threads) : undefined;
// Without --threads the backend takes its default: BACKPROP_CPU_THREADS, else the cores available.
const threads = pinned ?? Number(process.env.BACKPROP_CPU_THREADS || availableParallelism());
await runCase(
  {
    case: `matmul-backprop-cpu${pinned ? `-${pinned}t` : ''}`,
    library: `backprop cpu (${threads} thread${threads > 1 ? 's' : ''}${pinned || process.env.BACKPROP_CPU_THREADS ? '' : ', default'})`,
    benchmark: 'matmul',
  },
  async () => {
    const backend = cpuBackend({ threads: pinned });
    const matmul = await timeMatmul(quick, async (n, a, b) => {
      const shape = [1, n, n];
      const aInfo = { dataId: backend.write(a, shape, 'float32'), shape, dtype: 'float32' as const };
      const bInfo = { dataId: backend.write(b, shape, 'float32'), shape, dtype: 'float32' as const };
      return {
        run: () => {
          const out = backend.matmul(aInfo, bInfo, false, false);
          const values = backend.readSync({ dataId: out, shape, dtype: 'float32' }) as Float32Array;
          backend.dispose(out);
          return values;
        },
        free: () => {
          backend.dispose(aInfo.dataId);
          backend.dispose(bInfo.dataId);
        },
      };
    });
    const threading = backend.threading;
    backend.destroy();
    return {
      matmul,
      notes: [
        'backend.matmul on [1, n, n] float32 operands, result read back with readSync',
        cpuThreadsNote(threading),
      ],
    };
  },
);
