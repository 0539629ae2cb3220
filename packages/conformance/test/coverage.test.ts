import * as core from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { ALL_CASES, ERROR_CASES, OP_TABLES } from '../src/index.js';

/** Core exports that are not ops on tensors: the engine, autograd machinery, dtype/shape helpers, RNG state. */
const NOT_OPS = new Set([
  'registerBackend',
  'setBackend',
  'initBackend',
  'getBackend',
  'listBackends',
  'memory',
  'tidy',
  'keep',
  'dispose',
  'isGradEnabled',
  'noGrad',
  'enableGrad',
  'backward',
  'grad',
  'valueAndGrad',
  'gradcheck',
  'gradcheckAsync',
  'composite',
  'bytesPerElement',
  'allocArray',
  'toDTypeArray',
  'promoteTypes',
  'isFloat',
  'sizeOf',
  'stridesOf',
  'formatShape',
  'shapesEqual',
  'assertValidShape',
  'broadcastShapes',
  'normalizeAxis',
  'normalizeAxes',
  'manualSeed',
  'getRngState',
  'setRngState',
  'sumToShape',
  'readIfCheap',
  // Argument checks for the packages built on core.
  'describeValue',
  'checkOptions',
  'checkBoolean',
  'assertIndices',
  'to',
  'toAsync',
  // Plain booleans read back from the device, tested in core (their tensor half, isclose, has a case).
  'allclose',
  'allcloseAsync',
]);

describe('the op table', () => {
  it('has a case for every op core exports', () => {
    const covered = new Set(ALL_CASES.flatMap((c) => c.ops));
    const ops = Object.entries(core)
      .filter(([name, value]) => typeof value === 'function' && /^[a-z]/.test(name) && !NOT_OPS.has(name))
      .map(([name]) => name);
    expect(ops.filter((name) => !covered.has(name))).toEqual([]);
  });

  it('has unique case names and unique sample names within each case', () => {
    const names = ALL_CASES.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of ALL_CASES) {
      const samples = c.samples.map((s) => s.name);
      expect(new Set(samples).size, c.name).toBe(samples.length);
    }
  });

  it('covers every family the brief names', () => {
    expect(OP_TABLES.map((t) => t.name)).toEqual([
      'arithmetic',
      'unary',
      'activation',
      'compare',
      'reduce',
      'movement',
      'join/slice',
      'gather',
      'matmul',
      'conv',
      'softmax',
      'fused',
      'creation',
      'cast',
      'indexing',
      'order',
      'math',
      'logic',
      'einsum',
    ]);
    expect(ERROR_CASES.length).toBeGreaterThan(40);
  });
});
