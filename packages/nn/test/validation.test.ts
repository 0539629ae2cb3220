import { ArgumentError, ShapeError, tensor, zeros } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import './setup.js';
import {
  BatchNorm1d,
  Dropout,
  Embedding,
  F,
  GELU,
  init,
  LayerNorm,
  LeakyReLU,
  Linear,
  mlp,
  Softplus,
} from '../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: deliberately ill-typed calls, as JavaScript callers make them
const bad = (v: unknown): any => v;

describe('layer constructors refuse bad sizes and arguments', () => {
  it.each([0, -1, 2.5, Number.NaN, '3', null])('Linear(%j, 2) is an ArgumentError naming inFeatures', (n) => {
    expect(() => new Linear(bad(n), 2)).toThrow(ArgumentError);
    expect(() => new Linear(bad(n), 2)).toThrow(/Linear: inFeatures must be a positive integer, got /);
  });

  it('checks options, probabilities, eps and activation arguments', () => {
    expect(() => new Linear(2, 2, bad({ bais: false }))).toThrow(/Linear: unknown option 'bais'/);
    expect(() => new Linear(2, 2, { bias: bad('no') })).toThrow(
      /Linear: bias must be true or false, got "no"/,
    );
    expect(() => new Dropout(bad('0.5'))).toThrow(/Dropout: p must be in \[0, 1\], got "0\.5" \(string\)/);
    expect(() => new LayerNorm(4, { eps: 0 })).toThrow(/LayerNorm: eps must be a finite number > 0, got 0/);
    expect(() => new BatchNorm1d(4, { momentum: Number.NaN })).toThrow(
      /momentum must be in \[0, 1\] or null/,
    );
    expect(() => new Embedding(10, 4, { paddingIdx: 1.5 })).toThrow(
      /Embedding: paddingIdx must be an integer/,
    );
    expect(() => new LeakyReLU(Number.POSITIVE_INFINITY)).toThrow(
      /LeakyReLU: negativeSlope must be a finite number/,
    );
    expect(() => new GELU(bad('erf'))).toThrow(/GELU: approximate must be one of 'none', 'tanh', got "erf"/);
    expect(() => new Softplus(-1)).toThrow(/Softplus: beta must be a finite number > 0, got -1/);
    expect(() => F.elu(zeros([2]), Number.NaN)).toThrow(/elu: alpha must be a finite number, got NaN/);
    expect(() => F.linear(bad([1, 2]), zeros([2, 2]))).toThrow(
      /linear: input must be a Tensor, got \[1, 2\]/,
    );
    expect(() => mlp({ sizes: [2, 0, 1] })).toThrow(/mlp: sizes\[1\] must be a positive integer, got 0/);
    expect(() => mlp({ sizes: [2, 1], norm: bad('group') })).toThrow(
      /mlp: norm must be one of 'none', 'batch', 'layer'/,
    );
    expect(() => init.uniform(zeros([2]), 0, Number.POSITIVE_INFINITY)).toThrow(
      /init\.uniform: high must be a finite number/,
    );
  });
});

describe('loadStateDict trusts nothing', () => {
  it.each([null, undefined, 'weights', 3, [1, 2]])('refuses %j as a state dict', (dict) => {
    const m = new Linear(2, 1);
    expect(() => m.loadStateDict(bad(dict))).toThrow(ArgumentError);
    expect(() => m.loadStateDict(bad(dict))).toThrow(/loadStateDict \(Linear\): expected a state dict/);
  });

  it('refuses values that are not tensors, wrong shapes, unknown options and (when asked) non-finite values', () => {
    const m = new Linear(2, 1);
    const sd = m.stateDict();
    expect(() => m.loadStateDict({ ...sd, bias: bad(undefined) })).toThrow(
      /values that are not tensors: bias: expected a tensor, got undefined/,
    );
    expect(() => m.loadStateDict({ ...sd, weight: zeros([1, 3]) })).toThrow(ShapeError);
    expect(() => m.loadStateDict(sd, bad({ strcit: true }))).toThrow(/unknown option 'strcit'/);
    const nan = tensor([[Number.NaN, 1]]);
    expect(() => m.loadStateDict({ ...sd, weight: nan }, { requireFinite: true })).toThrow(
      /non-finite values \(expected finite numbers\): weight holds NaN at element 0/,
    );
    const before = m.weight.arraySync();
    m.loadStateDict({ ...sd, weight: nan }); // PyTorch's default: values are taken as they are
    expect(Number.isNaN((m.weight.arraySync() as number[][])[0][0])).toBe(true);
    expect(before).not.toEqual(m.weight.arraySync());
  });
});
