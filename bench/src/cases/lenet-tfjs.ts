/**
 * LeNet-5 training on MNIST with TensorFlow.js layers (4.22.0) on the backend named by `--backend`
 * (cpu or wasm): conv2d relu → maxPooling2d → conv2d relu → maxPooling2d → flatten → dense relu ×2
 * → dense softmax, sgd, categoricalCrossentropy, `model.trainOnBatch` on the same batches in the same
 * order as backprop, from the same initial weights converted to tfjs's channels-last layouts.
 */
import {
  convKernelHwio,
  denseKernelFromChw,
  LENET,
  LENET_INPUT,
  lenetEpochs,
  lenetInitialWeights,
  lenetSamples,
} from '../cnn.js';
import { caseArgs, runCase, trainMlp, transposed, unavailable } from '../common.js';
import { loadTf, type TfBackend } from './tfjs-setup.js';
import { registerWasmConv2dFilterGrad, SHIM_NOTE } from './tfjs-wasm-conv-grad.js';

const { values } = caseArgs();
const backend = (values.backend ?? 'cpu') as TfBackend;
const epochs = lenetEpochs();

await runCase({ case: `lenet-tfjs-${backend}`, library: `tfjs-${backend}`, benchmark: 'lenet' }, async () => {
  const tf = await loadTf(backend).catch((e: Error) => {
    throw unavailable(`tfjs-${backend}: ${e.message}`);
  });
  const shim = backend === 'wasm' && registerWasmConv2dFilterGrad(tf);
  const tfl = await import('@tensorflow/tfjs-layers');
  const { conv1, conv2, kernel, hidden, classes, feature, image } = LENET;
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [image, image, 1],
        filters: conv1,
        kernelSize: kernel,
        padding: 'same',
        activation: 'relu',
      }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: conv2, kernelSize: kernel, padding: 'valid', activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: hidden[0], activation: 'relu' }),
      tfl.layers.dense({ units: hidden[1], activation: 'relu' }),
      tfl.layers.dense({ units: classes, activation: 'softmax' }),
    ],
  });
  // The shared initial weights in tfjs's layouts: conv filters [kH, kW, in, out]; dense kernels
  // [in, out], the first one's rows in channels-last flatten order.
  const [k1, k2, d1, d2, d3] = lenetInitialWeights();
  model.setWeights([
    tf.tensor4d(convKernelHwio(k1.w, k1.shape), [kernel, kernel, 1, conv1]),
    tf.tensor1d(k1.b),
    tf.tensor4d(convKernelHwio(k2.w, k2.shape), [kernel, kernel, conv1, conv2]),
    tf.tensor1d(k2.b),
    tf.tensor2d(denseKernelFromChw(d1.w, hidden[0], conv2, feature, feature), [
      conv2 * feature * feature,
      hidden[0],
    ]),
    tf.tensor1d(d1.b),
    tf.tensor2d(transposed(d2.w, hidden[1], hidden[0]), [hidden[0], hidden[1]]),
    tf.tensor1d(d2.b),
    tf.tensor2d(transposed(d3.w, classes, hidden[1]), [hidden[1], classes]),
    tf.tensor1d(d3.b),
  ]);
  model.compile({ optimizer: tf.train.sgd(LENET.lr), loss: 'categoricalCrossentropy' });
  const lenet = await trainMlp(
    {
      build: () => {},
      step: async (x, y, size) => {
        const [xs, ys] = tf.tidy(() => [
          tf.tensor4d(x, [size, image, image, 1]),
          tf.cast(tf.oneHot(tf.tensor1d(y, 'int32'), classes), 'float32'),
        ]);
        const loss = (await model.trainOnBatch(xs, ys)) as number;
        tf.dispose([xs, ys]);
        return loss;
      },
      predict: (x, rows) =>
        tf.tidy(() => {
          const out = model.predict(
            tf.tensor4d(x, [rows, image, image, 1]),
          ) as import('@tensorflow/tfjs-core').Tensor;
          return Int32Array.from(tf.argMax(out, 1).dataSync());
        }),
    },
    { epochs, batchSize: LENET.batchSize, samples: lenetSamples() },
  );
  return {
    lenet,
    notes: [
      `tfjs ${tf.version_core}, backend ${tf.getBackend()}`,
      `tf.sequential(conv2d relu, maxPooling2d, conv2d relu, maxPooling2d, flatten, dense relu ×2, dense softmax), channels-last [N, 28, 28, 1] from [N, ${LENET_INPUT}] rows, sgd ${LENET.lr}, categoricalCrossentropy, model.trainOnBatch per batch`,
      ...(backend === 'wasm' ? ['wasm: .wasm loaded from the package dist folder, setThreadsCount(1)'] : []),
      ...(shim ? [SHIM_NOTE] : []),
      ...(lenetSamples() !== LENET.samples || epochs !== LENET.epochs
        ? [
            `${epochs} epochs of ${lenetSamples()} samples instead of ${LENET.epochs} of ${LENET.samples} (too slow for the full run)`,
          ]
        : []),
    ],
  };
});
