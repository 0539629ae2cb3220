/**
 * MLP 784-128-10 on MNIST with TensorFlow.js layers (4.22.0) on the backend named by `--backend`
 * (cpu or wasm): tf.sequential(dense relu, dense softmax), sgd(0.1), categoricalCrossentropy,
 * `model.trainOnBatch` on the same batches of 64 in the same order as every other library.
 */
import { caseArgs, initialWeights, MLP, runCase, trainMlp, transposed, unavailable } from '../common.js';
import { loadTf, type TfBackend } from './tfjs-setup.js';

const { values } = caseArgs();
const backend = (values.backend ?? 'cpu') as TfBackend;
await runCase({ case: `mlp-tfjs-${backend}`, library: `tfjs-${backend}`, benchmark: 'mlp' }, async () => {
  const tf = await loadTf(backend).catch((e: Error) => {
    throw unavailable(`tfjs-${backend}: ${e.message}`);
  });
  const tfl = await import('@tensorflow/tfjs-layers');
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [MLP.sizes[0]], units: MLP.sizes[1], activation: 'relu' }),
      tfl.layers.dense({ units: MLP.sizes[2], activation: 'softmax' }),
    ],
  });
  // The shared initial weights; dense kernels are [in, out], the transpose of PyTorch's layout.
  const init = initialWeights();
  model.setWeights(
    init.flatMap((l) => [tf.tensor2d(transposed(l.w, l.outF, l.inF), [l.inF, l.outF]), tf.tensor1d(l.b)]),
  );
  model.compile({ optimizer: tf.train.sgd(MLP.lr), loss: 'categoricalCrossentropy' });
  const classes = MLP.sizes[2];
  const mlp = await trainMlp({
    build: () => {},
    step: async (x, y, size) => {
      const [xs, ys] = tf.tidy(() => [
        tf.tensor2d(x, [size, MLP.sizes[0]]),
        tf.cast(tf.oneHot(tf.tensor1d(y, 'int32'), classes), 'float32'),
      ]);
      const loss = (await model.trainOnBatch(xs, ys)) as number;
      tf.dispose([xs, ys]);
      return loss;
    },
    predict: (x, rows) =>
      tf.tidy(() => {
        const out = model.predict(
          tf.tensor2d(x, [rows, MLP.sizes[0]]),
        ) as import('@tensorflow/tfjs-core').Tensor;
        return Int32Array.from(tf.argMax(out, 1).dataSync());
      }),
  });
  return {
    mlp,
    notes: [
      `tfjs ${tf.version_core}, backend ${tf.getBackend()}`,
      'tf.sequential(dense relu, dense softmax), sgd 0.1, categoricalCrossentropy, model.trainOnBatch per batch',
      ...(backend === 'wasm' ? ['wasm: .wasm loaded from the package dist folder, setThreadsCount(1)'] : []),
    ],
  };
});
