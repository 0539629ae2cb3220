import * as core from '@backprop/core';
import { type DType, Generator, type Tensor } from '@backprop/core';
import { type RefTensor, ref, size, store } from '../reference/ndarray.js';
import type { OpCase, Sample } from '../types.js';
import { input, transposed } from './helpers.js';

const constant = (shape: number[], value: number, dtype: DType = 'float32'): RefTensor =>
  ref(shape, new Array(size(shape)).fill(value), dtype);

/** A creation op: no inputs, the arguments say what to make. */
function creationCase<A>(
  name: string,
  samples: Sample<A>[],
  run: (args: A) => Tensor,
  reference: (args: A) => RefTensor,
  ops = [name],
): OpCase<A> {
  return {
    name,
    family: 'creation',
    ops,
    samples,
    run: (_, args) => run(args),
    reference: (_, args) => reference(args),
  };
}

interface FullArgs {
  readonly shape: number[];
  readonly value?: number;
  readonly dtype?: DType;
}

const shapes: Sample<FullArgs>[] = [
  { name: 'scalar', inputs: [], args: { shape: [] } },
  { name: 'matrix', inputs: [], args: { shape: [2, 3] } },
  { name: 'empty', inputs: [], args: { shape: [0, 4] } },
  { name: 'int32', inputs: [], args: { shape: [4], dtype: 'int32' } },
  { name: 'bool', inputs: [], args: { shape: [3], dtype: 'bool' } },
  { name: '256x256', inputs: [], args: { shape: [256, 256] } },
];

interface RandomArgs {
  readonly seed: number;
  readonly shape: number[];
  readonly low?: number;
  readonly high?: number;
  readonly mean?: number;
  readonly std?: number;
}

const randomSamples: Sample<RandomArgs>[] = [
  { name: 'seed 0, [5]', inputs: [], args: { seed: 0, shape: [5] } },
  { name: 'seed 42, [3, 4]', inputs: [], args: { seed: 42, shape: [3, 4] } },
  { name: 'seed 7, bounds', inputs: [], args: { seed: 7, shape: [6], low: -3, high: 5, mean: 2, std: 0.5 } },
  { name: 'seed 123456789, 100x100', inputs: [], args: { seed: 123456789, shape: [100, 100] } },
];

/** Draws like core's random ops, straight from a fresh core Generator seeded the same way. */
function drawn(args: RandomArgs, draw: (g: Generator) => number, dtype: DType = 'float32'): RefTensor {
  const g = new Generator(args.seed);
  return ref(
    args.shape,
    Array.from({ length: size(args.shape) }, () => store(draw(g), dtype)),
    dtype,
  );
}

/** Random cases compare against the generator with the `random` tolerance (exact for float32). */
const randomCase = (
  name: string,
  run: (a: RandomArgs) => Tensor,
  reference: (a: RandomArgs) => RefTensor,
): OpCase<RandomArgs> => ({
  ...creationCase(
    name,
    randomSamples,
    (a) => {
      core.manualSeed(a.seed);
      return run(a);
    },
    reference,
  ),
  toleranceKind: 'random',
});

export const creationCases: OpCase[] = [
  creationCase(
    'zeros',
    shapes,
    (a) => core.zeros(a.shape, { dtype: a.dtype }),
    (a) => constant(a.shape, 0, a.dtype),
  ),
  creationCase(
    'ones',
    shapes,
    (a) => core.ones(a.shape, { dtype: a.dtype }),
    (a) => constant(a.shape, 1, a.dtype),
  ),
  creationCase<FullArgs>(
    'full',
    [
      ...shapes.map((s) => ({
        ...s,
        args: { ...(s.args as FullArgs), value: s.args?.dtype === 'bool' ? 1 : -2.5 },
      })),
      { name: 'int32 truncates', inputs: [], args: { shape: [2], value: -2.7, dtype: 'int32' as DType } },
      { name: 'infinity', inputs: [], args: { shape: [2], value: Infinity } },
    ],
    (a) => core.full(a.shape, a.value ?? 0, { dtype: a.dtype }),
    (a) => constant(a.shape, store(a.value ?? 0, a.dtype ?? 'float32'), a.dtype),
  ),
  creationCase<FullArgs>(
    'zerosLike/onesLike/fullLike',
    [
      { name: 'float32', inputs: [], args: { shape: [2, 3] } },
      { name: 'int32', inputs: [], args: { shape: [3], dtype: 'int32' as DType } },
    ],
    (a) => {
      const like = core.zeros(a.shape, { dtype: a.dtype });
      const out = core.stack([core.zerosLike(like), core.onesLike(like), core.fullLike(like, 3)]);
      like.dispose();
      return out;
    },
    (a) =>
      ref(
        [3, ...a.shape],
        [0, 1, 3].flatMap((v) => new Array(size(a.shape)).fill(v)),
        a.dtype ?? 'float32',
      ),
    ['zerosLike', 'onesLike', 'fullLike'],
  ),
  creationCase(
    'arange',
    [
      { name: 'end only', inputs: [], args: [5] },
      { name: 'start, end', inputs: [], args: [2, 7] },
      { name: 'negative step', inputs: [], args: [5, -3, -2] },
      { name: 'fractional step', inputs: [], args: [0, 1, 0.25] },
      { name: 'empty', inputs: [], args: [3, 3] },
      { name: 'float dtype', inputs: [], args: [0, 4, 1, 'float32'] },
      { name: '10000', inputs: [], args: [10000] },
    ] as Sample<(number | DType)[]>[],
    ([start, end, step, dtype]) =>
      core.arange(
        start as number,
        end as number | undefined,
        (step as number | undefined) ?? 1,
        dtype ? { dtype: dtype as DType } : {},
      ),
    ([start, end, step, dtype]) => {
      const [from, to] = end === undefined ? [0, start as number] : [start as number, end as number];
      const s = (step as number | undefined) ?? 1;
      const values: number[] = [];
      for (let v = from, i = 0; s > 0 ? v < to : v > to; i++, v = from + i * s) values.push(v);
      const integral = Number.isInteger(from) && Number.isInteger(to) && Number.isInteger(s);
      return ref([values.length], values, (dtype as DType | undefined) ?? (integral ? 'int32' : 'float32'));
    },
  ),
  creationCase(
    'linspace',
    [
      { name: '0..1 in 5', inputs: [], args: [0, 1, 5] },
      { name: 'descending', inputs: [], args: [3, -3, 7] },
      { name: 'one step', inputs: [], args: [2, 9, 1] },
      { name: 'no steps', inputs: [], args: [0, 1, 0] },
      { name: '1000 steps', inputs: [], args: [-1, 1, 1000] },
    ],
    ([a, b, n]: number[]) => core.linspace(a, b, n),
    ([a, b, n]: number[]) =>
      ref(
        [n],
        Array.from({ length: n }, (_, i) => (n === 1 ? a : a + ((b - a) * i) / (n - 1))),
      ),
  ),
  creationCase(
    'eye',
    [
      { name: 'square', inputs: [], args: [3] },
      { name: 'wide', inputs: [], args: [2, 4] },
      { name: 'tall', inputs: [], args: [4, 2] },
      { name: 'empty', inputs: [], args: [0] },
      { name: 'int32', inputs: [], args: [3, 3, 'int32'] },
    ] as Sample<(number | DType)[]>[],
    ([n, m, dtype]) => core.eye(n as number, m as number | undefined, dtype ? { dtype: dtype as DType } : {}),
    ([n, m, dtype]) => {
      const cols = (m as number | undefined) ?? (n as number);
      const rows = n as number;
      return ref(
        [rows, cols],
        Array.from({ length: rows * cols }, (_, i) => (Math.floor(i / cols) === i % cols ? 1 : 0)),
        (dtype as DType | undefined) ?? 'float32',
      );
    },
  ),
  creationCase(
    'tensor/fromArray',
    [
      { name: 'nested', inputs: [], args: 'nested' },
      { name: 'booleans', inputs: [], args: 'bool' },
      { name: 'typed array with shape', inputs: [], args: 'typed' },
      { name: 'scalar', inputs: [], args: 'scalar' },
    ],
    (kind: string) => {
      if (kind === 'nested')
        return core.tensor([
          [1, 2.5],
          [-3, 4],
        ]);
      if (kind === 'bool') return core.tensor([true, false, true]);
      if (kind === 'typed') return core.fromArray(Int32Array.from([1, -2, 3, 4, 5, 6]), [2, 3]);
      return core.tensor(7);
    },
    (kind: string) => {
      if (kind === 'nested') return ref([2, 2], [1, 2.5, -3, 4]);
      if (kind === 'bool') return ref([3], [1, 0, 1], 'bool');
      if (kind === 'typed') return ref([2, 3], [1, -2, 3, 4, 5, 6], 'int32');
      return ref([], [7]);
    },
    ['tensor', 'fromArray'],
  ),
  randomCase(
    'rand',
    (a) => core.rand(a.shape, { low: a.low, high: a.high }),
    (a) => drawn(a, (g) => (a.low ?? 0) + ((a.high ?? 1) - (a.low ?? 0)) * g.uniform()),
  ),
  randomCase(
    'randn',
    (a) => core.randn(a.shape, { mean: a.mean, std: a.std }),
    (a) => drawn(a, (g) => (a.mean ?? 0) + (a.std ?? 1) * g.normal()),
  ),
  randomCase(
    'randint',
    (a) => core.randint(a.low ?? -5, a.high ?? 10, a.shape),
    (a) => drawn(a, (g) => g.integer(a.low ?? -5, a.high ?? 10), 'int32'),
  ),
  {
    ...randomCase(
      'randLike/randnLike/randintLike',
      (a) => {
        const like = core.zeros(a.shape);
        const out = core.stack([
          core.randLike(like),
          core.randnLike(like),
          core.cast(core.randintLike(like, 0, 3), 'float32'),
        ]);
        like.dispose();
        return out;
      },
      (a) => {
        const g = new Generator(a.seed);
        const n = size(a.shape);
        const u = Array.from({ length: n }, () => Math.fround(g.uniform()));
        const z = Array.from({ length: n }, () => Math.fround(g.normal()));
        const k = Array.from({ length: n }, () => g.integer(0, 3));
        return ref([3, ...a.shape], [...u, ...z, ...k]);
      },
    ),
    ops: ['randLike', 'randnLike', 'randintLike'],
  },
  {
    name: 'explicit generator',
    family: 'creation',
    ops: [],
    toleranceKind: 'random',
    samples: [{ name: 'seed 99', inputs: [], args: 99 }],
    run: (_, seed: number) => core.rand([4], { generator: new Generator(seed) }),
    reference: (_, seed: number) => {
      const g = new Generator(seed);
      return ref(
        [4],
        Array.from({ length: 4 }, () => Math.fround(g.uniform())),
      );
    },
  },
];

interface CastArgs {
  readonly dtype: DType;
}

export const castCases: OpCase[] = [
  {
    name: 'cast',
    family: 'cast',
    ops: ['cast'],
    samples: [
      {
        name: 'float32 to int32 truncates toward zero',
        inputs: [input([6], { values: [-2.7, -0.5, 0, 0.5, 2.7, 1e6 + 0.5] })],
        args: { dtype: 'int32' },
      },
      {
        name: 'float32 to bool',
        inputs: [input([5], { values: [0, -0, 0.1, -3, Number.NaN] })],
        args: { dtype: 'bool' },
      },
      { name: 'int32 to float32', inputs: [input([2, 3], { dtype: 'int32' })], args: { dtype: 'float32' } },
      {
        name: 'int32 to bool',
        inputs: [input([5], { dtype: 'int32', values: [0, 1, -1, 7, 0] })],
        args: { dtype: 'bool' },
      },
      { name: 'bool to float32', inputs: [input([4], { dtype: 'bool' })], args: { dtype: 'float32' } },
      { name: 'bool to int32', inputs: [input([4], { dtype: 'bool' })], args: { dtype: 'int32' } },
      { name: 'same dtype', inputs: [input([2, 2])], args: { dtype: 'float32' } },
      {
        name: 'transposed input',
        inputs: [transposed([3, 2], { dist: 'offgrid' })],
        args: { dtype: 'int32' },
      },
      { name: 'empty', inputs: [input([0, 2])], args: { dtype: 'int32' } },
      { name: '256x256', inputs: [input([256, 256], { dist: 'offgrid' })], args: { dtype: 'int32' } },
    ],
    run: ([x], a: CastArgs) => core.cast(x, a.dtype),
    reference: ([x], a: CastArgs) => ({
      shape: [...x.shape],
      data: x.data.map((v) =>
        a.dtype === 'bool' ? (v !== 0 ? 1 : 0) : a.dtype === 'int32' ? Math.trunc(v) : v,
      ),
      dtype: a.dtype,
    }),
  },
  {
    name: 'clone',
    family: 'cast',
    ops: ['clone', 'detach'],
    grad: true,
    samples: [
      { name: 'matrix', inputs: [input([2, 3])], args: 'clone' },
      { name: 'transposed', inputs: [transposed([3, 2])], args: 'clone' },
      { name: 'int32', inputs: [input([3], { dtype: 'int32' })], args: 'clone' },
      { name: 'detach keeps values', inputs: [input([2, 3])], args: 'detach', grad: false },
    ],
    run: ([x], kind: string) => (kind === 'detach' ? core.detach(x) : core.clone(x)),
    reference: ([x]) => x,
  },
];
