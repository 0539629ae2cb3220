/**
 * The suite has teeth: backends with one deliberate bug each fail the checks meant to catch it
 * (and the unbroken minimal backend passes the same checks).
 */
import { type Backend, ENGINE, registerBackend, setBackend, type TensorInfo } from '@backprop/core';
import { afterEach, describe, expect, it } from 'vitest';
import { checkForward, checkFused, checkGradcheck, checkReferenceGrad } from '../src/checks/op-checks.js';
import { ALL_CASES, tolerancesFor } from '../src/index.js';
import { minimalBackend } from './minimal-backend.js';

const tolerances = tolerancesFor(32);
let counter = 0;
let current: string | null = null;

async function use(backend: Backend): Promise<void> {
  current = `mutant-${++counter}`;
  const name = current;
  registerBackend(name, () => ({ ...backend, name }), 0);
  await setBackend(name);
}

afterEach(() => {
  if (current) ENGINE.removeBackend(current, true);
  current = null;
});

function find(caseName: string, sampleName: string) {
  const c = ALL_CASES.find((x) => x.name === caseName);
  const s = c?.samples.find((x) => x.name === sampleName);
  if (!c || !s) throw new Error(`no sample ${caseName}/${sampleName}`);
  return { c, s };
}

/** The minimal backend with some kernels replaced. */
function mutant(overrides: (base: Backend) => Partial<Backend>): Backend {
  const base = minimalBackend();
  return { ...base, ...overrides(base) };
}

describe('the checks catch broken kernels', () => {
  it('a matmul that ignores transposeB fails the gradient checks (backward uses the transposed kernel)', async () => {
    const { c, s } = find('matmul', '2-D · 2-D');
    await use(minimalBackend());
    await expect(checkReferenceGrad(c, s, tolerances)).resolves.toBeUndefined();
    ENGINE.removeBackend(current!, true);
    await use(
      mutant((b) => ({ matmul: (x: TensorInfo, y: TensorInfo, ta: boolean) => b.matmul(x, y, ta, false) })),
    );
    await expect(checkReferenceGrad(c, s, tolerances)).rejects.toThrow(/vs float64 reference/);
    expect(() => checkGradcheck(c, s, tolerances)).toThrow();
  });

  it('a sum that reduces only the first listed axis fails the forward check', async () => {
    const { c, s } = find('sum', 'axes [0, 2] of 3-D');
    await use(
      mutant((b) => ({ reduce: (op, x, axes) => b.reduce(op, x, op === 'sum' ? axes.slice(0, 1) : axes) })),
    );
    await expect(checkForward(c, s, tolerances)).rejects.toThrow();
  });

  it('an argmax that picks the last of ties fails', async () => {
    const { c, s } = find('argmax', 'first of ties');
    await use(
      mutant((b) => ({
        argReduce: (op, x, axis) => {
          const flipped = b.slice(
            x,
            x.shape.map((d, i) => (i === axis ? d - 1 : 0)),
            x.shape.map((_, i) => (i === axis ? -1 : 1)),
            x.shape,
          );
          const index = b.argReduce(op, { ...x, dataId: flipped }, axis);
          const n = x.shape[axis];
          const out = b.readSync({
            dataId: index,
            shape: x.shape.filter((_, i) => i !== axis),
            dtype: 'int32',
          });
          return b.write(
            Int32Array.from(out, (v) => n - 1 - v),
            x.shape.filter((_, i) => i !== axis),
            'int32',
          );
        },
      })),
    );
    await expect(checkForward(c, s, tolerances)).rejects.toThrow(/differ/);
  });

  it('a slice kernel that ignores negative steps fails', async () => {
    const { c, s } = find('slice', 'reverse');
    await use(
      mutant((b) => ({
        slice: (x, begin, step, outShape) =>
          b.slice(
            x,
            begin.map((v, i) => (step[i] < 0 ? 0 : v)),
            step.map(Math.abs),
            outShape,
          ),
      })),
    );
    await expect(checkForward(c, s, tolerances)).rejects.toThrow(/differ/);
  });

  it('an unstable fused softmax (no max subtraction) fails against the composition for logits ±1e4', async () => {
    const { c, s } = find('softmax', 'logits ±1e4');
    await use(
      mutant((b) => ({
        softmax: (x: TensorInfo, axis: number) => {
          const e = b.unary('exp', x);
          const total = b.reduce('sum', { ...x, dataId: e }, [axis]);
          const keptShape = x.shape.map((d, i) => (i === axis ? 1 : d));
          return b.binary(
            'div',
            { ...x, dataId: e },
            { dataId: total, shape: keptShape, dtype: 'float32' },
            x.shape,
            'float32',
          );
        },
      })),
    );
    await expect(checkFused(c, s, tolerances)).rejects.toThrow(/differ/);
    await expect(checkForward(c, s, tolerances)).rejects.toThrow(/differ/);
  });

  it('a fused linear that forgets the bias fails against the composition', async () => {
    const { c, s } = find('linear', 'relu, bias');
    await use(
      mutant((b) => ({
        linear: (x: TensorInfo, w: TensorInfo) =>
          b.matmul({ ...x, shape: [1, ...x.shape] }, { ...w, shape: [1, ...w.shape] }, false, true),
      })),
    );
    await expect(checkFused(c, s, tolerances)).rejects.toThrow();
  });
});
