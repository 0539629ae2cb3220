/**
 * MLP 784-128-10 on MNIST with brain.js (2.0.0-beta.24), as close to the others as brain.js allows:
 * `NeuralNetwork({ hiddenLayers: [128], activation: 'relu', learningRate: 0.1 })` with momentum set to 0
 * afterwards (its option check refuses 0),
 * started from the same initial weights, fed the same samples in the same order. It cannot be
 * identical: brain.js updates after every sample (no mini-batches: batch size 1, so 64× more
 * updates per epoch), applies its activation to the output layer too (ReLU outputs, no softmax) and
 * trains on mean squared error against the one-hot target, not cross-entropy.
 */
import { argmaxRows, caseArgs, initialWeights, MLP, runCase, trainMlp, unavailable } from '../common.js';

caseArgs();
await runCase({ case: 'mlp-brainjs', library: 'brain.js', benchmark: 'mlp' }, async () => {
  let brain: typeof import('brain.js');
  try {
    brain = await import('brain.js');
  } catch (e) {
    throw unavailable(`brain.js cannot be imported: ${(e as Error).message.split('\n')[0]}`);
  }
  const [d, h, classes] = MLP.sizes;
  const net = new brain.NeuralNetwork({
    inputSize: d,
    hiddenLayers: [h],
    outputSize: classes,
    activation: 'relu',
    learningRate: MLP.lr,
  });
  // Internals brain.js has no typed API for: per layer, weights[node][input] (PyTorch's [out, in]) and biases[node].
  const internals = net as unknown as {
    sizes: number[];
    initialize(): void;
    weights: Float32Array[][];
    biases: Float32Array[];
    trainOpts: Record<string, unknown>;
    trainPattern(value: { input: Float32Array; output: Float32Array }, logErrorRate?: boolean): number | null;
    run(input: Float32Array): Float32Array;
  };
  // Its option check rejects momentum 0 ("out of normal training range"); plain SGD is what we compare, so set it after.
  internals.trainOpts.momentum = 0;
  internals.sizes = [d, h, classes];
  internals.initialize();
  initialWeights().forEach((layer, l) => {
    for (let node = 0; node < layer.outF; node++) {
      internals.weights[l + 1][node].set(layer.w.subarray(node * layer.inF, (node + 1) * layer.inF));
      internals.biases[l + 1][node] = layer.b[node];
    }
  });
  let samples: { input: Float32Array; output: Float32Array }[] = [];
  const mlp = await trainMlp({
    build: (split) => {
      samples = Array.from(split.trainY, (label, i) => {
        const output = new Float32Array(classes);
        output[label] = 1;
        return { input: split.trainX.subarray(i * d, (i + 1) * d), output };
      });
    },
    step: () => null,
    epoch: (order) => {
      let sum = 0;
      for (let i = 0; i < order.length; i++) sum += internals.trainPattern(samples[order[i]], true) ?? 0;
      return sum / order.length;
    },
    predict: (x, rows) => {
      const out = new Float32Array(rows * classes);
      for (let r = 0; r < rows; r++) out.set(internals.run(x.subarray(r * d, (r + 1) * d)), r * classes);
      return argmaxRows(out, rows, classes);
    },
  });
  return {
    mlp,
    notes: [
      'NeuralNetwork({ hiddenLayers: [128], activation: relu, learningRate: 0.1, momentum: 0 }), trainPattern per sample',
      'not identical: batch size 1 (online updates), ReLU on the output layer, mean squared error instead of softmax cross-entropy; epoch loss is its MSE',
    ],
  };
});
