/** The baseline: a naive i-k-j triple loop over Float32Arrays (issue #2's reference point). */
import { caseArgs, naiveMatmul, runCase, timeMatmul } from '../common.js';

const { quick } = caseArgs();
await runCase({ case: 'matmul-naive', library: 'naive i-k-j', benchmark: 'matmul' }, async () => {
  const matmul = await timeMatmul(quick, async (n, a, b) => ({ run: () => naiveMatmul(a, b, n) }));
  return { matmul, notes: ['plain TypeScript i-k-j loop, Float32Array in and out'] };
});
