/**
 * Matmul GFLOP/s of @backprop/backend-gpujs in the gpu.js mode named by `--mode`, when that package
 * can be imported and the mode runs here; otherwise reported as not measured, with the reason.
 */
import { caseArgs, runCase, timeMatmul, unavailable } from '../common.js';

const { quick, values } = caseArgs();
const mode = values.mode ?? 'webasm';
await runCase(
  { case: `matmul-gpujs-${mode}`, library: `backprop gpujs (${mode})`, benchmark: 'matmul' },
  async () => {
    let pkg: typeof import('@backprop/backend-gpujs');
    try {
      pkg = await import('@backprop/backend-gpujs');
    } catch (e) {
      throw unavailable(`@backprop/backend-gpujs cannot be imported: ${(e as Error).message.split('\n')[0]}`);
    }
    const probe = await pkg.probeMode(mode as import('@backprop/backend-gpujs').GpujsMode);
    if (!probe.available) throw unavailable(`gpu.js mode '${mode}' is unavailable here: ${probe.reason}`);
    const backend = await pkg.gpujsBackend({ mode: probe.mode, name: `gpujs-${mode}` });
    const resolved = (backend as { mode?: string }).mode ?? mode;
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
    return {
      matmul,
      notes: [
        `gpu.js mode requested '${mode}', running '${resolved}'; backend.matmul on [1, n, n], result read back`,
        ...(resolved === 'headlessgl'
          ? ['headless-gl under xvfb-run; with no GPU in the machine, GL is a software renderer']
          : []),
      ],
    };
  },
);
