/** Matmul GFLOP/s of TensorFlow.js 4.22.0 (`tf.matMul`) on the backend named by `--backend` (cpu or wasm). */
import { caseArgs, runCase, timeMatmul, unavailable } from '../common.js';
import { loadTf, type TfBackend } from './tfjs-setup.js';

const { quick, values } = caseArgs();
const backend = (values.backend ?? 'cpu') as TfBackend;
await runCase(
  { case: `matmul-tfjs-${backend}`, library: `tfjs-${backend}`, benchmark: 'matmul' },
  async () => {
    const tf = await loadTf(backend).catch((e: Error) => {
      throw unavailable(`tfjs-${backend}: ${e.message}`);
    });
    const matmul = await timeMatmul(quick, async (n, a, b) => {
      const ta = tf.tensor2d(a, [n, n]);
      const tb = tf.tensor2d(b, [n, n]);
      return {
        run: () => {
          const out = tf.matMul(ta, tb);
          const values = out.dataSync() as Float32Array;
          out.dispose();
          return values;
        },
        free: () => tf.dispose([ta, tb]),
      };
    });
    return {
      matmul,
      notes: [
        `tfjs ${tf.version_core}, backend ${tf.getBackend()}; tf.matMul, result read back with dataSync`,
        ...(backend === 'wasm'
          ? ['wasm: XNNPACK, SIMD build loaded from the package dist folder, setThreadsCount(1)']
          : []),
      ],
    };
  },
);
