import * as core from '@backprop/core';
import { type Backend, memory, registerBackend, setBackend } from '@backprop/core';
import { ENGINE } from '@backprop/core/backend';
import { afterAll, beforeAll, describe, it, type TestContext } from 'vitest';
import { captureError, captureErrorOnRead, ERROR_CASES, errorMismatch } from './checks/errors.js';
import {
  checkForward,
  checkFused,
  checkGradcheck,
  checkMemory,
  checkReferenceGrad,
  compareOutputs,
  hasGrad,
  hasKernel,
} from './checks/op-checks.js';
import { checkStorageReuse } from './checks/storage.js';
import { checkTraining } from './checks/training.js';
import { OP_TABLES } from './ops-table/index.js';
import { NOTES_SOFTMAX_INPUT, NOTES_SOFTMAX_OUTPUT } from './ops-table/softmax.js';
import { tolerancesFor } from './tolerance.js';
import type { CaseTable, ConformanceOptions, OpCase, Sample, ToleranceConfig } from './types.js';

let suiteCounter = 0;

/**
 * Wraps the backend so it answers to the suite's unique registration name: tensors report
 * `backend.name` as their device and core looks devices up by registered name, so the two must
 * agree. Every kernel is the backend's own, called on the backend itself; absent optional kernels
 * stay absent.
 */
function renamed(backend: Backend, name: string): Backend {
  return new Proxy(backend, {
    get(target, key) {
      if (key === 'name') return name;
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function normalizeTables(extra: ConformanceOptions['extraCases'], builtin: boolean): CaseTable[] {
  const tables: CaseTable[] = builtin ? [...OP_TABLES] : [];
  const loose: OpCase[] = [];
  for (const item of extra ?? []) {
    if ('cases' in item) tables.push(item);
    else loose.push(item);
  }
  if (loose.length > 0) tables.push({ name: 'extra', cases: loose });
  return tables;
}

/**
 * Defines the conformance suite for a backend as vitest `describe`/`it` blocks: call it at the
 * top level of a backend package's test file.
 *
 * The backend is registered under a unique name and made active in `beforeAll`. Every op case runs
 * its forward check against the float64 reference; differentiable cases check gradients against
 * float32 central differences (core's gradcheck) and against a float64 reference gradient; every
 * case checks memory; fused kernels the backend offers are checked against core's composition;
 * error parity and a short seeded training run close the suite. Skips given in `options.skip`
 * appear as skipped tests with their reason.
 *
 * @example
 * describeBackendConformance('cpu', () => cpuBackend(), { skip: { 'matmul/forward/256x256': 'too slow here' } });
 */
export function describeBackendConformance(
  name: string,
  factory: () => Backend | Promise<Backend>,
  options: ConformanceOptions = {},
): void {
  const registered = `conformance-${name}-${++suiteCounter}`;
  const skips = new Map(Object.entries(options.skip ?? {}));
  const usedSkips = new Set<string>();
  const builtin = options.builtinCases ?? true;
  const tables = normalizeTables(options.extraCases, builtin);
  let backend: Backend | null = null;
  let tolerances: ToleranceConfig = tolerancesFor(32);

  /** The reason a test is skipped: the most specific matching key. */
  const skipReason = (...keys: string[]): string | null => {
    for (const key of [...keys].reverse()) {
      const reason = skips.get(key);
      if (reason !== undefined) {
        usedSkips.add(key);
        return reason;
      }
    }
    return null;
  };

  /** `it`, or `it.skip` with the reason in the title when a skip key matches. */
  const test = (title: string, keys: string[], fn: (ctx: TestContext) => void | Promise<void>): void => {
    const reason = skipReason(...keys);
    if (reason !== null) it.skip(`${title} [skipped: ${reason}]`, () => {});
    else it(title, fn);
  };

  describe(`backend conformance: ${name}`, () => {
    beforeAll(async () => {
      registerBackend(registered, async () => renamed(await factory(), registered), 0);
      await setBackend(registered);
      backend = ENGINE.activeBackend();
      const base = tolerancesFor(backend.floatPrecision());
      tolerances = { ...base, ...options.tolerance };
    });

    afterAll(() => {
      ENGINE.removeBackend(registered, true);
    });

    for (const table of tables) {
      describe(table.name, () => {
        for (const c of table.cases) describeCase(c, table.name);
      });
    }

    function describeCase(c: OpCase, family: string): void {
      const samples = c.samples.filter((s: Sample) => options.extended || !s.extended);
      describe(c.name, () => {
        for (const s of samples) {
          test(
            `forward: ${s.name}`,
            ['forward', family, c.name, `${c.name}/forward`, `${c.name}/forward/${s.name}`],
            () => checkForward(c, s, tolerances),
          );
        }
        for (const s of samples.filter((x) => hasGrad(c, x))) {
          if (s.gradcheck ?? true) {
            test(
              `gradcheck: ${s.name}`,
              ['gradcheck', family, c.name, `${c.name}/gradcheck`, `${c.name}/gradcheck/${s.name}`],
              () => checkGradcheck(c, s, tolerances),
            );
          }
          test(
            `gradient vs float64 reference: ${s.name}`,
            ['grad', family, c.name, `${c.name}/grad`, `${c.name}/grad/${s.name}`],
            () => checkReferenceGrad(c, s, tolerances),
          );
        }
        if (c.memory ?? true) {
          const sample =
            samples.find((x) => hasGrad(c, x)) ??
            samples.find((x) => !x.inputs.some((i) => i.shape.includes(256)));
          if (sample) {
            test(
              `memory: forward${hasGrad(c, sample) ? ' and backward' : ''} inside tidy (${sample.name})`,
              ['memory', family, c.name, `${c.name}/memory`],
              () => checkMemory(c, sample, registered, hasGrad(c, sample)),
            );
          }
        }
        if (c.fused) {
          const kernel = c.fused.kernel;
          for (const s of samples) {
            test(
              `fused ${kernel} kernel matches core's composition: ${s.name}`,
              ['fused', family, c.name, `${c.name}/fused`, `${c.name}/fused/${s.name}`],
              async (ctx) => {
                if (!backend || !hasKernel(backend, kernel)) {
                  // Reported, not silent: without the kernel core composes required ones, which the forward checks ran.
                  ctx.skip(`the backend has no fused ${kernel} kernel`);
                  return;
                }
                await checkFused(c, s, tolerances);
              },
            );
          }
        }
      });
    }

    if (builtin) {
      describe('softmax: the study notes', () => {
        test(
          `softmax(${JSON.stringify(NOTES_SOFTMAX_INPUT)}) prints the notes' values`,
          ['softmax', 'softmax/notes'],
          async () => {
            const x = core.tensor(NOTES_SOFTMAX_INPUT);
            const y = core.softmax(x);
            try {
              const expected = {
                shape: [3, 3],
                data: Float64Array.from(NOTES_SOFTMAX_OUTPUT.flat()),
                dtype: 'float32' as const,
              };
              // The notes print 9 significant digits; float32 keeps about 7.
              await compareOutputs(
                [y],
                [expected],
                { atol: tolerances.forward.atol * 1e-3, rtol: tolerances.forward.rtol * 0.1 },
                'notes softmax',
              );
            } finally {
              x.dispose();
              y.dispose();
            }
          },
        );
        test(
          'softmax and logSoftmax of logits ±1e4 are finite, with finite gradients',
          ['softmax', 'softmax/huge'],
          async () => {
            for (const op of [core.softmax, core.logSoftmax]) {
              const x = core.tensor(
                [
                  [1e4, -1e4, 0],
                  [-1e4, -1e4, -1e4],
                  [1e4, 1e4, 9999],
                ],
                { requiresGrad: true },
              );
              const out = core.tidy(() => {
                const y = op(x);
                core.backward(
                  core.sum(
                    core.mul(
                      y,
                      core.tensor([
                        [1, 2, 3],
                        [4, 5, 6],
                        [7, 8, 9],
                      ]),
                    ),
                  ),
                );
                return core.detach(y);
              });
              const values = [...(await out.data()), ...(await x.grad!.data())];
              out.dispose();
              x.dispose();
              if (!values.every(Number.isFinite))
                throw new Error(`${op.name}: non-finite values for logits ±1e4: ${values.join(', ')}`);
            }
          },
        );
      });
    }

    const errorCases = [...(builtin ? ERROR_CASES : []), ...(options.extraErrorCases ?? [])];
    if (errorCases.length > 0) {
      describe('errors', () => {
        for (const c of errorCases) {
          test(`${c.name} throws ${c.error}`, ['errors', `errors/${c.name}`], async (ctx) => {
            const onRead = backend?.readsAsyncOnly === true;
            if (c.needsCheapRead && backend?.syncReadIsCheap !== true && !onRead)
              return ctx.skip('core checks values only where syncReadIsCheap or readsAsyncOnly');
            const before = memory().numTensors;
            const problem = errorMismatch(c, onRead ? await captureErrorOnRead(c) : captureError(c));
            if (problem) throw new Error(problem);
            const leaked = memory().numTensors - before;
            if (leaked !== 0) throw new Error(`${c.name}: ${leaked} tensors leaked`);
          });
        }
      });
    }

    if (builtin) {
      describe('training', () => {
        test(
          'a seeded MLP trains to the float64 reference losses with a constant tensor count',
          ['training'],
          () => checkTraining(tolerances, registered),
        );
      });
      describe('storage', () => {
        test(
          'fromArray gives every tensor its own values while batches are made and disposed',
          ['storage'],
          () => checkStorageReuse(),
        );
      });
    }

    describe('suite', () => {
      it('every skip key matches a test', () => {
        const stale = [...skips.keys()].filter((k) => !usedSkips.has(k));
        if (stale.length > 0) throw new Error(`skip keys that match no test: ${stale.join(', ')}`);
      });
    });
  });
}
