/**
 * Matmul GFLOP/s of @backprop/backend-gpujs in the gpu.js mode named by `--mode`, when that package
 * can be imported and the mode runs here; otherwise reported as not measured, with the reason.
 */
import { caseArgs, runCase, timeMatmul } from '../common.js';
import { gpujsNotes, loadGpujs } from './gpujs-setup.js';

const { quick, values } = caseArgs();
const mode = values.mode ?? 'webasm';
await runCase(
  { case: `matmul-gpujs-${mode}`, library: `backprop gpujs (${mode})`, benchmark: 'matmul' },
  async () => {
    const backend = await loadGpujs(mode, `gpujs-${mode}`);
    const matmul = await timeMatmul(quick, async (n, a, b) => {
      const shape = [1, n, n];
      const aInfo = { dataId: backend.write(a, shape, 'float32'), shape, dtype: 'float32' as const };
      const bInfo = { dataId: backend.write(b, shape, 'float32'), shape, dtype: 'float32' as const };
      return {
        run: async () => {
          const out = backend.matmul(aInfo, bInfo, false, false);
          const v = (await backend.read({ dataId: out, shape, dtype: 'float32' })) as Float32Array;
          backend.dispose(out);
          return v;
        },
        free: () => {
          backend.dispose(aInfo.dataId);
          backend.dispose(bInfo.dataId);
        },
      };
    });
    backend.destroy?.();
    const [modeNote, ...glNotes] = gpujsNotes(mode, backend);
    return {
      matmul,
      notes: [`${modeNote}; backend.matmul on [1, n, n], result read back`, ...glNotes],
    };
  },
);
