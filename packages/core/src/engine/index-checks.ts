/**
 * Index range checks for backends that read back only asynchronously (WebGPU), where an op cannot
 * look at its indices before it returns. The op computes the indices' minimum and maximum on the
 * device instead and leaves the check with the indices; every tensor a kernel makes from them (and
 * from those, onwards) holds it, and reading any of them with `await t.data()` reads the two
 * numbers first and rejects with the ArgumentError a synchronous backend throws at once, like a
 * device-side assert reported at the next synchronisation. A check that passed is dropped; one
 * whose holders are all disposed unread is freed unread.
 */
import { ArgumentError } from '../errors.js';

/** What this module needs of a tensor (it sits below `tensor.ts`, which calls it). */
interface Tensor {
  data(): Promise<ArrayLike<number>>;
  dispose(): void;
}

/** The message of an out-of-range index, the same on every backend. */
export function indexRangeMessage(op: string, index: number, size: number, axis: number): string {
  return `${op}: index ${index} is out of range for axis ${axis} of size ${size} (expected 0..${size - 1})`;
}

class IndexCheck {
  private holders = 0;
  private verdict: Promise<void> | null = null;
  private reading = false;
  /** True once the read found every index in range. */
  passed = false;

  constructor(
    readonly op: string,
    readonly size: number,
    readonly axis: number,
    /** int32 [2]: the indices' minimum and maximum, kept out of every `tidy` scope. */
    private bounds: Tensor | null,
  ) {}

  hold(): void {
    this.holders++;
  }

  release(): void {
    if (--this.holders === 0 && !this.reading) this.free();
  }

  verify(): Promise<void> {
    if (this.verdict) return this.verdict;
    const bounds = this.bounds as Tensor;
    this.reading = true;
    this.verdict = bounds.data().then(
      (values) => {
        this.settle();
        const [lo, hi] = [values[0], values[1]];
        const bad = lo < 0 ? lo : hi >= this.size ? hi : null;
        if (bad !== null) throw new ArgumentError(indexRangeMessage(this.op, bad, this.size, this.axis));
        this.passed = true;
      },
      (e: unknown) => {
        this.settle();
        throw e;
      },
    );
    return this.verdict;
  }

  private settle(): void {
    this.reading = false;
    this.free();
  }

  private free(): void {
    this.bounds?.dispose();
    this.bounds = null;
    live.delete(this);
  }
}

/** Checks whose bounds are still on the device: when none are, kernels skip the bookkeeping. */
const live = new Set<IndexCheck>();
/** Checks left with indices: passed on to what kernels make from them, not reported on their own reads. */
const carried = new WeakMap<Tensor, IndexCheck[]>();
/** Checks a tensor reports when it is read. */
const pending = new WeakMap<Tensor, IndexCheck[]>();

/**
 * Leaves a range check of `indices` (in [0, size)) with them, from `bounds()`: an int32 [2] tensor
 * of their minimum and maximum, made unless an identical check is already there.
 */
export function carryIndexCheck(
  indices: Tensor,
  op: string,
  size: number,
  axis: number,
  bounds: () => Tensor,
): void {
  const checks = carried.get(indices) ?? [];
  if (checks.some((c) => c.op === op && c.size === size && c.axis === axis)) return;
  const check = new IndexCheck(op, size, axis, bounds());
  live.add(check);
  check.hold();
  carried.set(indices, [...checks, check]);
}

/** Gives `out`, made by a kernel (or as a view) from `inputs`, the checks they hold. Returns `out`. */
export function inheritIndexChecks<T extends Tensor>(out: T, inputs: readonly Tensor[]): T {
  if (live.size === 0) return out;
  const checks = new Set<IndexCheck>();
  for (const t of inputs)
    for (const map of [carried, pending]) for (const c of map.get(t) ?? []) if (!c.passed) checks.add(c);
  if (checks.size === 0) return out;
  for (const c of checks) c.hold();
  pending.set(out, [...checks]);
  return out;
}

/** Reads the checks `t` reports; null when it has none (so a plain read takes no extra step). */
export function verifyIndexChecks(t: Tensor): Promise<void> | null {
  const checks = pending.get(t)?.filter((c) => !c.passed);
  if (!checks || checks.length === 0) return null;
  return Promise.all(checks.map((c) => c.verify())).then(() => undefined);
}

/** Lets go of the checks `t` holds (it is being disposed). */
export function releaseIndexChecks(t: Tensor): void {
  for (const map of [carried, pending]) {
    const checks = map.get(t);
    if (!checks) continue;
    map.delete(t);
    for (const c of checks) c.release();
  }
}
