/**
 * The suite has teeth: backends with one deliberate bug each fail the checks meant to catch it
 * (and the unbroken minimal backend passes the same checks).
 */
import {
  type Backend,
  type DataId,
  type DType,
  registerBackend,
  type Shape,
  setBackend,
  sizeOf,
  type TensorInfo,
} from '@backprop/core';
import { ENGINE } from '@backprop/core/backend';
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
    await expect(checkGradcheck(c, s, tolerances)).rejects.toThrow(/differ from central differences/);
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

const info = (dataId: DataId, shape: Shape, dtype: DType = 'float32'): TensorInfo => ({
  dataId,
  shape,
  dtype,
});

/** headless-gl's cut in issue 17: every reduction stopped after this many elements. */
const LOOP_LIMIT = 63_551;

/**
 * A reduction that folds only the first `LOOP_LIMIT` elements of each group when a group is
 * longer (the reduced axes are moved last and flattened, then cut), or null for short groups.
 */
function truncatedReduce(
  b: Backend,
  x: TensorInfo,
  axes: readonly number[],
  reduce: (y: TensorInfo, axis: number) => DataId,
): DataId | null {
  const count = axes.reduce((n, a) => n * x.shape[a], 1);
  if (count <= LOOP_LIMIT) return null;
  const kept = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const keptSize = kept.reduce((n, d) => n * x.shape[d], 1);
  const moved = b.transpose(x, [...kept, ...axes]);
  const head = b.slice(info(moved, [keptSize, count], x.dtype), [0, 0], [1, 1], [keptSize, LOOP_LIMIT]);
  const out = reduce(info(head, [keptSize, LOOP_LIMIT], x.dtype), 1);
  b.dispose(moved);
  b.dispose(head);
  return out;
}

/** `x` broadcast to `outShape` by a wrong rule: output element i reads input element i mod size. */
function wrapAround(b: Backend, x: TensorInfo, outShape: Shape): TensorInfo {
  const values = b.readSync(x);
  const n = sizeOf(outShape);
  const out = new (values.constructor as new (n: number) => typeof values)(n);
  for (let i = 0; i < n && values.length > 0; i++) out[i] = values[i % values.length];
  return info(b.write(out, outShape, x.dtype), outShape, x.dtype);
}

/** A fused softmax that normalises by the sum of only the first 4,096 entries of longer axes. */
function shortSightedSoftmax(b: Backend, x: TensorInfo, axis: number, log: boolean): DataId {
  const keptShape = x.shape.map((d, i) => (i === axis ? 1 : d));
  const m = b.reduce('max', x, [axis]);
  const shifted = info(b.binary('sub', x, info(m, keptShape), x.shape, 'float32'), x.shape);
  const e = info(b.unary('exp', shifted), x.shape);
  const n = x.shape[axis];
  const headShape = x.shape.map((d, i) => (i === axis ? Math.min(n, 4096) : d));
  const head =
    n > 4096
      ? info(
          b.slice(
            e,
            x.shape.map(() => 0),
            x.shape.map(() => 1),
            headShape,
          ),
          headShape,
        )
      : e;
  const total = info(b.reduce('sum', head, [axis]), keptShape);
  const out = log
    ? b.binary('sub', shifted, info(b.unary('log', total), keptShape), x.shape, 'float32')
    : b.binary('div', e, total, x.shape, 'float32');
  for (const id of [m, shifted.dataId, e.dataId, total.dataId]) b.dispose(id);
  if (head !== e) b.dispose(head.dataId);
  return out;
}

const samplesOf = (caseName: string, test: (name: string) => boolean) => {
  const c = ALL_CASES.find((x) => x.name === caseName);
  if (!c) throw new Error(`no case ${caseName}`);
  const samples = c.samples.filter((s) => test(s.name));
  if (samples.length === 0) throw new Error(`no matching samples in ${caseName}`);
  return samples.map((s) => ({ c, s }));
};

describe('the default samples catch the bugs of issue 17 (corners the small samples miss)', () => {
  it('reductions that stop after 63,551 elements fail the long-axis samples (sum, prod, argmax, softmax)', async () => {
    await use(
      mutant((b) => ({
        reduce: (op, x, axes) =>
          truncatedReduce(b, x, axes, (y, a) => b.reduce(op, y, [a])) ?? b.reduce(op, x, axes),
        argReduce: (op, x, axis) =>
          truncatedReduce(b, x, [axis], (y, a) => b.argReduce(op, y, a)) ?? b.argReduce(op, x, axis),
      })),
    );
    // One of each kernel kind (the minimal backend is slow at 10^6 elements): an additive and a
    // multiplicative reduction, an index reduction, and softmax (composed from reductions here).
    const long = [
      ...['sum', 'prod', 'argmax'].map((name) => samplesOf(name, (s) => s.startsWith('long axis 1'))[0]),
      ...samplesOf('softmax', (s) => s.startsWith('long rows')),
    ];
    const caught = await Promise.all(
      long.map(({ c, s }) =>
        checkForward(c, s, tolerances).then(
          () => `${c.name}/${s.name}`,
          () => null,
        ),
      ),
    );
    expect(caught.filter((name) => name !== null)).toEqual([]);
    const [short] = samplesOf('sum', (s) => s === '256x256 axis 0');
    await expect(checkForward(short.c, short.s, tolerances)).resolves.toBeUndefined();
  });

  it('broadcasting that is wrong only at rank 4 and above fails the rank 4–6 samples of add and where', async () => {
    await use(
      mutant((b) => ({
        binary: (op, x, y, outShape, dtype) =>
          outShape.length < 4
            ? b.binary(op, x, y, outShape, dtype)
            : b.binary(op, wrapAround(b, x, outShape), wrapAround(b, y, outShape), outShape, dtype),
        where: (c, x, y, outShape) =>
          outShape.length < 4
            ? b.where(c, x, y, outShape)
            : b.where(
                wrapAround(b, c, outShape),
                wrapAround(b, x, outShape),
                wrapAround(b, y, outShape),
                outShape,
              ),
      })),
    );
    for (const caseName of ['add', 'where']) {
      for (const { c, s } of samplesOf(caseName, (name) => name.includes('size-1 axes alternate')))
        await expect(checkForward(c, s, tolerances), `${c.name}/${s.name}`).rejects.toThrow(/differ/);
      const [{ c, s }] = samplesOf(
        caseName,
        (name) => name === (caseName === 'add' ? 'broadcast 3-D' : 'broadcast'),
      );
      await expect(checkForward(c, s, tolerances)).resolves.toBeUndefined();
    }
  });

  it('a fused softmax wrong only along axes longer than 4,096 fails the long-row samples', async () => {
    await use(
      mutant((b) => ({
        softmax: (x: TensorInfo, axis: number) => shortSightedSoftmax(b, x, axis, false),
        logSoftmax: (x: TensorInfo, axis: number) => shortSightedSoftmax(b, x, axis, true),
      })),
    );
    const [long] = samplesOf('softmax', (s) => s.startsWith('long rows'));
    await expect(checkFused(long.c, long.s, tolerances)).rejects.toThrow(/differ/);
    for (const name of ['softmax', 'logSoftmax']) {
      const [short] = samplesOf(name, (s) => s === '256x256 rows');
      await expect(checkFused(short.c, short.s, tolerances)).resolves.toBeUndefined();
    }
  });

  it('a transpose wrong only at rank 5 and above fails the rank-5 and rank-6 permutations', async () => {
    await use(
      mutant((b) => ({
        transpose: (x, perm) => b.transpose(x, perm.length < 5 ? perm : [perm[1], perm[0], ...perm.slice(2)]),
      })),
    );
    const high = [
      ...samplesOf('permute', (s) => /^rank [56]/.test(s)),
      ...samplesOf('transpose', (s) => /^rank [56]/.test(s)),
    ];
    for (const { c, s } of high)
      await expect(checkForward(c, s, tolerances), `${c.name}/${s.name}`).rejects.toThrow(/differ/);
    for (const { c, s } of samplesOf('permute', (name) => name.startsWith('rank 4')))
      await expect(checkForward(c, s, tolerances)).resolves.toBeUndefined();
  });
});
