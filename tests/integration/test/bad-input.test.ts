/**
 * Bad input never gets through: a table of bad calls across every package's public API (core, nn,
 * losses, data, optim). Each row must throw the named backprop error class (never a raw TypeError
 * or RangeError, never return silently, never NaN) with a message that names the op, the
 * offending value or shape and what was expected.
 */
import '@backprop/backend-cpu';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@backprop/core';
import { ArgumentError, BackpropError, DTypeError, ShapeError, type Tensor } from '@backprop/core';
import * as data from '@backprop/data';
import * as losses from '@backprop/losses';
import * as nn from '@backprop/nn';
import * as optim from '@backprop/optim';
import { afterAll, describe, expect, it } from 'vitest';

type ErrorClass = typeof ArgumentError | typeof ShapeError | typeof DTypeError;

interface Row {
  /** A unique name for the row (the test title). */
  name: string;
  error: ErrorClass;
  /** What the message must say: the op, the value or shape, and what was expected. */
  message: RegExp;
  run: () => unknown;
}

// Deliberately ill-typed arguments, as a JavaScript caller, a parsed config or a CLI would pass them.
// biome-ignore lint/suspicious/noExplicitAny: the table passes what the types forbid
const bad = (v: unknown): any => v;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const re = (...parts: string[]) => new RegExp(parts.join(''));

const f32 = (shape: number[]) => core.zeros(shape);
const i32 = (values: number[]) => core.tensor(values, { dtype: 'int32' });
const x23 = () => f32([2, 3]);

const rows: Row[] = [];
const add = (name: string, error: ErrorClass, message: RegExp, run: () => unknown) =>
  rows.push({ name, error, message, run });

// ---------------------------------------------------------------- core: dtype names
const SUPPORTED = esc("(expected one of 'float32', 'int32', 'bool')");
const dtypeOps: [string, (dtype: unknown) => unknown][] = [
  ['tensor', (d) => core.tensor([1, 2], { dtype: bad(d) })],
  ['fromArray', (d) => core.fromArray([1, 2], [2], { dtype: bad(d) })],
  ['zeros', (d) => core.zeros([2], { dtype: bad(d) })],
  ['ones', (d) => core.ones([2], { dtype: bad(d) })],
  ['full', (d) => core.full([2], 1, { dtype: bad(d) })],
  ['arange', (d) => core.arange(0, 3, 1, { dtype: bad(d) })],
  ['eye', (d) => core.eye(2, 2, { dtype: bad(d) })],
  ['cast', (d) => core.cast(x23(), bad(d))],
  ['zerosLike', (d) => core.zerosLike(x23(), { dtype: bad(d) })],
];
for (const dtype of ['float64', 'int64', 'FLOAT32', 'float16', 'uint8', 'double']) {
  for (const [op, run] of dtypeOps) {
    add(
      `${op} with dtype '${dtype}'`,
      DTypeError,
      re(`^${op}: unknown dtype "${dtype}" \\(string\\) `, SUPPORTED),
      () => run(dtype),
    );
  }
}
add('tensor with dtype 3', DTypeError, re('^tensor: unknown dtype 3 ', SUPPORTED), () =>
  core.tensor([1], { dtype: bad(3) }),
);

// ---------------------------------------------------------------- core: values a dtype cannot hold
const INT32_RANGE = esc('(expected integers in -2147483648..2147483647)');
const BOOL_VALUES = esc('(expected 0, 1, true or false)');
add(
  'int32 3e9 wraps',
  ArgumentError,
  re('^tensor: value 3000000000 is outside the int32 range.*', INT32_RANGE),
  () => core.tensor([3e9], { dtype: 'int32' }),
);
add(
  'int32 -3e9 wraps',
  ArgumentError,
  re('^tensor: value -3000000000 is outside the int32 range.*', INT32_RANGE),
  () => core.tensor([-3e9], { dtype: 'int32' }),
);
add('int32 2^31', ArgumentError, re('^tensor: value 2147483648 is outside'), () =>
  core.tensor([2 ** 31], { dtype: 'int32' }),
);
add(
  'int32 1.5 truncates',
  ArgumentError,
  re('^tensor: value at index 1 1\\.5 is not an integer.*', INT32_RANGE),
  () => core.tensor([1, 1.5], { dtype: 'int32' }),
);
add('int32 NaN', ArgumentError, re('^tensor: value NaN is not an integer'), () =>
  core.tensor([Number.NaN], { dtype: 'int32' }),
);
add('int32 Infinity', ArgumentError, re('^tensor: value Infinity is not an integer'), () =>
  core.tensor([Number.POSITIVE_INFINITY], { dtype: 'int32' }),
);
add(
  'bool 2',
  ArgumentError,
  re('^tensor: value 2 is not 0 or 1, so it cannot be stored as bool ', BOOL_VALUES),
  () => core.tensor([2], { dtype: 'bool' }),
);
add('bool -1', ArgumentError, re('^tensor: value at index 1 -1 is not 0 or 1'), () =>
  core.tensor([0, -1], { dtype: 'bool' }),
);
add('bool 0.5', ArgumentError, re('^tensor: value 0\\.5 is not 0 or 1'), () =>
  core.tensor([0.5], { dtype: 'bool' }),
);
add(
  'fromArray Float32Array 1.5 as int32',
  ArgumentError,
  re('^fromArray: value 1\\.5 is not an integer'),
  () => core.fromArray(Float32Array.of(1.5), [1], { dtype: 'int32' }),
);
add(
  'fromArray strings',
  ArgumentError,
  re('^fromArray: value at index 0 "a" \\(string\\) is not a number'),
  () => core.fromArray(bad(['a', 1]), [2]),
);
add('full int32 2^31', ArgumentError, re('^full: value 2147483648 is outside the int32 range'), () =>
  core.full([2], 2 ** 31, { dtype: 'int32' }),
);
add('full int32 NaN', ArgumentError, re('^full: value must be a finite number, got NaN'), () =>
  core.full([2], Number.NaN, { dtype: 'int32' }),
);
add('full bool Infinity', ArgumentError, re('^full: value must be a finite number, got Infinity'), () =>
  core.full([2], Number.POSITIVE_INFINITY, { dtype: 'bool' }),
);
add('full string value', ArgumentError, re('^full: value "a" \\(string\\) is not a number'), () =>
  core.full([2], bad('a')),
);
add(
  'arange int32 with step 0.5',
  ArgumentError,
  re('^arange: value at index 1 0\\.5 is not an integer'),
  () => core.arange(0, 1, 0.5, { dtype: 'int32' }),
);
add(
  'tensor of strings',
  ArgumentError,
  re('^tensor: expected numbers or booleans, got "a" \\(string\\)'),
  () => core.tensor(bad(['a'])),
);
add(
  'tensor of a string',
  ArgumentError,
  re('^tensor: expected a number, a boolean, nested arrays.*got "abc"'),
  () => core.tensor(bad('abc')),
);
add('tensor of null', ArgumentError, re('^tensor: expected a number, .* got null'), () =>
  core.tensor(bad(null)),
);
add('tensor of BigInt64Array', DTypeError, re('^tensor: values must hold numbers, got a BigInt64Array'), () =>
  core.tensor(bad(BigInt64Array.of(1n))),
);

// ---------------------------------------------------------------- core: operands (never NaN)
const binaryOps: [string, (a: unknown, b: unknown) => Tensor][] = [
  ['add', (a, b) => core.add(bad(a), bad(b))],
  ['sub', (a, b) => core.sub(bad(a), bad(b))],
  ['mul', (a, b) => core.mul(bad(a), bad(b))],
  ['div', (a, b) => core.div(bad(a), bad(b))],
  ['pow', (a, b) => core.pow(bad(a), bad(b))],
  ['maximum', (a, b) => core.maximum(bad(a), bad(b))],
  ['minimum', (a, b) => core.minimum(bad(a), bad(b))],
  ['eq', (a, b) => core.eq(bad(a), bad(b))],
  ['lt', (a, b) => core.lt(bad(a), bad(b))],
  ['ge', (a, b) => core.ge(bad(a), bad(b))],
];
const badOperands: [string, unknown, string][] = [
  ["'a'", 'a', '"a" \\(string\\)'],
  ['[1, 2]', [1, 2], '\\[1, 2\\] \\(array\\) \\(wrap plain arrays with tensor'],
  ['null', null, 'null'],
  ['undefined', undefined, 'undefined'],
  ['true', true, 'true \\(boolean\\)'],
];
for (const [op, run] of binaryOps) {
  for (const [label, operand, shown] of badOperands) {
    add(
      `${op}(x, ${label})`,
      ArgumentError,
      re(`^${op}: second operand must be a Tensor or a number, got ${shown}`),
      () => run(x23(), operand),
    );
  }
  add(`${op}('a', x)`, ArgumentError, re(`^${op}: first operand must be a Tensor or a number, got "a"`), () =>
    run('a', x23()),
  );
}
add('x.add([1, 2]) (fluent)', ArgumentError, re('^add: second operand .* got \\[1, 2\\] \\(array\\)'), () =>
  x23().add(bad([1, 2])),
);
add(
  'where with a string branch',
  ArgumentError,
  re('^where: first operand must be a Tensor or a number, got "a"'),
  () => core.where(core.zeros([2], { dtype: 'bool' }), bad('a'), f32([2])),
);
add(
  'where with a plain-array condition',
  ArgumentError,
  re('^where: condition must be a Tensor, got \\[1, 0\\]'),
  () => core.where(bad([1, 0]), f32([2]), f32([2])),
);

// ---------------------------------------------------------------- core: non-tensor inputs
const tensorOps: [string, (v: unknown) => unknown][] = [
  ['exp', (v) => core.exp(bad(v))],
  ['log', (v) => core.log(bad(v))],
  ['relu', (v) => core.relu(bad(v))],
  ['sigmoid', (v) => core.sigmoid(bad(v))],
  ['sum', (v) => core.sum(bad(v))],
  ['mean', (v) => core.mean(bad(v))],
  ['max', (v) => core.max(bad(v))],
  ['argmax', (v) => core.argmax(bad(v))],
  ['softmax', (v) => core.softmax(bad(v))],
  ['reshape', (v) => core.reshape(bad(v), [1])],
  ['transpose', (v) => core.transpose(bad(v))],
  ['flatten', (v) => core.flatten(bad(v))],
  ['cast', (v) => core.cast(bad(v), 'int32')],
  ['clone', (v) => core.clone(bad(v))],
  ['clamp', (v) => core.clamp(bad(v), 0, 1)],
];
for (const [op, run] of tensorOps) {
  add(`${op}('x')`, ArgumentError, re(`^${op}: input must be a Tensor, got "x" \\(string\\)`), () =>
    run('x'),
  );
}
add(
  'matmul with a plain array',
  ArgumentError,
  re(
    '^matmul: second operand must be a Tensor, got \\[\\[1\\], \\[2\\]\\] \\(array\\) \\(wrap plain arrays with tensor',
  ),
  () => core.matmul(x23(), bad([[1], [2]])),
);
add('concat with a number', ArgumentError, re('^concat: tensor 1 must be a Tensor, got 3'), () =>
  core.concat([x23(), bad(3)]),
);
add(
  'concat of a tensor',
  ArgumentError,
  re('^concat: expected an array of tensors, got a float32 tensor of shape \\[2, 3\\]'),
  () => core.concat(bad(x23())),
);
add('stack with null', ArgumentError, re('^stack: tensor 0 must be a Tensor, got null'), () =>
  core.stack([bad(null)]),
);

// ---------------------------------------------------------------- core: shapes
const shapeOps: [string, (shape: unknown) => unknown][] = [
  ['zeros', (s) => core.zeros(bad(s))],
  ['ones', (s) => core.ones(bad(s))],
  ['full', (s) => core.full(bad(s), 1)],
  ['rand', (s) => core.rand(bad(s))],
  ['randn', (s) => core.randn(bad(s))],
  ['randint', (s) => core.randint(0, 2, bad(s))],
];
const NOT_ARRAY = esc('shape must be an array of non-negative integers (e.g. [2, 3]), got');
const badShapes: [string, unknown, string][] = [
  ['3', 3, `${NOT_ARRAY} 3$`],
  ["'3'", '3', `${NOT_ARRAY} "3" \\(string\\)`],
  ['null', null, `${NOT_ARRAY} null`],
  [
    '[2 ** 40]',
    [2 ** 40],
    'shape \\[1099511627776\\] has 1099511627776 elements, more than a tensor can hold \\(at most 2147483647\\)',
  ],
  [
    '[65536, 65536]',
    [65536, 65536],
    'shape \\[65536, 65536\\] has 4294967296 elements, more than a tensor can hold',
  ],
  ['[-1]', [-1], 'shape \\[-1\\] must hold non-negative integers, got -1'],
  ['[1.5]', [1.5], 'shape \\[1\\.5\\] must hold non-negative integers, got 1\\.5'],
  ['[NaN]', [Number.NaN], 'shape \\[NaN\\] must hold non-negative integers, got NaN'],
  [
    "[2, '3']",
    [2, '3'],
    'shape \\[2, "3" \\(string\\)\\] must hold non-negative integers, got "3" \\(string\\)',
  ],
];
for (const [op, run] of shapeOps) {
  for (const [label, shape, message] of badShapes) {
    add(`${op}(${label})`, ShapeError, re(`^${op}: ${message}`), () => run(shape));
  }
}
add(
  'reshape to a number',
  ShapeError,
  re('^reshape: shape must be an array of integers \\(one may be -1\\), got 6'),
  () => core.reshape(f32([6]), bad(6)),
);
add(
  "reshape to [2, 'a']",
  ShapeError,
  re('^reshape: shape \\[2, "a" \\(string\\)\\] must hold non-negative integers'),
  () => core.reshape(f32([6]), bad([2, 'a'])),
);
add(
  'reshape to [-2, 3]',
  ShapeError,
  re('^reshape: shape \\[-2, 3\\] must hold non-negative integers \\(or one -1\\)'),
  () => core.reshape(f32([6]), [-2, 3]),
);
add(
  'reshape 6 elements to [4, 2]',
  ShapeError,
  re('^reshape: cannot reshape \\[6\\] \\(6 elements\\) into \\[4, 2\\] \\(8 elements\\)'),
  () => core.reshape(f32([6]), [4, 2]),
);
add('broadcastTo a number', ShapeError, re('^broadcastTo: shape must be an array .* got 3'), () =>
  core.broadcastTo(f32([3]), bad(3)),
);
add(
  'tensor with shape option [-1]',
  ShapeError,
  re('^tensor: shape \\[-1\\] must hold non-negative integers'),
  () => core.tensor([1], { shape: [-1] }),
);
add(
  'fromArray 3 values into [2, 2]',
  ShapeError,
  re('^fromArray: 3 values cannot fill shape \\[2, 2\\] \\(4 elements\\)'),
  () => core.fromArray([1, 2, 3], [2, 2]),
);
add(
  'add [2, 3] + [4]',
  ShapeError,
  re('^add: shapes \\[2, 3\\] and \\[4\\] cannot be broadcast together \\(dimension 1: 3 vs 4\\)'),
  () => core.add(x23(), f32([4])),
);
add(
  'matmul [2, 3] x [2, 3]',
  ShapeError,
  re('^matmul: mat1 and mat2 shapes cannot be multiplied \\(2x3 and 2x3\\)'),
  () => core.matmul(x23(), x23()),
);

// ---------------------------------------------------------------- core: axes
const axisOps: [string, (x: Tensor, axis: unknown) => unknown][] = [
  ['sum', (x, a) => core.sum(x, bad(a))],
  ['mean', (x, a) => core.mean(x, bad(a))],
  ['max', (x, a) => core.max(x, bad(a))],
  ['min', (x, a) => core.min(x, bad(a))],
  ['prod', (x, a) => core.prod(x, bad(a))],
  ['logsumexp', (x, a) => core.logsumexp(x, bad(a))],
  ['var', (x, a) => core.variance(x, bad(a))],
  ['std', (x, a) => core.std(x, bad(a))],
];
const AXIS_KIND = esc('axis must be an integer, an array of integers or undefined (all axes), got');
const badAxes: [string, unknown, string][] = [
  ["'1'", '1', `${AXIS_KIND} "1" \\(string\\)`],
  ['{}', {}, `${AXIS_KIND} an object`],
  ['1.5', 1.5, 'axis must be an integer in -2\\.\\.1 for a tensor of rank 2, got 1\\.5'],
  ['NaN', Number.NaN, 'axis must be an integer in -2\\.\\.1 for a tensor of rank 2, got NaN'],
  ['2', 2, 'axis 2 is out of range for a tensor of rank 2 \\(expected -2\\.\\.1\\)'],
  ['-3', -3, 'axis -3 is out of range for a tensor of rank 2 \\(expected -2\\.\\.1\\)'],
  ['[0, -2]', [0, -2], 'axis \\[0,-2\\] repeats an axis'],
];
for (const [op, run] of axisOps) {
  for (const [label, axis, message] of badAxes) {
    add(`${op}(x, ${label})`, ArgumentError, re(`^${op}: ${message}`), () => run(x23(), axis));
  }
}
add(
  "argmax(x, '1')",
  ArgumentError,
  re('^argmax: axis must be an integer in -2\\.\\.1 .* got "1" \\(string\\)'),
  () => core.argmax(x23(), bad('1')),
);
add('argmin(x, 5)', ArgumentError, re('^argmin: axis 5 is out of range for a tensor of rank 2'), () =>
  core.argmin(x23(), 5),
);
add('softmax(x, 1.5)', ArgumentError, re('^softmax: axis must be an integer in -2\\.\\.1'), () =>
  core.softmax(x23(), 1.5),
);
add('logSoftmax(x, 2)', ArgumentError, re('^logSoftmax: axis 2 is out of range for a tensor of rank 2'), () =>
  core.logSoftmax(x23(), 2),
);
add("squeeze(x, '0')", ArgumentError, re('^squeeze: axis must be an integer .* got "0"'), () =>
  core.squeeze(x23(), bad('0')),
);
add('unsqueeze(x, 4)', ArgumentError, re('^unsqueeze: axis 4 is out of range for a tensor of rank 3'), () =>
  core.unsqueeze(x23(), 4),
);
add('concat on axis 2', ArgumentError, re('^concat: axis 2 is out of range for a tensor of rank 2'), () =>
  core.concat([x23(), x23()], 2),
);
add('gather on axis 1.5', ArgumentError, re('^gather: axis must be an integer'), () =>
  core.gather(x23(), i32([0]), 1.5),
);
add('transpose(x, 0, 2)', ArgumentError, re('^transpose: axis 2 is out of range'), () =>
  core.transpose(x23(), 0, 2),
);
add('permute with a number', ArgumentError, re('^permute: perm must be an array of axes, got 0'), () =>
  core.permute(x23(), bad(0)),
);
add('permute repeating an axis', ArgumentError, re('^permute: perm \\[0,0\\] repeats an axis'), () =>
  core.permute(x23(), [0, 0]),
);
add(
  'sum keepDims "yes"',
  ArgumentError,
  re('^sum: keepDims must be true or false, got "yes" \\(string\\)'),
  () => core.sum(x23(), 0, bad({ keepDims: 'yes' })),
);
add('var correction -1', ArgumentError, re('^var: correction must be a finite number >= 0, got -1'), () =>
  core.variance(x23(), 0, { correction: -1 }),
);
add(
  'sum options a string',
  ArgumentError,
  re('^sum: options must be an object, got "keep" \\(string\\)'),
  () => core.sum(x23(), 0, bad('keep')),
);

// ---------------------------------------------------------------- core: scalar arguments and options
add('arange(0, Infinity)', ArgumentError, re('^arange: end must be a finite number, got Infinity'), () =>
  core.arange(0, Number.POSITIVE_INFINITY),
);
add('arange(NaN)', ArgumentError, re('^arange: start must be a finite number, got NaN'), () =>
  core.arange(Number.NaN),
);
add("arange('5')", ArgumentError, re('^arange: start must be a finite number, got "5" \\(string\\)'), () =>
  core.arange(bad('5')),
);
add('arange step 0', ArgumentError, re('^arange: step must be a finite non-zero number, got 0'), () =>
  core.arange(0, 5, 0),
);
add('arange step NaN', ArgumentError, re('^arange: step must be a finite non-zero number, got NaN'), () =>
  core.arange(0, 5, Number.NaN),
);
add(
  'arange(0, 2 ** 32)',
  ArgumentError,
  re('^arange: \\[0, 4294967296\\) by 1 has 4294967296 values, more than a tensor can hold'),
  () => core.arange(0, 2 ** 32),
);
add('linspace steps -1', ArgumentError, re('^linspace: steps must be an integer >= 0 .*got -1'), () =>
  core.linspace(0, 1, -1),
);
add('linspace steps 2.5', ArgumentError, re('^linspace: steps must be an integer >= 0 .*got 2\\.5'), () =>
  core.linspace(0, 1, 2.5),
);
add('linspace to Infinity', ArgumentError, re('^linspace: end must be a finite number, got Infinity'), () =>
  core.linspace(0, Number.POSITIVE_INFINITY, 3),
);
add('eye(-1)', ArgumentError, re('^eye: n must be an integer >= 0, got -1'), () => core.eye(-1));
add('eye(2.5)', ArgumentError, re('^eye: n must be an integer >= 0, got 2\\.5'), () => core.eye(2.5));
add('eye(2, NaN)', ArgumentError, re('^eye: m must be an integer >= 0, got NaN'), () =>
  core.eye(2, Number.NaN),
);
add(
  'rand low > high',
  ArgumentError,
  re('^rand: low 2 is greater than high 1 \\(expected low <= high\\)'),
  () => core.rand([2], { low: 2, high: 1 }),
);
add('rand low NaN', ArgumentError, re('^rand: low must be a finite number, got NaN'), () =>
  core.rand([2], { low: Number.NaN }),
);
add('rand high Infinity', ArgumentError, re('^rand: high must be a finite number, got Infinity'), () =>
  core.rand([2], { high: Number.POSITIVE_INFINITY }),
);
add(
  'rand dtype int32',
  DTypeError,
  re("^rand: draws float32 values, got dtype 'int32' \\(expected 'float32' or none\\)"),
  () => core.rand([2], { dtype: 'int32' }),
);
add('rand generator {}', ArgumentError, re('^rand: generator must be a Generator, got an object'), () =>
  core.rand([2], { generator: bad({}) }),
);
add('randn std -1', ArgumentError, re('^randn: std must be a finite number >= 0, got -1'), () =>
  core.randn([2], { std: -1 }),
);
add('randn mean NaN', ArgumentError, re('^randn: mean must be a finite number, got NaN'), () =>
  core.randn([2], { mean: Number.NaN }),
);
add('randint(2, 1)', ArgumentError, re('^randint: expected integers low < high, got low=2, high=1'), () =>
  core.randint(2, 1, [2]),
);
add(
  'randint(0.5, 2)',
  ArgumentError,
  re('^randint: expected integers low < high, got low=0\\.5, high=2'),
  () => core.randint(0.5, 2, [2]),
);
add(
  'randint(0, 2 ** 40)',
  ArgumentError,
  re('^randint: high must be a number <= 2147483648, got 1099511627776'),
  () => core.randint(0, 2 ** 40, [2]),
);
add('randint dtype float32', DTypeError, re("^randint: draws int32 values, got dtype 'float32'"), () =>
  core.randint(0, 2, [2], { dtype: 'float32' }),
);
add(
  "tensor options 'int32'",
  ArgumentError,
  re('^tensor: options must be an object, got "int32" \\(string\\)'),
  () => core.tensor([1], bad('int32')),
);
add(
  'zeros option typo dtpye',
  ArgumentError,
  re("^zeros: unknown option 'dtpye' \\(expected 'dtype', 'requiresGrad', 'device'\\)"),
  () => core.zeros([2], bad({ dtpye: 'int32' })),
);
add(
  "ones requiresGrad 'yes'",
  ArgumentError,
  re('^ones: requiresGrad must be true or false, got "yes" \\(string\\)'),
  () => core.ones([2], { requiresGrad: bad('yes') }),
);
add('full device 3', ArgumentError, re('^full: device must be a backend name, got 3'), () =>
  core.full([2], 1, { device: bad(3) }),
);
add(
  'int32 requiresGrad',
  DTypeError,
  re('^tensor: only float32 tensors can require gradients, got int32'),
  () => core.tensor([1], { dtype: 'int32', requiresGrad: true }),
);
add(
  'slice range [0.5, 2]',
  ArgumentError,
  re('^slice: range \\[0\\.5, 2\\] \\(array\\) on axis 0 must hold integers or null, got 0\\.5'),
  () => core.slice(f32([4]), [[0.5, 2]]),
);
add(
  "slice ranges 'a'",
  ArgumentError,
  re('^slice: ranges must be an array \\(one range per axis\\), got "a"'),
  () => core.slice(f32([4]), bad('a')),
);
add('slice step 0', ArgumentError, re('^slice: step must be a non-zero integer, got 0 on axis 0'), () =>
  core.slice(f32([4]), [[0, 4, 0]]),
);
add(
  'narrow start 0.5',
  ArgumentError,
  re('^narrow: start and length must be integers, got start=0\\.5, length=1'),
  () => core.narrow(f32([4]), 0, 0.5, 1),
);
add('narrow past the end', ArgumentError, re('^narrow: \\[3, 5\\) is outside axis 0 of size 4'), () =>
  core.narrow(f32([4]), 0, 3, 2),
);
add(
  "split('a')",
  ArgumentError,
  re('^split: expected a chunk size or an array of section sizes, got "a"'),
  () => core.split(f32([4]), bad('a')),
);
add('split size 0', ArgumentError, re('^split: chunk size must be a positive integer, got 0'), () =>
  core.split(f32([4]), 0),
);
add(
  "linear activation 'gelu'",
  ArgumentError,
  re(
    "^linear: unknown activation \"gelu\" \\(string\\) \\(expected one of 'none', 'relu', 'sigmoid', 'tanh'\\)",
  ),
  () => core.linear(x23(), f32([4, 3]), null, bad('gelu')),
);
add(
  "oneHot dtype 'float64'",
  DTypeError,
  re("^oneHot: dtype must be 'float32' or 'int32', got \"float64\""),
  () => core.oneHot(i32([0, 1]), 3, bad('float64')),
);
add('oneHot numClasses 0', ArgumentError, re('^oneHot: numClasses must be a positive integer, got 0'), () =>
  core.oneHot(i32([0]), 0),
);
add(
  'oneHot class 3 of 3',
  ArgumentError,
  re('^oneHot: index 3 is out of range .* \\(expected 0\\.\\.2\\)'),
  () => core.oneHot(i32([0, 3]), 3),
);
add('gather float indices', DTypeError, re('^gather: indices must be int32, got float32'), () =>
  core.gather(x23(), core.tensor([0])),
);
add(
  'gather index 2 of 2',
  ArgumentError,
  re('^gather: index 2 is out of range for axis 0 of size 2 \\(expected 0\\.\\.1\\)'),
  () => core.gather(x23(), i32([2])),
);
add("clamp min 'a'", ArgumentError, re('^clamp: min must be a number, got "a"'), () =>
  core.clamp(x23(), bad('a')),
);
add(
  "manualSeed('abc')",
  ArgumentError,
  re('^Generator: seed must be a safe integer, got "abc" \\(string\\)'),
  () => core.manualSeed(bad('abc')),
);
add('manualSeed(1.5)', ArgumentError, re('^Generator: seed must be a safe integer, got 1\\.5'), () =>
  core.manualSeed(1.5),
);
add(
  'new Generator(NaN)',
  ArgumentError,
  re('^Generator: seed must be a safe integer, got NaN'),
  () => new core.Generator(Number.NaN),
);
add(
  'setRngState({})',
  ArgumentError,
  re(
    '^setRngState: state must be \\{ s: \\[four 32-bit unsigned integers, not all zero\\] \\}, got \\{ s: undefined \\}',
  ),
  () => core.setRngState(bad({})),
);
add(
  'setRngState all zero',
  ArgumentError,
  re('^setRngState: state must be .* got \\{ s: \\[0, 0, 0, 0\\] \\(array\\) \\}'),
  () => core.setRngState({ s: [0, 0, 0, 0] }),
);
add('setRngState(null)', ArgumentError, re('^setRngState: state must be .* got null'), () =>
  core.setRngState(bad(null)),
);
add(
  'setRngState negative word',
  ArgumentError,
  re('^setRngState: state must be .* got \\{ s: \\[1, 2, 3, -4\\]'),
  () => core.setRngState({ s: [1, 2, 3, -4] }),
);

// ---------------------------------------------------------------- nn: layer sizes
const sizeCtors: [string, string, (n: unknown) => unknown][] = [
  ['Linear', 'inFeatures', (n) => new nn.Linear(bad(n), 2)],
  ['Linear', 'outFeatures', (n) => new nn.Linear(2, bad(n))],
  ['Embedding', 'numEmbeddings', (n) => new nn.Embedding(bad(n), 4)],
  ['Embedding', 'embeddingDim', (n) => new nn.Embedding(4, bad(n))],
  ['BatchNorm1d', 'numFeatures', (n) => new nn.BatchNorm1d(bad(n))],
  ['LayerNorm', 'normalizedShape', (n) => new nn.LayerNorm(bad([n]))],
  ['PReLU', 'numParameters', (n) => new nn.PReLU({ numParameters: bad(n) })],
  ['Maxout', 'pieces', (n) => new nn.Maxout(2, 2, bad(n))],
];
const badSizes: [string, unknown, string][] = [
  ['0', 0, '0'],
  ['-1', -1, '-1'],
  ['2.5', 2.5, '2\\.5'],
  ['NaN', Number.NaN, 'NaN'],
  ["'3'", '3', '"3" \\(string\\)'],
];
for (const [layer, param, make] of sizeCtors) {
  for (const [label, n, shown] of badSizes) {
    add(
      `${layer} ${param} ${label}`,
      ArgumentError,
      re(`^${layer}: ${param} must be a positive integer, got ${shown}$`),
      () => make(n),
    );
  }
}

// ---------------------------------------------------------------- nn: activation and layer arguments
const FINITE = 'must be a finite number';
add(
  'LeakyReLU(NaN)',
  ArgumentError,
  re(`^LeakyReLU: negativeSlope ${FINITE}, got NaN`),
  () => new nn.LeakyReLU(Number.NaN),
);
add(
  "LeakyReLU('0.1')",
  ArgumentError,
  re(`^LeakyReLU: negativeSlope ${FINITE}, got "0\\.1"`),
  () => new nn.LeakyReLU(bad('0.1')),
);
add(
  'ELU(Infinity)',
  ArgumentError,
  re(`^ELU: alpha ${FINITE}, got Infinity`),
  () => new nn.ELU(Number.POSITIVE_INFINITY),
);
add('CELU(0)', ArgumentError, re('^CELU: alpha must not be 0, got 0'), () => new nn.CELU(0));
add(
  "GELU('erf')",
  ArgumentError,
  re("^GELU: approximate must be one of 'none', 'tanh', got \"erf\""),
  () => new nn.GELU(bad('erf')),
);
add('Softplus(0)', ArgumentError, re(`^Softplus: beta ${FINITE} > 0, got 0`), () => new nn.Softplus(0));
add(
  'Softplus(1, NaN)',
  ArgumentError,
  re(`^Softplus: threshold ${FINITE}, got NaN`),
  () => new nn.Softplus(1, Number.NaN),
);
add(
  'Hardtanh(1, -1)',
  ArgumentError,
  re('^Hardtanh: expected minVal <= maxVal, got 1 and -1'),
  () => new nn.Hardtanh(1, -1),
);
add(
  'Hardtanh(NaN)',
  ArgumentError,
  re(`^Hardtanh: minVal ${FINITE}, got NaN`),
  () => new nn.Hardtanh(Number.NaN),
);
add('Swish(NaN)', ArgumentError, re(`^Swish: beta ${FINITE}, got NaN`), () => new nn.Swish(Number.NaN));
add(
  'Softmax(1.5)',
  ArgumentError,
  re('^Softmax: dim must be an integer, got 1\\.5'),
  () => new nn.Softmax(1.5),
);
add(
  'LogSoftmax(NaN)',
  ArgumentError,
  re('^LogSoftmax: dim must be an integer, got NaN'),
  () => new nn.LogSoftmax(Number.NaN),
);
add(
  'Dropout(1.5)',
  ArgumentError,
  re('^Dropout: p must be in \\[0, 1\\], got 1\\.5'),
  () => new nn.Dropout(1.5),
);
add(
  'Dropout(-0.1)',
  ArgumentError,
  re('^Dropout: p must be in \\[0, 1\\], got -0\\.1'),
  () => new nn.Dropout(-0.1),
);
add(
  'Dropout(NaN)',
  ArgumentError,
  re('^Dropout: p must be in \\[0, 1\\], got NaN'),
  () => new nn.Dropout(Number.NaN),
);
add(
  'Flatten(0.5)',
  ArgumentError,
  re('^Flatten: startDim must be an integer, got 0\\.5'),
  () => new nn.Flatten(0.5),
);
add(
  'LayerNorm eps 0',
  ArgumentError,
  re(`^LayerNorm: eps ${FINITE} > 0, got 0`),
  () => new nn.LayerNorm(4, { eps: 0 }),
);
add(
  "LayerNorm('4')",
  ArgumentError,
  re('^LayerNorm: normalizedShape must be a size or an array of sizes, got "4"'),
  () => new nn.LayerNorm(bad('4')),
);
add(
  'BatchNorm1d momentum 2',
  ArgumentError,
  re('^BatchNorm1d: momentum must be in \\[0, 1\\] or null, got 2'),
  () => new nn.BatchNorm1d(4, { momentum: 2 }),
);
add(
  'BatchNorm1d eps -1',
  ArgumentError,
  re(`^BatchNorm1d: eps ${FINITE} > 0, got -1`),
  () => new nn.BatchNorm1d(4, { eps: -1 }),
);
add(
  'Embedding paddingIdx 1.5',
  ArgumentError,
  re('^Embedding: paddingIdx must be an integer, got 1\\.5'),
  () => new nn.Embedding(4, 2, { paddingIdx: 1.5 }),
);
add(
  'Embedding paddingIdx 9 of 4',
  ArgumentError,
  re('^Embedding: paddingIdx 9 is out of range for 4 embeddings'),
  () => new nn.Embedding(4, 2, { paddingIdx: 9 }),
);
add('Embedding float indices', DTypeError, re('^Embedding: indices must be int32, got float32'), () =>
  new nn.Embedding(4, 2).call(core.tensor([0, 1])),
);
add(
  'Linear option typo',
  ArgumentError,
  re("^Linear: unknown option 'bais' \\(expected 'bias'\\)"),
  () => new nn.Linear(2, 2, bad({ bais: false })),
);
add(
  "Linear bias 'no'",
  ArgumentError,
  re('^Linear: bias must be true or false, got "no"'),
  () => new nn.Linear(2, 2, { bias: bad('no') }),
);
add(
  'Linear forward [2, 3] into 4 features',
  ShapeError,
  re('^linear: input \\[2, 3\\] does not fit weight \\[2, 4\\] \\(expected \\[\\.\\.\\., 4\\]\\)'),
  () => new nn.Linear(4, 2).call(x23()),
);
add(
  'Linear forward a plain array',
  ArgumentError,
  re('^linear: input must be a Tensor, got \\[1, 2\\] \\(array\\)'),
  () => new nn.Linear(2, 2).call(bad([1, 2])),
);
add(
  "F.gelu approximate 'x'",
  ArgumentError,
  re("^gelu: approximate must be one of 'none', 'tanh', got \"x\""),
  () => nn.F.gelu(x23(), bad('x')),
);
add('F.leakyRelu Infinity', ArgumentError, re(`^leakyRelu: negativeSlope ${FINITE}, got Infinity`), () =>
  nn.F.leakyRelu(x23(), Number.POSITIVE_INFINITY),
);
add('F.elu NaN', ArgumentError, re(`^elu: alpha ${FINITE}, got NaN`), () => nn.F.elu(x23(), Number.NaN));
add('F.dropout p 2', ArgumentError, re('^dropout: p must be in \\[0, 1\\], got 2'), () =>
  nn.dropout(x23(), 2),
);
add(
  'F.layerNorm shape 3',
  ArgumentError,
  re('^layerNorm: normalizedShape must be an array of sizes, got 3'),
  () => nn.layerNorm(x23(), bad(3)),
);
add('F.layerNorm eps 0', ArgumentError, re(`^layerNorm: eps ${FINITE} > 0, got 0`), () =>
  nn.layerNorm(x23(), [3], null, null, 0),
);
add(
  'F.layerNorm shape mismatch',
  ShapeError,
  re('^layerNorm: input \\[2, 3\\] does not end with normalized shape \\[4\\]'),
  () => nn.layerNorm(x23(), [4]),
);
add('F.prelu weight a number', ArgumentError, re('^prelu: weight must be a Tensor, got 0\\.25'), () =>
  nn.F.prelu(x23(), bad(0.25)),
);
add(
  'createActivation unknown',
  ArgumentError,
  re('^createActivation: unknown activation "swishy" \\(string\\) \\(expected one of relu, '),
  () => nn.createActivation(bad('swishy')),
);
add('parameter of an int32 tensor', DTypeError, re('^parameter: parameters must be float32, got int32'), () =>
  nn.parameter(i32([1])),
);
add('parameter of a number', ArgumentError, re('^parameter: tensor must be a Tensor, got 3'), () =>
  nn.parameter(bad(3)),
);
add(
  'Sequential of a function',
  ArgumentError,
  re('^Sequential: entry 0 is not a Module'),
  () => new nn.Sequential(bad(() => 1)),
);
add('Sequential.at(5)', ArgumentError, re('^Sequential\\.at: index 5 is out of range for 1 modules'), () =>
  new nn.Sequential(new nn.ReLU()).at(5),
);
add("train('no')", ArgumentError, re('^train: mode must be true or false, got "no"'), () =>
  new nn.Linear(2, 2).train(bad('no')),
);
add(
  'registerForwardHook(null)',
  ArgumentError,
  re('^registerForwardHook: hook must be a function, got null'),
  () => new nn.Linear(2, 2).registerForwardHook(bad(null)),
);
add('to(3)', ArgumentError, re('^to: device must be a backend name, got 3'), () =>
  new nn.Linear(2, 2).to(bad(3)),
);

// ---------------------------------------------------------------- nn: mlp and init
add(
  'mlp sizes [2]',
  ArgumentError,
  re('^mlp: sizes must list at least an input and an output width, got \\[2\\] \\(array\\)'),
  () => nn.mlp({ sizes: [2] }),
);
add("mlp sizes '2,3'", ArgumentError, re('^mlp: sizes must list at least .* got "2,3"'), () =>
  nn.mlp({ sizes: bad('2,3') }),
);
add('mlp sizes [2, 0, 1]', ArgumentError, re('^mlp: sizes\\[1\\] must be a positive integer, got 0'), () =>
  nn.mlp({ sizes: [2, 0, 1] }),
);
add('mlp sizes [2, 1.5]', ArgumentError, re('^mlp: sizes\\[1\\] must be a positive integer, got 1\\.5'), () =>
  nn.mlp({ sizes: [2, 1.5] }),
);
add('mlp dropout 1', ArgumentError, re('^mlp: dropout must be in \\[0, 1\\), got 1'), () =>
  nn.mlp({ sizes: [2, 2], dropout: 1 }),
);
add(
  "mlp norm 'group'",
  ArgumentError,
  re("^mlp: norm must be one of 'none', 'batch', 'layer', got \"group\""),
  () => nn.mlp({ sizes: [2, 2], norm: bad('group') }),
);
add(
  "mlp activation 'nope'",
  ArgumentError,
  re('^mlp: activation must be a function or one of relu, .* got "nope"'),
  () => nn.mlp({ sizes: [2, 2], activation: bad('nope') }),
);
add('mlp option typo', ArgumentError, re("^mlp: unknown option 'hidden'"), () =>
  nn.mlp(bad({ sizes: [2, 2], hidden: [4] })),
);
add("mlp bias 'yes'", ArgumentError, re('^mlp: bias must be true or false, got "yes"'), () =>
  nn.mlp({ sizes: [2, 2], bias: bad('yes') }),
);
add(
  'init.uniform low > high',
  ArgumentError,
  re('^init\\.uniform: expected low <= high, got low=1, high=0'),
  () => nn.init.uniform(f32([2]), 1, 0),
);
add('init.uniform high Infinity', ArgumentError, re(`^init\\.uniform: high ${FINITE}, got Infinity`), () =>
  nn.init.uniform(f32([2]), 0, Number.POSITIVE_INFINITY),
);
add('init.normal std -1', ArgumentError, re(`^init\\.normal: std ${FINITE} >= 0, got -1`), () =>
  nn.init.normal(f32([2]), 0, -1),
);
add("calculateGain('foo')", ArgumentError, re('^calculateGain: unknown nonlinearity "foo"'), () =>
  nn.calculateGain(bad('foo')),
);
add(
  "kaiming mode 'fan'",
  ArgumentError,
  re("^init\\.kaiming: mode must be 'fanIn' or 'fanOut', got \"fan\""),
  () => nn.init.kaimingUniform(f32([2, 2]), { mode: bad('fan') }),
);
add('init on a string', ArgumentError, re('^init: tensor must be a Tensor, got "w"'), () =>
  nn.init.zeros(bad('w')),
);
add(
  'xavier of a 1-D tensor',
  ArgumentError,
  re('^init: fan in and fan out need a tensor of at least 2 dimensions, got shape \\[3\\]'),
  () => nn.init.xavierUniform(f32([3])),
);

// ---------------------------------------------------------------- nn: loadStateDict
const STATE_DICT = 'loadStateDict \\(Linear\\)';
for (const [label, dict, shown] of [
  ['null', null, 'null'],
  ['undefined', undefined, 'undefined'],
  ["'weights'", 'weights', '"weights" \\(string\\)'],
  ['3', 3, '3'],
  ['[1, 2]', [1, 2], '\\[1, 2\\] \\(array\\)'],
  ['a tensor', 'tensor', 'a float32 tensor of shape \\[2, 3\\]'],
] as const) {
  add(
    `loadStateDict(${label})`,
    ArgumentError,
    re(`^${STATE_DICT}: expected a state dict \\(an object or a Map from names to tensors\\), got ${shown}`),
    () => new nn.Linear(2, 1).loadStateDict(bad(dict === 'tensor' ? x23() : dict)),
  );
}
const linearSd = () => {
  const m = new nn.Linear(2, 1);
  return { m, sd: m.stateDict() };
};
add(
  "loadStateDict weight 'a'",
  ArgumentError,
  re(`^${STATE_DICT}: values that are not tensors: weight: expected a tensor, got "a"`),
  () => {
    const { m, sd } = linearSd();
    return m.loadStateDict({ ...sd, weight: bad('a') });
  },
);
add(
  'loadStateDict wrong shape',
  ShapeError,
  re(`^${STATE_DICT}: shape mismatches: weight: the module has shape \\[1, 2\\], the state dict \\[3, 3\\]`),
  () => {
    const { m, sd } = linearSd();
    return m.loadStateDict({ ...sd, weight: f32([3, 3]) });
  },
);
add('loadStateDict missing key', ArgumentError, re(`^${STATE_DICT}: missing keys: bias`), () => {
  const { m, sd } = linearSd();
  return m.loadStateDict({ weight: sd.weight });
});
add('loadStateDict unexpected key', ArgumentError, re(`^${STATE_DICT}: unexpected keys: gain`), () => {
  const { m, sd } = linearSd();
  return m.loadStateDict({ ...sd, gain: f32([1]) });
});
add(
  "loadStateDict options 'strict'",
  ArgumentError,
  re(`^${STATE_DICT}: options must be an object, got "strict"`),
  () => {
    const { m, sd } = linearSd();
    return m.loadStateDict(sd, bad('strict'));
  },
);
add('loadStateDict option typo', ArgumentError, re(`^${STATE_DICT}: unknown option 'strcit'`), () => {
  const { m, sd } = linearSd();
  return m.loadStateDict(sd, bad({ strcit: false }));
});
add(
  "loadStateDict strict 'no'",
  ArgumentError,
  re(`^${STATE_DICT}: strict must be true or false, got "no"`),
  () => {
    const { m, sd } = linearSd();
    return m.loadStateDict(sd, { strict: bad('no') });
  },
);
add(
  'loadStateDict NaN with requireFinite',
  ArgumentError,
  re(`^${STATE_DICT}: non-finite values \\(expected finite numbers\\): weight holds NaN at element 1`),
  () => {
    const { m, sd } = linearSd();
    return m.loadStateDict({ ...sd, weight: core.tensor([[0, Number.NaN]]) }, { requireFinite: true });
  },
);
add(
  'loadStateDict Infinity with requireFinite',
  ArgumentError,
  re(`^${STATE_DICT}: non-finite values .*bias holds Infinity at element 0`),
  () => {
    const { m, sd } = linearSd();
    return m.loadStateDict({ ...sd, bias: core.tensor([Number.POSITIVE_INFINITY]) }, { requireFinite: true });
  },
);
add(
  'loadStateDict a disposed tensor',
  ArgumentError,
  re(`^${STATE_DICT}: values that are not tensors: bias: the tensor was disposed`),
  () => {
    const { m, sd } = linearSd();
    const gone = f32([1]);
    gone.dispose();
    return m.loadStateDict({ ...sd, bias: gone });
  },
);

// ---------------------------------------------------------------- losses
const logits = () => f32([2, 3]);
const classes = () => i32([0, 2]);
const lossCalls: [string, (options: unknown) => unknown, string][] = [
  ['mse', (o) => losses.mse(x23(), x23(), bad(o)), 'reduction'],
  ['l1', (o) => losses.l1(x23(), x23(), bad(o)), 'reduction'],
  ['huber', (o) => losses.huber(x23(), x23(), bad(o)), "reduction', 'delta"],
  ['smoothL1', (o) => losses.smoothL1(x23(), x23(), bad(o)), "reduction', 'beta"],
  ['bce', (o) => losses.bce(f32([2]), f32([2]), bad(o)), "reduction', 'weight"],
  [
    'bceWithLogits',
    (o) => losses.bceWithLogits(f32([2]), f32([2]), bad(o)),
    "reduction', 'weight', 'posWeight",
  ],
  ['hinge', (o) => losses.hinge(f32([2]), core.ones([2]), bad(o)), "reduction', 'margin"],
  [
    'crossEntropy',
    (o) => losses.crossEntropy(logits(), classes(), bad(o)),
    "reduction', 'weight', 'ignoreIndex', 'labelSmoothing",
  ],
  ['nll', (o) => losses.nll(logits(), classes(), bad(o)), "reduction', 'weight', 'ignoreIndex"],
  [
    'multiMargin',
    (o) => losses.multiMargin(logits(), classes(), bad(o)),
    "reduction', 'p', 'margin', 'weight",
  ],
  ['klDiv', (o) => losses.klDiv(x23(), x23(), bad(o)), "reduction', 'logTarget"],
];
for (const [op, run, keys] of lossCalls) {
  const valid = op === 'klDiv' ? "'mean', 'batchmean', 'sum', 'none'" : "'mean', 'sum', 'none'";
  for (const [label, reduction, shown] of [
    ["'avg'", 'avg', '"avg" \\(string\\)'],
    ["'MEAN'", 'MEAN', '"MEAN" \\(string\\)'],
    ['1', 1, '1'],
  ] as const) {
    add(
      `${op} reduction ${label}`,
      ArgumentError,
      re(`^${op}: reduction must be ${esc(valid)}; got ${shown}$`),
      () => run({ reduction }),
    );
  }
  add(
    `${op} legacy option 'reduce'`,
    ArgumentError,
    re(`^${op}: unknown option 'reduce' \\(expected '${esc(keys)}'\\)`),
    () => run({ reduce: 'sum' }),
  );
}
add(
  'MSELoss reduction at construction',
  ArgumentError,
  re("^MSELoss: reduction must be 'mean', 'sum', 'none'; got \"avg\""),
  () => new losses.MSELoss(bad({ reduction: 'avg' })),
);
add(
  "CrossEntropyLoss option 'ignore_index'",
  ArgumentError,
  re("^CrossEntropyLoss: unknown option 'ignore_index'"),
  () => new losses.CrossEntropyLoss(bad({ ignore_index: 0 })),
);
add(
  'crossEntropy class 3 of 3',
  ArgumentError,
  re(
    '^crossEntropy: target class 3 at position 1 is out of range \\(expected 0\\.\\.2 or ignoreIndex -100\\)',
  ),
  () => losses.crossEntropy(logits(), i32([0, 3])),
);
add(
  'crossEntropy class -1',
  ArgumentError,
  re('^crossEntropy: target class -1 at position 0 is out of range'),
  () => losses.crossEntropy(logits(), i32([-1, 0])),
);
add(
  'nll class 5 of 3',
  ArgumentError,
  re('^nll: target class 5 at position 0 is out of range \\(expected 0\\.\\.2 or ignoreIndex -100\\)'),
  () => losses.nll(logits(), i32([5, 0])),
);
add(
  'multiMargin class 3 of 3',
  ArgumentError,
  re('^multiMargin: target class 3 at position 1 is out of range \\(expected 0\\.\\.2\\)'),
  () => losses.multiMargin(logits(), i32([0, 3])),
);
add('nll float targets', DTypeError, re('^nll: target must hold int32 class indices, got float32'), () =>
  losses.nll(logits(), core.tensor([0, 1])),
);
add(
  'crossEntropy bool targets',
  DTypeError,
  re('^crossEntropy: target must be int32 class indices or float32 probabilities, got bool'),
  () => losses.crossEntropy(logits(), core.tensor([true, false])),
);
add(
  'crossEntropy 3 labels for 2 rows',
  ShapeError,
  re('^crossEntropy: input \\[2, 3\\] needs class-index target \\[2\\], got \\[3\\]'),
  () => losses.crossEntropy(logits(), i32([0, 1, 2])),
);
add(
  'crossEntropy probabilities of the wrong shape',
  ShapeError,
  re(
    "^crossEntropy: a float32 \\(probability\\) target must have the input's shape \\[2, 3\\], got \\[2, 2\\]",
  ),
  () => losses.crossEntropy(logits(), f32([2, 2])),
);
add(
  'mse shapes differ',
  ShapeError,
  re('^mse: input \\[2, 3\\] and target \\[3, 2\\] must have the same shape'),
  () => losses.mse(x23(), f32([3, 2])),
);
add('mse int32 input', DTypeError, re('^mse: input must be float32, got int32'), () =>
  losses.mse(i32([1]), f32([1])),
);
add('mse plain-array target', ArgumentError, re('^mse: target must be a Tensor, got \\[1, 2\\]'), () =>
  losses.mse(f32([2]), bad([1, 2])),
);
add(
  'bce input 1.5',
  ArgumentError,
  re('^bce: input must hold probabilities in \\[0, 1\\]; element 0 is 1\\.5'),
  () => losses.bce(core.tensor([1.5]), core.tensor([1])),
);
add('hinge label 0', ArgumentError, re('^hinge: target labels must be -1 or \\+1; element 0 is 0'), () =>
  losses.hinge(f32([1]), f32([1])),
);
add(
  'crossEntropy class weight of 2 for 3 classes',
  ShapeError,
  re('^crossEntropy: weight \\[2\\] must have one entry per class \\(\\[3\\]\\)'),
  () => losses.crossEntropy(logits(), classes(), { weight: f32([2]) }),
);
add(
  'crossEntropy weight a plain array',
  ArgumentError,
  re('^crossEntropy: weight must be a Tensor or null, got \\[1, 1, 1\\]'),
  () => losses.crossEntropy(logits(), classes(), { weight: bad([1, 1, 1]) }),
);
add(
  'crossEntropy labelSmoothing 2',
  ArgumentError,
  re('^crossEntropy: labelSmoothing must be in \\[0, 1\\], got 2'),
  () => losses.crossEntropy(logits(), classes(), { labelSmoothing: 2 }),
);
add(
  'crossEntropy ignoreIndex 0.5',
  ArgumentError,
  re('^crossEntropy: ignoreIndex must be an integer, got 0\\.5'),
  () => losses.crossEntropy(logits(), classes(), { ignoreIndex: 0.5 }),
);
add('huber delta 0', ArgumentError, re('^huber: delta must be a finite number > 0, got 0'), () =>
  losses.huber(x23(), x23(), { delta: 0 }),
);
add('smoothL1 beta NaN', ArgumentError, re('^smoothL1: beta must be a finite number >= 0, got NaN'), () =>
  losses.smoothL1(x23(), x23(), { beta: Number.NaN }),
);
add('multiMargin p 3', ArgumentError, re('^multiMargin: p must be 1 or 2, got 3'), () =>
  losses.multiMargin(logits(), classes(), { p: bad(3) }),
);
add('hinge margin Infinity', ArgumentError, re('^hinge: margin must be a finite number, got Infinity'), () =>
  losses.hinge(f32([1]), core.ones([1]), { margin: Number.POSITIVE_INFINITY }),
);
add("klDiv logTarget 'yes'", ArgumentError, re('^klDiv: logTarget must be true or false, got "yes"'), () =>
  losses.klDiv(x23(), x23(), { logTarget: bad('yes') }),
);
add(
  'bce weight that does not broadcast',
  ShapeError,
  re("^bce: weight \\[3\\] does not broadcast to the input's shape \\[2\\]"),
  () => losses.bce(f32([2]), f32([2]), { weight: f32([3]) }),
);

// ---------------------------------------------------------------- data
const xorData = () => data.xor({ numSamples: 20, seed: 0 });
for (const [label, test, shown] of [
  ['1.5', 1.5, '1\\.5'],
  ['-0.2', -0.2, '-0\\.2'],
  ['NaN', Number.NaN, 'NaN'],
  ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
  ['21 of 20', 21, '21'],
  ["'0.2'", '0.2', '"0\\.2" \\(string\\)'],
] as const) {
  add(
    `trainTestSplit test ${label}`,
    ArgumentError,
    re(`^trainTestSplit: test must be a fraction in \\(0, 1\\) or a count in 0\\.\\.20, got ${shown}$`),
    () => data.trainTestSplit(xorData(), { test: bad(test), seed: 0 }),
  );
}
add(
  'trainTestSplit testSize 1.5',
  ArgumentError,
  re("^trainTestSplit: unknown option 'testSize' \\(expected 'test', 'stratify', 'seed', 'generator'\\)"),
  () => data.trainTestSplit(xorData(), bad({ testSize: 1.5 })),
);
add(
  "trainTestSplit stratify 'yes'",
  ArgumentError,
  re('^trainTestSplit: stratify must be true or false, got "yes"'),
  () => data.trainTestSplit(xorData(), { stratify: bad('yes') }),
);
add('trainTestSplit seed 1.5', ArgumentError, re('^trainTestSplit: seed must be an integer, got 1\\.5'), () =>
  data.trainTestSplit(xorData(), { seed: 1.5 }),
);
add(
  'trainTestSplit generator {}',
  ArgumentError,
  re('^trainTestSplit: generator must be a Generator, got an object'),
  () => data.trainTestSplit(xorData(), { generator: bad({}) }),
);
add(
  'trainTestSplit seed and generator',
  ArgumentError,
  re('^trainTestSplit: give either seed or generator, not both'),
  () => data.trainTestSplit(xorData(), { seed: 1, generator: new core.Generator(1) }),
);
add(
  'trainTestSplit of null',
  ArgumentError,
  re('^trainTestSplit: expected a data set from classificationData/regressionData .* got null'),
  () => data.trainTestSplit(bad(null)),
);
add(
  'CSV cell 1e999',
  ArgumentError,
  re(
    '^parseCsv: line 3, column \'a\': "1e999" overflows float32 \\(expected a finite number of magnitude at most 3\\.4028234663852886e\\+38\\)',
  ),
  () => data.parseCsv('a,y\n1,x\n1e999,y\n'),
);
add('CSV cell -1e999', ArgumentError, re('^parseCsv: line 2, column \'b\': "-1e999" overflows float32'), () =>
  data.parseCsv('a,b,y\n1,-1e999,x\n'),
);
add(
  'CSV regression target 1e39',
  ArgumentError,
  re('^parseCsv: line 2, column \'y\': "1e39" overflows float32'),
  () => data.parseCsv('a,y\n1,1e39\n', { task: 'regression' }),
);
add("CSV cell 'abc'", ArgumentError, re('^parseCsv: line 2, column \'a\': "abc" is not a number'), () =>
  data.parseCsv('a,y\nabc,x\n'),
);
add(
  'CSV row with too few fields',
  ArgumentError,
  re('^parseCsv: line 3: expected 2 fields \\(a, y\\), got 1'),
  () => data.parseCsv('a,y\n1,x\n2\n'),
);
add('CSV unclosed quote', ArgumentError, re('^parseCsv: line 2: a quoted field is never closed'), () =>
  data.parseCsv('a,y\n"1,x\n'),
);
add(
  "CSV delimiter '\"'",
  ArgumentError,
  re('^parseCsv: delimiter must be one character other than a quote or newline, got "\\\\""'),
  () => data.parseCsv('a,y\n1,x\n', { delimiter: '"' }),
);
add('CSV option typo', ArgumentError, re("^parseCsv: unknown option 'targte'"), () =>
  data.parseCsv('a,y\n1,x\n', bad({ targte: 'y' })),
);
add('CSV text 42', ArgumentError, re('^parseCsv: text must be a string, got 42'), () =>
  data.parseCsv(bad(42)),
);
add(
  "CSV target column 'z'",
  ArgumentError,
  re("^parseCsv: target column 'z' is not in the header \\(a, y\\)"),
  () => data.parseCsv('a,y\n1,x\n', { target: 'z' }),
);
const csvDir = mkdtempSync(join(tmpdir(), 'backprop-bad-input-'));
const missingCsv = join(csvDir, 'missing.csv');
add(
  'loadCsv of a missing file',
  ArgumentError,
  re(`^loadCsv: cannot read '${esc(missingCsv)}': no such file \\(ENOENT\\)$`),
  () => data.loadCsv(missingCsv),
);
add(
  'loadCsv of a folder',
  ArgumentError,
  re(`^loadCsv: cannot read '${esc(csvDir)}': it is a directory, not a file \\(EISDIR\\)$`),
  () => data.loadCsv(csvDir),
);
add(
  'loadCsv path undefined',
  ArgumentError,
  re('^loadCsv: path must be a non-empty string, got undefined'),
  () => data.loadCsv(bad(undefined)),
);
add('loadCsv option typo', ArgumentError, re("^loadCsv: unknown option 'header_row'"), () =>
  data.loadCsv(missingCsv, bad({ header_row: true })),
);
const dataset = () => new data.TensorDataset(f32([4, 2]));
for (const [label, batchSize, shown] of [
  ['0', 0, '0'],
  ['-1', -1, '-1'],
  ['1.5', 1.5, '1\\.5'],
  ['NaN', Number.NaN, 'NaN'],
  ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
  ["'8'", '8', '"8" \\(string\\)'],
] as const) {
  add(
    `DataLoader batchSize ${label}`,
    ArgumentError,
    re(`^DataLoader: batchSize must be a positive integer, got ${shown}$`),
    () => new data.DataLoader(dataset(), { batchSize: bad(batchSize) }),
  );
}
add(
  'DataLoader of null',
  ArgumentError,
  re('^DataLoader: expected a dataset \\(an object with length and get\\(index\\)\\), got null'),
  () => new data.DataLoader(bad(null)),
);
add(
  "DataLoader shuffle 'yes'",
  ArgumentError,
  re('^DataLoader: shuffle must be true or false, got "yes"'),
  () => new data.DataLoader(dataset(), { shuffle: bad('yes') }),
);
add(
  'DataLoader option typo',
  ArgumentError,
  re("^DataLoader: unknown option 'batch_size'"),
  () => new data.DataLoader(dataset(), bad({ batch_size: 2 })),
);
add(
  'DataLoader collate 3',
  ArgumentError,
  re('^DataLoader: collate must be a function, got 3'),
  () => new data.DataLoader(dataset(), { collate: bad(3) }),
);
add(
  'DataLoader seed NaN',
  ArgumentError,
  re('^DataLoader: seed must be an integer, got NaN'),
  () => new data.DataLoader(dataset(), { seed: Number.NaN }),
);
add(
  'TensorDataset of a plain array',
  ArgumentError,
  re('^TensorDataset: tensor 0 must be a Tensor, got \\[1, 2\\]'),
  () => new data.TensorDataset(bad([1, 2])),
);
add(
  'TensorDataset of mismatched rows',
  ShapeError,
  re('^TensorDataset: tensors must share the first dimension, got \\[4, 2\\] and \\[3\\]'),
  () => new data.TensorDataset(f32([4, 2]), f32([3])),
);
add('xor numSamples -1', ArgumentError, re('^xor: numSamples must be an integer >= 0, got -1'), () =>
  data.xor({ numSamples: -1 }),
);
add('xor noise NaN', ArgumentError, re('^xor: noise must be a finite non-negative number, got NaN'), () =>
  data.xor({ noise: Number.NaN }),
);
add('spirals option typo', ArgumentError, re("^spirals: unknown option 'classes'"), () =>
  data.spirals(bad({ classes: 3 })),
);
add(
  'sine range to Infinity',
  ArgumentError,
  re('^sine: range must be \\[low, high\\] with finite low < high, got \\[0, Infinity\\]'),
  () => data.sine({ range: [0, Number.POSITIVE_INFINITY] }),
);
add('circles factor 1', ArgumentError, re('^circles: factor must be in \\(0, 1\\), got 1'), () =>
  data.circles({ factor: 1 }),
);
add("xor shuffle 'no'", ArgumentError, re('^xor: shuffle must be true or false, got "no"'), () =>
  data.xor({ shuffle: bad('no') }),
);
add('accuracy with mismatched lengths', ShapeError, re('^accuracy: 2 predictions but 3 targets'), () =>
  data.accuracy([0, 1], [0, 1, 1]),
);

// ---------------------------------------------------------------- optim (hyper-parameters)
type OptimizerClass = new (params: Tensor[], options?: Record<string, unknown>) => unknown;
const optimizers = optim as unknown as Record<string, OptimizerClass>;
const weights = () => [core.tensor([1, 2], { requiresGrad: true })];
for (const name of ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad']) {
  for (const [label, lr, shown] of [
    ['NaN', Number.NaN, 'NaN'],
    ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
    ['-0.1', -0.1, '-0\\.1'],
  ] as const) {
    add(
      `${name} lr ${label}`,
      ArgumentError,
      re(`^${name}: lr must be a finite number ≥ 0, got ${shown}$`),
      () => new optimizers[name](weights(), { lr }),
    );
  }
}
for (const name of ['Adam', 'AdamW']) {
  add(
    `${name} betas [1, 0.999]`,
    ArgumentError,
    re(`^${name}: betas\\[0\\] must be a number in \\[0, 1\\), got 1$`),
    () => new optimizers[name](weights(), { betas: [1, 0.999] }),
  );
  add(
    `${name} betas [0.9, -0.1]`,
    ArgumentError,
    re(`^${name}: betas\\[1\\] must be a number in \\[0, 1\\), got -0\\.1$`),
    () => new optimizers[name](weights(), { betas: [0.9, -0.1] }),
  );
  add(
    `${name} betas [0.9, 1]`,
    ArgumentError,
    re(`^${name}: betas\\[1\\] must be a number in \\[0, 1\\), got 1$`),
    () => new optimizers[name](weights(), { betas: [0.9, 1] }),
  );
  add(
    `${name} eps 0`,
    ArgumentError,
    re(`^${name}: eps must be a finite number > 0, got 0$`),
    () => new optimizers[name](weights(), { eps: 0 }),
  );
  add(
    `${name} eps -1e-8`,
    ArgumentError,
    re(`^${name}: eps must be a finite number > 0, got -1e-8$`),
    () => new optimizers[name](weights(), { eps: -1e-8 }),
  );
}
for (const name of ['SGD', 'Adam', 'RMSprop']) {
  add(
    `${name} weightDecay -1`,
    ArgumentError,
    re(`^${name}: weightDecay must be a finite number ≥ 0, got -1$`),
    () => new optimizers[name](weights(), { weightDecay: -1 }),
  );
}
for (const name of ['SGD', 'RMSprop']) {
  add(
    `${name} momentum -0.5`,
    ArgumentError,
    re(`^${name}: momentum must be a finite number ≥ 0, got -0\\.5$`),
    () => new optimizers[name](weights(), { momentum: -0.5 }),
  );
}
add(
  'RMSprop eps 0',
  ArgumentError,
  re('^RMSprop: eps must be a finite number > 0, got 0$'),
  () => new optimizers.RMSprop(weights(), { eps: 0 }),
);
add(
  "Adam option 'weight_decay'",
  ArgumentError,
  re("^Adam: unknown option 'weight_decay'"),
  () => new optimizers.Adam(weights(), { weight_decay: 0.1 }),
);

describe('bad input never gets through', () => {
  afterAll(() => rmSync(csvDir, { recursive: true }));

  it('has at least 250 rows with unique names', () => {
    expect(rows.length).toBeGreaterThanOrEqual(250);
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
  });

  it.each(rows.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    let thrown: unknown;
    let result: unknown;
    try {
      result = row.run();
    } catch (e) {
      thrown = e;
    }
    expect(thrown, `returned ${String(result)} instead of throwing`).toBeDefined();
    expect(thrown).toBeInstanceOf(BackpropError);
    expect((thrown as Error).constructor, (thrown as Error).message).toBe(row.error);
    expect((thrown as Error).message).toMatch(row.message);
    expect((thrown as Error).message).not.toContain('\n');
  });
});
