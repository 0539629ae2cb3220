/**
 * Helpers that write gpu.js kernel sources. Every kernel works on flat, dense, row-major data: its
 * output is 1-D (`this.thread.x` is the flat output index) and inputs are read with generated index
 * math. Sizes and strides are scalar arguments (`Params`), not literals: the source holds only a
 * kernel's structure (its op, dtypes, rank once dims are merged, which inputs broadcast where), so
 * one compiled kernel serves every shape of that structure and a new batch size or sequence length
 * compiles nothing. The backend caches kernels by their source.
 *
 * Index math runs in float arithmetic on exact integers: every index, coordinate and product stays
 * an integer of at most 2^24 (exact in float32, which is why a tensor may hold at most
 * `MAX_ELEMENTS`). Divisions are approximate on some GPUs, so each quotient is corrected from its
 * exact remainder rather than trusted.
 */
import type { Shape } from '@backprop/core';

/** The most elements one tensor may hold: float32 index arithmetic is exact up to 2^24. */
export const MAX_ELEMENTS = 2 ** 24;

/** Lines declaring the float `t` = the flat output index (exact: the index is at most 2^24). */
export const THREAD_INDEX: readonly string[] = ['let t = 0.5;', 't = this.thread.x;'];

/** A number as a kernel-source literal. */
export function lit(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`gpujs codegen: ${n} cannot be a literal`);
  const s = String(n);
  return s.includes('e') ? n.toFixed(20).replace(/0+$/, '') : s;
}

/**
 * The sizes and strides a kernel reads as scalar arguments (uniforms on GL), named `p0`, `p1`, …
 * in its source after the tensor arguments. Keeping them out of the source is what lets one
 * compiled kernel serve every shape of the same structure.
 */
export class Params {
  readonly values: number[] = [];

  /** Adds `value` as the next scalar argument and returns its name in the source. */
  add(value: number): string {
    this.values.push(value);
    return `p${this.values.length - 1}`;
  }

  /**
   * `value` as a source expression: `0` and `1` stay literals (a zero term is dropped, a unit
   * coefficient multiplies nothing), any other number becomes the next parameter. A 0 or 1 that
   * comes from a particular shape rather than the structure only makes a second variant of the source.
   */
  expr(value: number): string {
    return value === 0 ? '0' : value === 1 ? '1' : this.add(value);
  }

  /** The argument names, in order. */
  names(): string[] {
    return this.values.map((_, i) => `p${i}`);
  }
}

/**
 * Lines that split the float `t` (an exact integer flat index) into coordinates of row-major dims
 * with `strides` (source expressions, the last one `1`); returns the coordinate expressions. Names
 * start with `prefix`. Each quotient `floor(rest / stride)` is corrected twice in each direction
 * from its remainder, which is exact, so a division that is off by up to two units (GLSL allows
 * 2.5 ulp) still yields exact coordinates.
 */
export function unflatten(
  prefix: string,
  t: string,
  strides: readonly string[],
): { lines: string[]; coords: string[] } {
  const lines: string[] = [];
  const coords: string[] = [];
  let rest = t;
  for (let d = 0; d < strides.length; d++) {
    const s = strides[d];
    if (s === '1') {
      coords.push(rest);
      continue;
    }
    const c = `${prefix}${d}`;
    const next = `${prefix}r${d}`;
    lines.push(
      `let ${c} = 0.5;`,
      `${c} = Math.floor(${rest} / ${s});`,
      `let ${next} = 0.5;`,
      `${next} = ${rest} - ${c} * ${s};`,
    );
    for (let k = 0; k < 2; k++) {
      lines.push(
        `if (${next} < 0) {`,
        `  ${c} = ${c} - 1;`,
        `  ${next} = ${next} + ${s};`,
        '}',
        `if (${next} >= ${s}) {`,
        `  ${c} = ${c} + 1;`,
        `  ${next} = ${next} - ${s};`,
        '}',
      );
    }
    rest = next;
    coords.push(c);
  }
  return { lines, coords };
}

/** Row-major strides. */
export function stridesFor(dims: readonly number[]): number[] {
  const out = new Array<number>(dims.length);
  let s = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= dims[i];
  }
  return out;
}

/** Numbers as source expressions (`Params.expr`). */
export function paramsOf(params: Params, values: readonly number[]): string[] {
  return values.map((v) => params.expr(v));
}

/** Source expressions of the row-major strides of `dims`: parameters, and `1` for the last dim. */
export function stridesOf(params: Params, dims: readonly number[]): string[] {
  return stridesFor(dims).map((s, d) => (d === dims.length - 1 ? '1' : params.add(s)));
}

/** `base + Σ coord·coefficient` as a source expression, skipping zero terms. */
export function offsetExpr(coords: readonly string[], coefficients: readonly string[], base = '0'): string {
  const terms: string[] = [];
  if (base !== '0') terms.push(base);
  for (let d = 0; d < coords.length; d++) {
    if (coords[d] === '0' || coefficients[d] === '0') continue;
    terms.push(coefficients[d] === '1' ? coords[d] : `${coords[d]} * ${coefficients[d]}`);
  }
  return terms.length === 0 ? '0' : terms.join(' + ');
}

/** What the backend compiles (once per distinct source) and the parameters of one call. */
export interface KernelSpec {
  /** The kernel function's JavaScript source: tensor arguments `a0…`, then parameters `p0…`. */
  source: string;
  /** This call's values of the parameters `p0…`. */
  params: readonly number[];
}

/**
 * The kernel of `inputs` tensor arguments `a0, a1, …` and the parameters in `params`, whose
 * statements `lines` assign its result to the variable `y`.
 */
export function kernelSpec(inputs: number, params: Params, lines: readonly string[]): KernelSpec {
  const args = [...Array.from({ length: inputs }, (_, i) => `a${i}`), ...params.names()];
  return {
    source: `function (${args.join(', ')}) {\n  ${lines.join('\n  ')}\n  return y;\n}`,
    params: params.values,
  };
}

/**
 * Broadcasting made cheap: merges adjacent output dims in which every input is either full or
 * broadcast in both, and drops size-1 output dims. Returns the merged output dims and, per input,
 * the stride of each merged dim (0 where that input is broadcast).
 */
export function coalesceBroadcast(
  outShape: Shape,
  inputs: readonly Shape[],
): { dims: number[]; strides: number[][] } {
  const rank = outShape.length;
  const padded = inputs.map((s) => [...new Array<number>(rank - s.length).fill(1), ...s]);
  const dims: number[] = [];
  const kinds: boolean[][] = []; // per merged dim, per input: full?
  for (let d = 0; d < rank; d++) {
    if (outShape[d] === 1) continue;
    const kind = padded.map((s) => s[d] !== 1);
    const last = kinds[kinds.length - 1];
    if (last && kind.every((k, i) => k === last[i])) {
      dims[dims.length - 1] *= outShape[d];
    } else {
      dims.push(outShape[d]);
      kinds.push(kind);
    }
  }
  const strides = inputs.map((_, i) => {
    const out = new Array<number>(dims.length).fill(0);
    let s = 1;
    for (let d = dims.length - 1; d >= 0; d--) {
      if (kinds[d][i]) {
        out[d] = s;
        s *= dims[d];
      }
    }
    return out;
  });
  return { dims, strides };
}

/**
 * An elementwise kernel over broadcast inputs `a0, a1, …`: `body` gets the names of the loaded
 * input values and returns lines that assign `y` (declared as a float before them). `params` may
 * already hold parameters the body reads.
 */
export function elementwiseSpec(
  outShape: Shape,
  inputs: readonly Shape[],
  body: (values: string[]) => string[],
  params = new Params(),
): KernelSpec {
  const { dims, strides } = coalesceBroadcast(outShape, inputs);
  const { lines, coords } = unflatten('c', 't', stridesOf(params, dims));
  const src = [...THREAD_INDEX, ...lines];
  const values = inputs.map((_, i) => {
    src.push(`const o${i} = ${offsetExpr(coords, paramsOf(params, strides[i]))};`);
    src.push(`const v${i} = a${i}[o${i}];`);
    return `v${i}`;
  });
  src.push('let y = 0.5;', ...body(values));
  return kernelSpec(inputs.length, params, src);
}

/** A shape as a message fragment. */
export function shapeKey(shape: Shape): string {
  return `[${shape.join(',')}]`;
}
