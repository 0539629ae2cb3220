import { describeBackendConformance, fusedCases, matmulCases, softmaxCases } from '@backprop/conformance';
import { cpuBackend } from '../src/index.js';

// The conformance suite's matmul, softmax and fused-kernel families again with the worker pool on,
// for 2 and 3 threads: with minWorkPerThread 0 every product and every softmax over rows, however
// small, is split across the threads, so the shares' edges (a share of one tile or row, a thread
// left without a share) are exercised. The other families never reach the pool, so they run once,
// in conformance.test.ts.
for (const threads of [2, 3])
  describeBackendConformance(`cpu, ${threads} threads`, () => cpuBackend({ threads, minWorkPerThread: 0 }), {
    builtinCases: false,
    extraCases: [
      { name: 'matmul', cases: matmulCases },
      { name: 'softmax', cases: softmaxCases },
      { name: 'fused', cases: fusedCases },
    ],
  });
