import type { Callback } from '@backprop/train';

/**
 * A `fit` callback that hands `add` the seconds each batch took (forward, backward, the optimizer
 * step and reading its loss), so a run's training time leaves out evaluation and saving.
 */
export function batchTimer(add: (seconds: number) => void): Callback {
  let started = 0;
  return {
    onBatchBegin: () => {
      started = performance.now();
    },
    onBatchEnd: () => {
      add((performance.now() - started) / 1000);
    },
  };
}
