import { describe, expect, it } from 'vitest';
import './setup-backend.js';
import {
  ArgumentError,
  add,
  arange,
  cast,
  concat,
  DTypeError,
  eye,
  fromArray,
  full,
  Generator,
  linear,
  linspace,
  manualSeed,
  ones,
  rand,
  randint,
  randn,
  reshape,
  ShapeError,
  setRngState,
  slice,
  sum,
  tensor,
  variance,
  zeros,
} from '../src/index.js';

// Deliberately ill-typed calls, as a JavaScript caller (or a parsed config) would make them.
// biome-ignore lint/suspicious/noExplicitAny: the point is to pass what the types forbid
const bad = (v: unknown): any => v;

describe('dtype names are checked in one place', () => {
  it.each(['float64', 'int64', 'FLOAT32', 'float16', ''])(
    '%j is a DTypeError listing the supported dtypes',
    (dtype) => {
      expect(() => tensor([1, 2], { dtype: bad(dtype) })).toThrow(DTypeError);
      expect(() => tensor([1, 2], { dtype: bad(dtype) })).toThrow(
        /tensor: unknown dtype .* \(expected one of 'float32', 'int32', 'bool'\)/,
      );
    },
  );

  it('covers cast, zeros, arange and fromArray too', () => {
    expect(() => cast(ones([2]), bad('float16'))).toThrow(/cast: unknown dtype "float16"/);
    expect(() => zeros([2], { dtype: bad('double') })).toThrow(/zeros: unknown dtype "double"/);
    expect(() => arange(0, 3, 1, { dtype: bad('uint8') })).toThrow(/arange: unknown dtype "uint8"/);
    expect(() => fromArray([1], [1], { dtype: bad(3) })).toThrow(/fromArray: unknown dtype 3/);
  });
});

describe('values must fit their dtype exactly', () => {
  it('refuses int32 values that would wrap or truncate', () => {
    expect(() => tensor([3e9], { dtype: 'int32' })).toThrow(
      /tensor: value 3000000000 is outside the int32 range.*-2147483648\.\.2147483647/,
    );
    expect(() => tensor([1, 2.5], { dtype: 'int32' })).toThrow(/value at index 1 2\.5 is not an integer/);
    expect(() => tensor([Number.NaN], { dtype: 'int32' })).toThrow(ArgumentError);
    expect(() => full([2], 2 ** 31, { dtype: 'int32' })).toThrow(/full: value 2147483648/);
    expect(() => arange(0, 1, 0.5, { dtype: 'int32' })).toThrow(/arange: value at index 1 0\.5/);
  });

  it('keeps the int32 limits themselves', () => {
    expect(tensor([-(2 ** 31), 2 ** 31 - 1], { dtype: 'int32' }).arraySync()).toEqual([
      -(2 ** 31),
      2 ** 31 - 1,
    ]);
  });

  it('takes only 0 and 1 (or booleans) as bool', () => {
    expect(() => tensor([0, 2], { dtype: 'bool' })).toThrow(/value at index 1 2 is not 0 or 1/);
    expect(tensor([true, false]).arraySync()).toEqual([1, 0]);
  });

  it('refuses non-numbers in flat arrays', () => {
    expect(() => fromArray(bad(['a', 1]), [2])).toThrow(
      /fromArray: value at index 0 "a" \(string\) is not a number/,
    );
  });
});

describe('operands are coerced in one place, never to NaN', () => {
  it('refuses strings, plain arrays, null and booleans', () => {
    expect(() => add(ones([2]), bad('a'))).toThrow(
      /add: second operand must be a Tensor or a number, got "a" \(string\)/,
    );
    expect(() => add(bad([1, 2]), ones([2]))).toThrow(
      /add: first operand .* got \[1, 2\] \(array\).*tensor\(/,
    );
    expect(() => ones([2]).mul(bad(null))).toThrow(ArgumentError);
    expect(() => ones([2]).gt(bad(true))).toThrow(/gt: second operand/);
  });

  it('computes an int32 tensor plus an out-of-range integer in float32 instead of wrapping', () => {
    const out = add(tensor([256], { dtype: 'int32' }), 3e9);
    expect(out.dtype).toBe('float32');
    expect(out.arraySync()).toEqual([3000000256]);
  });

  it('refuses non-tensors where an op needs a tensor, naming the op', () => {
    expect(() => sum(bad('x'))).toThrow(/sum: input must be a Tensor, got "x" \(string\)/);
    expect(() => ones([2]).matmul(bad([[1], [2]]))).toThrow(/matmul: second operand must be a Tensor/);
    expect(() => concat([ones([2]), bad(3)])).toThrow(/concat: tensor 1 must be a Tensor, got 3/);
  });
});

describe('shapes, axes and numbers', () => {
  it('shapes are arrays of non-negative integers of a size a tensor can hold', () => {
    expect(() => zeros(bad(3))).toThrow(
      new ShapeError('zeros: shape must be an array of non-negative integers (e.g. [2, 3]), got 3'),
    );
    expect(() => zeros([2 ** 40])).toThrow(
      /zeros: shape \[1099511627776\] has 1099511627776 elements.*at most 2147483647/,
    );
    expect(() => ones([2, bad('3')])).toThrow(
      /ones: shape \[2, "3" \(string\)\] must hold non-negative integers/,
    );
    expect(() => reshape(ones([6]), bad(6))).toThrow(ShapeError);
  });

  it('axis arguments are integers or arrays of them', () => {
    expect(() => sum(ones([2, 3]), bad('1'))).toThrow(
      /sum: axis must be an integer, an array of integers or undefined \(all axes\), got "1" \(string\)/,
    );
    expect(() => ones([2, 3]).softmax(1.5)).toThrow(/softmax: axis must be an integer in -2\.\.1.*got 1\.5/);
  });

  it('options are objects of known keys with the right types', () => {
    expect(() => tensor([1], bad('int32'))).toThrow(
      /tensor: options must be an object, got "int32" \(string\)/,
    );
    expect(() => zeros([2], bad({ dtpye: 'int32' }))).toThrow(/zeros: unknown option 'dtpye'/);
    expect(() => sum(ones([2]), 0, bad({ keepDims: 'yes' }))).toThrow(/sum: keepDims must be true or false/);
    expect(() => variance(ones([3]), 0, { correction: -1 })).toThrow(
      /var: correction must be a finite number >= 0/,
    );
  });

  it('creation ops refuse infinite or inverted ranges', () => {
    expect(() => arange(0, Number.POSITIVE_INFINITY)).toThrow(
      /arange: end must be a finite number, got Infinity/,
    );
    expect(() => arange(0, 2 ** 32, 1)).toThrow(
      /arange: .* has 4294967296 values, more than a tensor can hold/,
    );
    expect(() => linspace(0, 1, 2.5)).toThrow(/linspace: steps must be an integer >= 0/);
    expect(() => eye(-1)).toThrow(/eye: n must be an integer >= 0, got -1/);
    expect(() => rand([2], { low: 2, high: 1 })).toThrow(
      /rand: low 2 is greater than high 1 \(expected low <= high\)/,
    );
    expect(() => randn([2], { std: -1 })).toThrow(/randn: std must be a finite number >= 0, got -1/);
    expect(() => rand([2], { dtype: 'int32' })).toThrow(/rand: draws float32 values, got dtype 'int32'/);
    expect(() => randint(0, 2 ** 32, [2])).toThrow(/randint: high must be a number <= 2147483648/);
  });

  it('slices, activations, seeds and generator states are checked', () => {
    expect(() => slice(ones([4]), [[0.5, 2]])).toThrow(
      /slice: range \[0\.5, 2\] \(array\) on axis 0 must hold integers/,
    );
    expect(() => linear(ones([2, 3]), ones([4, 3]), null, bad('gelu'))).toThrow(
      /linear: unknown activation "gelu" \(string\) \(expected one of 'none', 'relu', 'sigmoid', 'tanh'\)/,
    );
    expect(() => manualSeed(bad('abc'))).toThrow(/seed must be a safe integer, got "abc"/);
    expect(() => setRngState(bad({}))).toThrow(
      /setRngState: state must be \{ s: \[four 32-bit unsigned integers/,
    );
    expect(() => new Generator().setState({ s: [0, 0, 0, 0] })).toThrow(ArgumentError);
  });
});

describe('full converts its fill value as cast does, but never wraps', () => {
  it('truncates toward zero for int32 and refuses values out of range or without an integer value', () => {
    expect(full([2], -2.7, { dtype: 'int32' }).arraySync()).toEqual([-2, -2]);
    expect(() => full([2], Number.NaN, { dtype: 'int32' })).toThrow(
      /full: value must be a finite number, got NaN/,
    );
    expect(() => full([2], 'a' as unknown as number)).toThrow(/full: value "a" \(string\) is not a number/);
    expect(Number.isNaN(full([1], Number.NaN).item())).toBe(true);
  });
});
