/**
 * conv2d forward + backward with TensorFlow.js (4.22.0) on the backend named by `--backend` (cpu
 * or wasm) at cnn.ts's shapes, in tfjs's channels-last layout (x [N, H, W, C], filter
 * [kH, kW, C, O], the same values as the NCHW operands): `tf.grads` of Σ(g ⊙ conv2d(x, w)) for dX
 * and dW; Σ dW is read back as the checksum.
 */
import { conv2dInputs, conv2dOutShape, convKernelHwio, nchwToNhwc, timeConv2d } from '../cnn.js';
import { caseArgs, runCase, unavailable } from '../common.js';
import { loadTf, type TfBackend } from './tfjs-setup.js';
import { registerWasmConv2dFilterGrad, SHIM_NOTE } from './tfjs-wasm-conv-grad.js';

const { quick, values } = caseArgs();
const backend = (values.backend ?? 'cpu') as TfBackend;

await runCase(
  { case: `conv2d-tfjs-${backend}`, library: `tfjs-${backend}`, benchmark: 'conv2d' },
  async () => {
    const tf = await loadTf(backend).catch((e: Error) => {
      throw unavailable(`tfjs-${backend}: ${e.message}`);
    });
    // tfjs-core's gradients are registered by tfjs-layers (as by the @tensorflow/tfjs bundle), not by tfjs-core itself.
    await import('@tensorflow/tfjs-layers');
    const shim = backend === 'wasm' && registerWasmConv2dFilterGrad(tf);
    const conv2dRows = await timeConv2d(quick, async (s) => {
      const inputs = conv2dInputs(s);
      const [n, c, h, w] = s.x;
      const [o, , kh, kw] = s.w;
      const out = conv2dOutShape(s);
      const x = tf.tensor4d(nchwToNhwc(inputs.x, s.x), [n, h, w, c]);
      const filter = tf.tensor4d(convKernelHwio(inputs.w, s.w), [kh, kw, c, o]);
      const g = tf.tensor4d(nchwToNhwc(inputs.g, out), [n, out[2], out[3], o]);
      const pad = s.padding === 0 ? ('valid' as const) : s.padding;
      const gradients = tf.grads(
        (xs: import('@tensorflow/tfjs-core').Tensor, ws: import('@tensorflow/tfjs-core').Tensor) =>
          tf.sum(
            tf.mul(
              tf.conv2d(
                xs as import('@tensorflow/tfjs-core').Tensor4D,
                ws as import('@tensorflow/tfjs-core').Tensor4D,
                1,
                pad,
              ),
              g,
            ),
          ),
      );
      return {
        run: () => {
          const [dx, dw] = gradients([x, filter]);
          const dwSum = tf.sum(dw).dataSync()[0];
          tf.dispose([dx, dw]);
          return dwSum;
        },
        free: () => tf.dispose([x, filter, g]),
      };
    });
    return {
      conv2d: conv2dRows,
      notes: [
        `tfjs ${tf.version_core}, backend ${tf.getBackend()}`,
        'tf.grads of sum(g * tf.conv2d(x, w, 1, pad)) in NHWC: dX and dW',
        ...(backend === 'wasm' ? ['wasm: setThreadsCount(1)'] : []),
        ...(shim ? [SHIM_NOTE] : []),
      ],
    };
  },
);
