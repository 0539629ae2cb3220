import { ArgumentError, concat, dispose, keep, noGrad, type Tensor, tidy } from '@backprop/core';
import type { DataLoader } from '@backprop/data';
import type { Module } from '@backprop/nn';
import { defaultUnpack, inputOf, type Unpack, yieldToEventLoop } from './batches.js';
import type { Logs } from './callbacks/callback.js';
import type { Metric } from './metrics.js';
import { readFirstValues } from './read-values.js';

// biome-ignore lint/suspicious/noExplicitAny: any module that maps a tensor to a tensor
type AnyModel = Module<any, Tensor>;

/** Options of {@link evaluate}. */
export interface EvaluateOptions<B> {
  /** `(output, target) => scalar` mean loss over the batch. */
  readonly loss: (output: Tensor, target: Tensor) => Tensor;
  readonly metrics?: Readonly<Record<string, Metric>>;
  readonly unpack?: Unpack<B>;
}

/**
 * The model's mean loss and metrics over every batch of `data`, in evaluation mode and without
 * recording gradients (the model's mode is restored after). Each batch runs in `tidy`.
 * @example
 * const { loss, accuracy } = await evaluate(model, testLoader, { loss: crossEntropy, metrics: { accuracy: accuracyMetric } });
 */
export async function evaluate<T, B>(
  model: AnyModel,
  data: DataLoader<T, B>,
  options: EvaluateOptions<B>,
): Promise<Logs> {
  if (typeof options?.loss !== 'function')
    throw new ArgumentError('evaluate: options.loss must be a function (output, target) => scalar tensor');
  const unpack = options.unpack ?? (defaultUnpack as Unpack<B>);
  const metrics = Object.entries(options.metrics ?? {});
  const sums = new Float64Array(1 + metrics.length);
  let seen = 0;
  const wasTraining = model.training;
  model.eval();
  try {
    for (const indices of data.batchIndices()) {
      const [values, size] = noGrad(() =>
        tidy((): [Tensor[], number] => {
          const { input, target } = unpack(data.batch(indices));
          const output = model.call(input);
          return [
            [options.loss(output, target), ...metrics.map(([, m]) => m(output, target))],
            target.shape[0] ?? 1,
          ];
        }),
      );
      const read = await readFirstValues(values).finally(() => dispose(values));
      read.forEach((v, i) => {
        sums[i] += v * size;
      });
      seen += size;
      await yieldToEventLoop();
    }
  } finally {
    model.train(wasTraining);
  }
  const logs: Logs = { loss: sums[0] / seen };
  metrics.forEach(([name], i) => {
    logs[name] = sums[i + 1] / seen;
  });
  return logs;
}

/**
 * The model's outputs for every sample of `data` (a loader, or one tensor split into batches of
 * `batchSize` rows), joined along the first axis, in evaluation mode without gradients.
 * @example
 * const probabilities = (await predict(model, images)).softmax(-1);
 */
export async function predict<T, B>(
  model: AnyModel,
  data: DataLoader<T, B> | Tensor,
  options: { readonly batchSize?: number } = {},
): Promise<Tensor> {
  const batchSize = options.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new ArgumentError(`predict: batchSize must be a positive integer, got ${batchSize}`);
  const wasTraining = model.training;
  const outputs: Tensor[] = [];
  model.eval();
  try {
    const run = (input: () => Tensor): void => {
      outputs.push(noGrad(() => tidy(() => model.call(input()))));
    };
    if ('batchIndices' in data) {
      for (const indices of data.batchIndices()) {
        run(() => inputOf(data.batch(indices)));
        await yieldToEventLoop();
      }
    } else {
      const n = data.shape[0];
      for (let start = 0; start < n; start += batchSize) {
        run(() => data.narrow(0, start, Math.min(batchSize, n - start)));
        await yieldToEventLoop();
      }
    }
  } finally {
    model.train(wasTraining);
  }
  if (outputs.length === 0) throw new ArgumentError('predict: the data has no samples');
  if (outputs.length === 1) return outputs[0];
  const joined = keep(concat(outputs));
  dispose(outputs);
  return joined;
}
