import { recordComposite } from '../autograd/tape.js';
import type { AxisAttrs } from '../primitives/movement.js';
import { runKernel } from '../primitives/run.js';
import { normalizeAxis } from '../shape.js';
import { type Tensor, tensorInfo } from '../tensor.js';
import { div, sub } from './arithmetic.js';
import { assertFloat } from './operands.js';
import { max, sum } from './reduce.js';
import { exp, log } from './unary.js';

/**
 * Softmax over `axis` (the last by default), stable for huge logits: the row maximum is subtracted
 * before exponentiating. Uses the backend's fused kernel when it has one; either way one tape node
 * with the `softmax` kernel's gradient rule.
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  assertFloat('softmax', x);
  const a = normalizeAxis('softmax', axis, x.rank);
  return recordComposite<AxisAttrs>('kernel/softmax', [x], { axis: a }, () => {
    if (x.backend.softmax)
      return runKernel('softmax', [x], x.shape, 'float32', (b) => b.softmax!(tensorInfo(x), a));
    const e = exp(sub(x, max(x, a, { keepDims: true })));
    return div(e, sum(e, a, { keepDims: true }));
  });
}

/** log(softmax(x)) over `axis`, computed as (x − max) − log Σ exp(x − max): finite and exact even for logits of ±1e4. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  assertFloat('logSoftmax', x);
  const a = normalizeAxis('logSoftmax', axis, x.rank);
  return recordComposite<AxisAttrs>('kernel/logSoftmax', [x], { axis: a }, () => {
    if (x.backend.logSoftmax)
      return runKernel('logSoftmax', [x], x.shape, 'float32', (b) => b.logSoftmax!(tensorInfo(x), a));
    // (x − max) − log Σ exp(x − max): subtracting the max first keeps float32 exact for logits of ±1e4,
    // where x − logsumexp(x) would lose the fraction to the rounding of a logsumexp near 1e4.
    const shifted = sub(x, max(x, a, { keepDims: true }));
    return sub(shifted, log(sum(exp(shifted), a, { keepDims: true })));
  });
}
