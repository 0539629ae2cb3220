import type { Tensor } from '@backprop/core';
import { expect } from 'vitest';

/** Compares a tensor (or number) with float64 expectations at float32 tolerance. */
export function expectClose(
  actual: Tensor | number,
  expected: number | number[],
  atol = 1e-5,
  rtol = 1e-5,
): void {
  const got = typeof actual === 'number' ? [actual] : Array.from(actual.dataSync());
  const want = typeof expected === 'number' ? [expected] : expected;
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i];
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) {
      throw new Error(`element ${i}: got ${g}, expected ${w} (|diff| ${Math.abs(g - w)})`);
    }
  });
}
