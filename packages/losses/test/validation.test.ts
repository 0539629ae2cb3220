import { ArgumentError, DTypeError, ShapeError, tensor, zeros } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import './setup.js';
import { bce, CrossEntropyLoss, crossEntropy, huber, klDiv, MSELoss, mse, nll } from '../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: deliberately ill-typed calls, as JavaScript callers make them
const bad = (v: unknown): any => v;

describe('loss options are checked by name and type', () => {
  const x = zeros([2, 3]);
  const labels = tensor([0, 2], { dtype: 'int32' });

  it.each(['avg', 'MEAN', 'elementwise_mean', 1, null])(
    'reduction %j is refused, listing the valid ones',
    (r) => {
      expect(() => mse(x, x, { reduction: bad(r) })).toThrow(
        /mse: reduction must be 'mean', 'sum', 'none'; got /,
      );
    },
  );

  it('refuses misspelt or legacy option names instead of ignoring them', () => {
    expect(() => mse(x, x, bad({ reduce: 'sum' }))).toThrow(
      /mse: unknown option 'reduce' \(expected 'reduction'\)/,
    );
    expect(() => new MSELoss(bad({ reduction: 'avg' }))).toThrow(/MSELoss: reduction must be/);
    expect(() => new CrossEntropyLoss(bad({ ignore_index: 0 }))).toThrow(
      /CrossEntropyLoss: unknown option 'ignore_index'/,
    );
    expect(() => mse(x, x, bad('sum'))).toThrow(/mse: options must be an object, got "sum"/);
  });

  it('checks scalar options, weights and tensor arguments', () => {
    expect(() => huber(x, x, { delta: Number.NaN })).toThrow(
      /huber: delta must be a finite number > 0, got NaN/,
    );
    expect(() => crossEntropy(x, labels, { ignoreIndex: 0.5 })).toThrow(
      /crossEntropy: ignoreIndex must be an integer/,
    );
    expect(() => crossEntropy(x, labels, { labelSmoothing: bad('0.1') })).toThrow(
      /labelSmoothing must be in \[0, 1\]/,
    );
    expect(() => crossEntropy(x, labels, { weight: bad([1, 1, 1]) })).toThrow(
      /crossEntropy: weight must be a Tensor or null/,
    );
    expect(() => mse(x, bad([[0, 0, 0]]))).toThrow(/mse: target must be a Tensor, got \[\[0, 0, 0\]\]/);
    expect(() => nll(bad(null), labels)).toThrow(ArgumentError);
    expect(() => klDiv(x, x, bad({ logTarget: 'yes' }))).toThrow(/klDiv: logTarget must be true or false/);
  });

  it('keeps the existing class-index, dtype and shape checks', () => {
    expect(() => crossEntropy(x, tensor([0, 3], { dtype: 'int32' }))).toThrow(
      /crossEntropy: target class 3 at position 1 is out of range \(expected 0\.\.2 or ignoreIndex -100\)/,
    );
    expect(() => nll(x, tensor([0, 1]))).toThrow(DTypeError);
    expect(() => crossEntropy(x, tensor([0, 1, 2], { dtype: 'int32' }))).toThrow(ShapeError);
    expect(() => bce(tensor([1.5]), tensor([1]))).toThrow(
      /bce: input must hold probabilities in \[0, 1\]; element 0 is 1\.5/,
    );
  });
});
