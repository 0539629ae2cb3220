/** (3) Error parity: the same bad inputs raise the same error class on every backend. */
import * as core from '@backprop/core';
import { LIBRARY_ERROR_CASES } from '../ops-table/library.js';
import type { ErrorCase } from '../types.js';

const f = (shape: number[]) => core.zeros(shape);
const i32 = (values: number[]) => core.fromArray(Int32Array.from(values), [values.length]);

export const ERROR_CASES: readonly ErrorCase[] = [
  {
    name: 'add: shapes that do not broadcast',
    error: 'ShapeError',
    run: () => core.add(f([2, 3]), f([4, 3])),
  },
  { name: 'mul: shapes that do not broadcast', error: 'ShapeError', run: () => core.mul(f([3]), f([4])) },
  {
    name: 'matmul: inner dimensions differ',
    error: 'ShapeError',
    run: () => core.matmul(f([2, 3]), f([4, 5])),
  },
  {
    name: 'matmul: batch dimensions do not broadcast',
    error: 'ShapeError',
    run: () => core.matmul(f([2, 2, 3]), f([3, 3, 2])),
  },
  { name: 'matmul: a scalar operand', error: 'ShapeError', run: () => core.matmul(f([]), f([3])) },
  { name: 'dot: lengths differ', error: 'ShapeError', run: () => core.dot(f([3]), f([4])) },
  {
    name: 'concat: other dimensions differ',
    error: 'ShapeError',
    run: () => core.concat([f([2, 3]), f([2, 4])], 0),
  },
  { name: 'concat: ranks differ', error: 'ShapeError', run: () => core.concat([f([2, 3]), f([3])], 0) },
  { name: 'concat: dtypes differ', error: 'DTypeError', run: () => core.concat([f([2]), i32([1, 2])], 0) },
  { name: 'concat: no tensors', error: 'ArgumentError', run: () => core.concat([], 0) },
  { name: 'stack: shapes differ', error: 'ShapeError', run: () => core.stack([f([2]), f([3])]) },
  { name: 'reshape: sizes differ', error: 'ShapeError', run: () => core.reshape(f([2, 3]), [4]) },
  {
    name: 'reshape: two inferred dimensions',
    error: 'ShapeError',
    run: () => core.reshape(f([2, 3]), [-1, -1]),
  },
  { name: 'broadcastTo: incompatible', error: 'ShapeError', run: () => core.broadcastTo(f([3]), [2, 4]) },
  { name: 'split: sections do not add up', error: 'ShapeError', run: () => core.split(f([5]), [2, 2]) },
  { name: 'sum: axis out of range', error: 'ArgumentError', run: () => core.sum(f([2, 3]), 2) },
  { name: 'mean: repeated axis', error: 'ArgumentError', run: () => core.mean(f([2, 3]), [1, -1]) },
  { name: 'max: empty dimension', error: 'ShapeError', run: () => core.max(f([0, 3]), 0) },
  { name: 'argmax: axis out of range', error: 'ArgumentError', run: () => core.argmax(f([2, 3]), -3) },
  { name: 'softmax: axis out of range', error: 'ArgumentError', run: () => core.softmax(f([2, 3]), 5) },
  { name: 'logSoftmax: int32 input', error: 'DTypeError', run: () => core.logSoftmax(i32([1, 2])) },
  { name: 'permute: repeated axis', error: 'ArgumentError', run: () => core.permute(f([2, 3]), [0, 0]) },
  { name: 'permute: wrong length', error: 'ShapeError', run: () => core.permute(f([2, 3]), [0]) },
  {
    name: 'transpose: axis out of range',
    error: 'ArgumentError',
    run: () => core.transpose(f([2, 3]), 0, 2),
  },
  { name: 'squeeze: axis out of range', error: 'ArgumentError', run: () => core.squeeze(f([1, 3]), 2) },
  { name: 'slice: zero step', error: 'ArgumentError', run: () => core.slice(f([4]), [[0, 4, 0]]) },
  { name: 'slice: too many ranges', error: 'ShapeError', run: () => core.slice(f([4]), [null, null]) },
  { name: 'narrow: past the end', error: 'ArgumentError', run: () => core.narrow(f([4, 2]), 0, 3, 2) },
  {
    name: 'gather: index past the end',
    error: 'ArgumentError',
    needsCheapRead: true,
    run: () => core.gather(f([3, 2]), i32([0, 3]), 0),
  },
  {
    name: 'gather: negative index',
    error: 'ArgumentError',
    needsCheapRead: true,
    run: () => core.gather(f([3, 2]), i32([-1]), 0),
  },
  { name: 'gather: float indices', error: 'DTypeError', run: () => core.gather(f([3, 2]), f([1]), 0) },
  {
    name: 'gather: axis out of range',
    error: 'ArgumentError',
    run: () => core.gather(f([3, 2]), i32([0]), 2),
  },
  {
    name: 'indexSelect: 2-D indices',
    error: 'ShapeError',
    run: () => core.indexSelect(f([3, 2]), 0, core.reshape(i32([0, 1]), [1, 2])),
  },
  {
    name: 'indexAdd: index past the end',
    error: 'ArgumentError',
    needsCheapRead: true,
    run: () => core.indexAdd(f([3, 2]), 0, i32([5]), f([1, 2])),
  },
  {
    name: 'indexAdd: source shape',
    error: 'ShapeError',
    run: () => core.indexAdd(f([3, 2]), 0, i32([0]), f([2, 2])),
  },
  {
    name: 'oneHot: class past numClasses',
    error: 'ArgumentError',
    needsCheapRead: true,
    run: () => core.oneHot(i32([0, 3]), 3),
  },
  { name: 'oneHot: float indices', error: 'DTypeError', run: () => core.oneHot(f([2]), 3) },
  { name: 'where: float condition', error: 'DTypeError', run: () => core.where(f([2]), f([2]), f([2])) },
  { name: 'where: int32 condition', error: 'DTypeError', run: () => core.where(i32([1, 0]), f([2]), f([2])) },
  {
    name: 'where: shapes that do not broadcast',
    error: 'ShapeError',
    run: () => core.where(core.zeros([2], { dtype: 'bool' }), f([3]), f([2])),
  },
  { name: 'linear: weight does not fit', error: 'ShapeError', run: () => core.linear(f([2, 3]), f([4, 5])) },
  {
    name: 'linear: bias does not fit',
    error: 'ShapeError',
    run: () => core.linear(f([2, 3]), f([4, 3]), f([3])),
  },
  {
    name: 'softmaxCrossEntropy: label count',
    error: 'ShapeError',
    run: () => core.softmaxCrossEntropy(f([3, 4]), i32([0, 1])),
  },
  {
    name: 'softmaxCrossEntropy: label past the classes',
    error: 'ArgumentError',
    needsCheapRead: true,
    run: () => core.softmaxCrossEntropy(f([2, 4]), i32([0, 4])),
  },
  {
    name: 'softmaxCrossEntropy: float labels',
    error: 'DTypeError',
    run: () => core.softmaxCrossEntropy(f([2, 4]), f([2])),
  },
  { name: 'tensor: ragged nested array', error: 'ShapeError', run: () => core.tensor([[1, 2], [3]]) },
  {
    name: 'fromArray: values do not fill the shape',
    error: 'ShapeError',
    run: () => core.fromArray([1, 2, 3], [2, 2]),
  },
  { name: 'full: negative dimension', error: 'ShapeError', run: () => core.full([2, -1], 0) },
  { name: 'arange: zero step', error: 'ArgumentError', run: () => core.arange(0, 4, 0) },
  { name: 'linspace: fractional steps', error: 'ArgumentError', run: () => core.linspace(0, 1, 2.5) },
  { name: 'randint: empty range', error: 'ArgumentError', run: () => core.randint(3, 3, [2]) },
  {
    name: 'requiresGrad on int32',
    error: 'DTypeError',
    run: () => core.fromArray([1, 2], [2], { dtype: 'int32', requiresGrad: true }),
  },
  {
    name: 'backward: non-scalar without a gradient',
    error: 'ShapeError',
    run: () => core.backward(core.mul(core.ones([3], { requiresGrad: true }), 2)),
  },
  { name: 'backward: nothing requires grad', error: 'ArgumentError', run: () => core.backward(f([])) },
  { name: 'item: more than one element', error: 'ShapeError', run: () => f([2]).item() },
  {
    name: 'a disposed tensor',
    error: 'BackendError',
    run: () => {
      const t = f([2]);
      t.dispose();
      return core.add(t, 1);
    },
  },
  ...LIBRARY_ERROR_CASES,
];

/** Runs `c` inside tidy (so whatever it made is freed) and returns what it threw. */
export function captureError(c: ErrorCase): unknown {
  let caught: unknown = null;
  core.tidy(() => {
    try {
      c.run();
    } catch (e) {
      caught = e;
    }
  });
  return caught;
}

/**
 * What `c` threw, or, when it returned tensors, what reading them rejected with: on a backend that
 * reads only asynchronously core reports bad index values when the result is read. Frees what it made.
 */
export async function captureErrorOnRead(c: ErrorCase): Promise<unknown> {
  let result: unknown;
  try {
    result = core.tidy(() => c.run());
  } catch (e) {
    return e;
  }
  const outs = (Array.isArray(result) ? result : [result]).filter((t) => t instanceof core.Tensor);
  try {
    await Promise.all(outs.map((t) => t.data()));
    return null;
  } catch (e) {
    return e;
  } finally {
    for (const t of outs) t.dispose();
  }
}

const ERROR_CLASSES = {
  ShapeError: core.ShapeError,
  ArgumentError: core.ArgumentError,
  DTypeError: core.DTypeError,
  BackendError: core.BackendError,
} as const;

/** Null when `e` is an instance of core's error class `expected`, else a message. */
export function errorMismatch(c: ErrorCase, e: unknown): string | null {
  const expected = ERROR_CLASSES[c.error];
  if (e === null) return `${c.name}: expected ${c.error}, but nothing was thrown`;
  if (e instanceof expected) return null;
  const got = e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
  return `${c.name}: expected ${c.error}, got ${got}`;
}
