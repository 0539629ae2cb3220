/** Matmul GFLOP/s of @backprop/backend-cpu's kernel (the blocked, packed gemm), called through the backend interface. */
import { cpuBackend } from '@backprop/backend-cpu';
import { caseArgs, runCase, timeMatmul } from '../common.js';

const { quick } = caseArgs();
await runCase({ case: 'matmul-backprop-cpu', library: 'backprop cpu', benchmark: 'matmul' }, async () => {
  const backend = cpuBackend();
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
  return { matmul, notes: ['backend.matmul on [1, n, n] float32 operands, result read back with readSync'] };
});
