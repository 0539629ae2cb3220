/**
 * Elementwise kernels: unary math, broadcasting binary ops and comparisons, `where`, `cast`,
 * `fill`. Each op is written as statements that assign the float `y` from the loaded inputs, with
 * the numerically careful forms (stable sigmoid/tanh, series for small-argument log1p/expm1/erf,
 * round half to even, pow on negative bases) spelled out, since GLSL leaves them undefined or loose.
 */
import type { BinaryOp, DType, Shape, UnaryOp } from '@backprop/core';
import { elementwiseSpec, type KernelSpec, kernelSpec, lit, Params } from './codegen.js';

/** `y = expm1(u)` for a float expression `u`, precise near zero. */
function expm1Lines(u: string, y: string, tag: string): string[] {
  const c = [1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040, 1 / 40320, 1 / 362880].map(lit);
  let horner = c[c.length - 1];
  for (let i = c.length - 2; i >= 0; i--) horner = `${c[i]} + ${tag} * (${horner})`;
  return [
    `const ${tag} = ${u};`,
    `if (Math.abs(${tag}) < 0.5) {`,
    `  ${y} = ${tag} * (${horner});`,
    '} else {',
    `  ${y} = Math.exp(${tag}) - 1;`,
    '}',
  ];
}

function erfLines(x: string): string[] {
  // |x| < 1: Taylor series 2/√π · Σ (−1)^n x^(2n+1) / (n!(2n+1)); beyond: Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7).
  const terms: string[] = [];
  let fact = 1;
  for (let n = 0; n < 12; n++) {
    if (n > 0) fact *= n;
    terms.push(lit(((n % 2 === 0 ? 1 : -1) / (fact * (2 * n + 1))) * (2 / Math.sqrt(Math.PI))));
  }
  let horner = terms[terms.length - 1];
  for (let i = terms.length - 2; i >= 0; i--) horner = `${terms[i]} + ez * (${horner})`;
  return [
    `const ea = Math.abs(${x});`,
    'if (ea < 1) {',
    `  const ez = ${x} * ${x};`,
    `  y = ${x} * (${horner});`,
    '} else {',
    '  const et = 1 / (1 + 0.3275911 * ea);',
    '  const ep = et * (0.254829592 + et * (-0.284496736 + et * (1.421413741 + et * (-1.453152027 + et * 1.061405429))));',
    '  y = 1 - ep * Math.exp(-ea * ea);',
    `  if (${x} < 0) {`,
    '    y = -y;',
    '  }',
    '}',
  ];
}

/**
 * `y = log(x)` with log(0) = −∞ and log(x < 0) = NaN made explicit: GL drivers (SwiftShader's
 * among them) return about −88 and 0 there. The specials come from runtime arithmetic (1/0, 0/0).
 */
function logLines(x: string, arg: string): string[] {
  return [
    `y = Math.log(${arg});`,
    `if (${x} == 0) {`,
    `  y = -1 / (${x} * ${x});`,
    `} else if (${x} < 0) {`,
    `  y = (${x} - ${x}) / (${x} - ${x});`,
    '}',
  ];
}

/**
 * sin or cos with a Cody–Waite reduction by π/2 (π/2 split in three float32 parts) and Taylor
 * polynomials on [−π/4, π/4] (error < 2e-9): GL drivers' built-ins can be off by 2e-4.
 */
function trigLines(x: string, cos: boolean): string[] {
  const s = [1, -1 / 6, 1 / 120, -1 / 5040, 1 / 362880].map(lit);
  const c = [1, -1 / 2, 1 / 24, -1 / 720, 1 / 40320, -1 / 3628800].map(lit);
  const poly = (k: string[]) =>
    k.reduceRight((acc, coef) => (acc === '' ? coef : `${coef} + tz * (${acc})`), '');
  return [
    `const tk = Math.floor(${x} * ${lit(2 / Math.PI)} + 0.5);`,
    `const tr = ((${x} - tk * 1.5703125) - tk * 0.0004837512969970703) - tk * ${lit(7.549789954891882e-8)};`,
    'const tz = tr * tr;',
    `const ts = tr * (${poly(s)});`,
    `const tc = ${poly(c)};`,
    // Quadrant q = tk mod 4 (+1 for cos): sin(r + qπ/2) is sin r, cos r, −sin r, −cos r.
    `const tq = tk + ${cos ? 1 : 0} - 4 * Math.floor((tk + ${cos ? 1 : 0}) / 4);`,
    'y = ts;',
    'if (tq == 1) {',
    '  y = tc;',
    '} else if (tq == 2) {',
    '  y = -ts;',
    '} else if (tq == 3) {',
    '  y = -tc;',
    '}',
  ];
}

const UNARY: Record<UnaryOp, (x: string) => string[]> = {
  neg: (x) => [`y = -${x};`],
  abs: (x) => [`y = Math.abs(${x});`],
  sign: (x) => [`y = ${x};`, `if (${x} > 0) {`, '  y = 1;', `} else if (${x} < 0) {`, '  y = -1;', '}'],
  exp: (x) => [`y = Math.exp(${x});`],
  log: (x) => logLines(x, x),
  sqrt: (x) => [`y = Math.sqrt(${x});`],
  reciprocal: (x) => [`y = 1 / ${x};`],
  square: (x) => [`y = ${x} * ${x};`],
  sin: (x) => trigLines(x, false),
  cos: (x) => trigLines(x, true),
  tanh: (x) => [
    // tanh|x| = −expm1(−2|x|) / (2 + expm1(−2|x|)): no overflow for large |x|, precise near 0.
    'let tm = 0.5;',
    ...expm1Lines(`-2 * Math.abs(${x})`, 'tm', 'tu'),
    'y = -tm / (2 + tm);',
    `if (${x} < 0) {`,
    '  y = -y;',
    '}',
  ],
  sigmoid: (x) => [
    `if (${x} >= 0) {`,
    `  y = 1 / (1 + Math.exp(-${x}));`,
    '} else {',
    `  const se = Math.exp(${x});`,
    '  y = se / (1 + se);',
    '}',
  ],
  relu: (x) => ['y = 0;', `if (${x} > 0) {`, `  y = ${x};`, '}'],
  erf: (x) => erfLines(x),
  floor: (x) => [`y = Math.floor(${x});`],
  ceil: (x) => [`y = Math.ceil(${x});`],
  round: (x) => [
    // Half to even; x − floor(x) is exact, unlike floor(x + 0.5).
    `const rf = Math.floor(${x});`,
    `const rd = ${x} - rf;`,
    'y = rf;',
    'if (rd > 0.5) {',
    '  y = rf + 1;',
    '} else if (rd == 0.5) {',
    '  if (rf - 2 * Math.floor(rf / 2) != 0) {',
    '    y = rf + 1;',
    '  }',
    `} else if (rd != rd) {`,
    `  y = ${x};`,
    '}',
  ],
  log1p: (x) => [
    // log1p(x) = 2·atanh(x / (2 + x)) by its series for |x| < 0.5.
    `if (Math.abs(${x}) < 0.5) {`,
    `  const ls = ${x} / (2 + ${x});`,
    '  const lz = ls * ls;',
    `  y = 2 * ls * (1 + lz * (${lit(1 / 3)} + lz * (0.2 + lz * (${lit(1 / 7)} + lz * (${lit(1 / 9)} + lz * (${lit(1 / 11)} + lz * (${lit(1 / 13)} + lz * ${lit(1 / 15)})))))));`,
    '} else {',
    `  const lp = 1 + ${x};`,
    ...logLines('lp', 'lp').map((l) => `  ${l}`),
    '}',
  ],
  expm1: (x) => expm1Lines(x, 'y', 'mu'),
  asin: (x) => [
    // asin x = atan(x / √((1 − x)(1 + x))): Mesa's GLSL asin is off by up to 3e-4, its atan is not.
    // NaN past ±1 from runtime arithmetic (0/0), as logLines does: GL's sqrt of a negative is unspecified.
    `let ad = Math.sqrt(Math.abs((1 - ${x}) * (1 + ${x})));`,
    `if (Math.abs(${x}) > 1) { y = (${x} - ${x}) / (${x} - ${x}); } else if (ad == 0) { y = ${x} * 1.5707963267948966; } else { y = Math.atan(${x} / ad); }`,
  ],
  atan: (x) => [`y = Math.atan(${x});`],
};

const BINARY: Record<BinaryOp, (a: string, b: string) => string[]> = {
  add: (a, b) => [`y = ${a} + ${b};`],
  sub: (a, b) => [`y = ${a} - ${b};`],
  mul: (a, b) => [`y = ${a} * ${b};`],
  div: (a, b) => [`y = ${a} / ${b};`],
  pow: (a, b) => [
    `const pa = Math.abs(${a});`,
    `y = Math.pow(pa, ${b});`,
    `if (${b} == 0) {`,
    '  y = 1;',
    `} else if (${a} == 0) {`,
    `  if (${b} < 0) {`,
    '    y = 1 / pa;',
    '  } else {',
    '    y = 0;',
    '  }',
    `} else if (${a} < 0) {`,
    `  const pf = Math.floor(${b});`,
    `  if (pf != ${b}) {`,
    '    y = (pa - pa) / (pa - pa);',
    '  } else if (pf - 2 * Math.floor(pf / 2) != 0) {',
    '    y = -y;',
    '  }',
    `} else if (${a} != ${a}) {`,
    `  y = ${a};`,
    '}',
  ],
  maximum: (a, b) => [`y = ${a};`, `if (${b} > ${a} || ${b} != ${b}) {`, `  y = ${b};`, '}'],
  minimum: (a, b) => [`y = ${a};`, `if (${b} < ${a} || ${b} != ${b}) {`, `  y = ${b};`, '}'],
  eq: (a, b) => compare(`${a} == ${b}`),
  ne: (a, b) => compare(`${a} != ${b}`),
  lt: (a, b) => compare(`${a} < ${b}`),
  le: (a, b) => compare(`${a} <= ${b}`),
  gt: (a, b) => compare(`${a} > ${b}`),
  ge: (a, b) => compare(`${a} >= ${b}`),
};

function compare(test: string): string[] {
  return ['y = 0;', `if (${test}) {`, '  y = 1;', '}'];
}

/** Integer results are rounded after float math (pow, products) so int32 values stay exact. */
function integral(lines: string[], dtype: DType): string[] {
  return dtype === 'float32' ? lines : [...lines, 'y = Math.floor(y + 0.5);'];
}

export function unarySpec(op: UnaryOp, shape: Shape): KernelSpec {
  return elementwiseSpec(shape, [shape], ([x]) => UNARY[op](x));
}

export function binarySpec(op: BinaryOp, a: Shape, b: Shape, outShape: Shape, dtype: DType): KernelSpec {
  const body = (v: string[]) => {
    const lines = BINARY[op](v[0], v[1]);
    return dtype === 'int32' && (op === 'mul' || op === 'pow') ? integral(lines, dtype) : lines;
  };
  return elementwiseSpec(outShape, [a, b], body);
}

export function whereSpec(c: Shape, a: Shape, b: Shape, outShape: Shape): KernelSpec {
  return elementwiseSpec(outShape, [c, a, b], ([vc, va, vb]) => [
    `y = ${vb};`,
    `if (${vc} != 0) {`,
    `  y = ${va};`,
    '}',
  ]);
}

/** float→int32 truncates toward zero; anything→bool is `x != 0`; other casts copy. */
export function castSpec(shape: Shape, from: DType, to: DType): KernelSpec {
  const body = ([x]: string[]): string[] => {
    if (to === 'bool') return compare(`${x} != 0`);
    if (to === 'int32' && from === 'float32')
      return [`y = Math.floor(${x});`, `if (${x} < 0) {`, `  y = Math.ceil(${x});`, '}'];
    return [`y = ${x};`];
  };
  return elementwiseSpec(shape, [shape], body);
}

/** Every element is the parameter `value`, so one kernel serves every fill. */
export function fillSpec(value: number): KernelSpec {
  const params = new Params();
  return kernelSpec(0, params, ['let y = 0.5;', `y = ${params.add(value)};`]);
}

/** Copies a flat array: how data is uploaded into device memory (a texture or buffer). */
export function copySpec(): KernelSpec {
  return kernelSpec(1, new Params(), ['let y = 0.5;', 'y = a0[this.thread.x];']);
}
