/**
 * The backend's WebAssembly SIMD module, assembled here from its opcodes so the package ships no
 * binary and needs no toolchain: the matmul macro-kernel (`macro`) and panel packing (`pack`), and
 * the optimizer updates (`sgd`, `sgdMomentum`, `sgdNesterov`, `adam`). Plain JavaScript tops out near 6 GFLOP/s on a 4×4 register tile (V8
 * spills the sixteen double accumulators and bounds-checks every load); 128-bit lanes hold a 4×8
 * tile of float32 sums in eight registers instead. Everything works on the imported memory, so
 * callers copy their operands in and the results out.
 *
 * `macro(mc, nc, kc, pa, pb, pc, ldc, accumulate)` multiplies packed-A (mc/4 panels of 4 rows,
 * depth-major) by packed-B (nc/8 panels of 8 columns, depth-major), both `kc` deep, into the
 * row-major float32 block of C at byte address `pc` whose rows are `ldc` bytes apart: added to C
 * when `accumulate` is 1, written over it when 0 (the first depth block, so C needs no zeroing).
 * `mc` is a multiple of 4, `nc` of 8, `kc` at least 1; every address is in the imported memory.
 */

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

// Locals: the eight parameters, then loop counters and pointers, then the vector registers.
const [MC, NC, KC, PA, PB, PC, LDC, ACCUMULATE] = [0, 1, 2, 3, 4, 5, 6, 7];
const [IR, JR, P, AP, BP, CP] = [8, 9, 10, 11, 12, 13];
const ACC = 14; // acc0..acc7: row r of the tile is acc(2r) (columns 0–3) and acc(2r+1) (columns 4–7)
const B0 = 22;
const B1 = 23;
const A = 24;

const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  br: (depth: number) => [0x0c, depth],
  if: [0x04, 0x40],
  else: [0x05],
  eq: [0x46],
  eqz: [0x45],
  select: [0x1b],
  geU: [0x4f],
  gtU: [0x4b],
  i32Load: (offset: number) => [0x28, 2, ...uleb(offset)],
  i32Store: (offset: number) => [0x36, 2, ...uleb(offset)],
  end: [0x0b],
  brIf: (depth: number) => [0x0d, depth],
  get: (i: number) => [0x20, i],
  set: (i: number) => [0x21, i],
  tee: (i: number) => [0x22, i],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  shl: [0x74],
  ltU: [0x49],
  v128Load32Splat: (offset: number) => [0xfd, 0x09, 2, ...uleb(offset)],
  v128Load: (offset: number) => [0xfd, 0x00, 4, ...uleb(offset)],
  v128Store: (offset: number) => [0xfd, 0x0b, 4, ...uleb(offset)],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  f32x4Add: [0xfd, 0xe4, 0x01],
  f32x4Sub: [0xfd, 0xe5, 0x01],
  f32x4Splat: [0xfd, 0x13],
  f32Load: (offset: number) => [0x2a, 2, ...uleb(offset)],
  f32Store: (offset: number) => [0x38, 2, ...uleb(offset)],
  f32Add: [0x92],
  f32Sub: [0x93],
  f32Mul: [0x94],
  f32Div: [0x95],
  f32Sqrt: [0x91],
  f32x4Div: [0xfd, 0xe7, 0x01],
  f32x4Sqrt: [0xfd, 0xe3, 0x01],
  f32x4Mul: [0xfd, 0xe6, 0x01],
};

function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function name(text: string): number[] {
  return [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];
}

/** acc[i] += a * b, all three locals. */
function multiplyAdd(acc: number, b: number): number[] {
  return [...op.get(acc), ...op.get(A), ...op.get(b), ...op.f32x4Mul, ...op.f32x4Add, ...op.set(acc)];
}

function body(): number[] {
  const code: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const part of parts) code.push(...part);
  };
  emit(op.i32(0), op.set(JR), op.loop);
  emit(op.i32(0), op.set(IR), op.loop);
  for (let r = 0; r < 8; r++) emit(op.v128Zero, op.set(ACC + r));
  // ap = pa + ir·kc·4 and bp = pb + jr·kc·4: the panels this tile reads.
  emit(op.get(PA), op.get(IR), op.get(KC), op.mul, op.i32(2), op.shl, op.add, op.set(AP));
  emit(op.get(PB), op.get(JR), op.get(KC), op.mul, op.i32(2), op.shl, op.add, op.set(BP));
  emit(op.get(KC), op.set(P), op.loop);
  emit(op.get(BP), op.v128Load(0), op.set(B0), op.get(BP), op.v128Load(16), op.set(B1));
  for (let r = 0; r < 4; r++) {
    // load32_splat broadcasts straight from memory; f32.load then f32x4.splat costs a shuffle on the
    // vector ports the multiplies and adds need (22% more GFLOP/s on a hot 64×512×256 block).
    emit(op.get(AP), op.v128Load32Splat(4 * r), op.set(A));
    emit(multiplyAdd(ACC + 2 * r, B0), multiplyAdd(ACC + 2 * r + 1, B1));
  }
  emit(op.get(AP), op.i32(16), op.add, op.set(AP), op.get(BP), op.i32(32), op.add, op.set(BP));
  emit(op.get(P), op.i32(1), op.sub, op.tee(P), op.brIf(0), op.end);
  // cp = pc + ir·ldc + jr·4; add the tile into C (or write it there) row by row. The sums started
  // at +0, so they are never −0 and writing them gives the bits adding them to zeros would.
  emit(
    op.get(PC),
    op.get(IR),
    op.get(LDC),
    op.mul,
    op.add,
    op.get(JR),
    op.i32(2),
    op.shl,
    op.add,
    op.set(CP),
  );
  const tileIntoC = (accumulate: boolean) => {
    for (let r = 0; r < 4; r++) {
      for (const half of [0, 1]) {
        const offset = 16 * half;
        if (accumulate)
          emit(op.get(CP), op.get(CP), op.v128Load(offset), op.get(ACC + 2 * r + half), op.f32x4Add);
        else emit(op.get(CP), op.get(ACC + 2 * r + half));
        emit(op.v128Store(offset));
      }
      emit(op.get(CP), op.get(LDC), op.add, op.set(CP));
    }
  };
  emit(op.get(ACCUMULATE), op.if);
  tileIntoC(true);
  emit(op.else);
  tileIntoC(false);
  emit(op.end);
  emit(op.get(IR), op.i32(4), op.add, op.tee(IR), op.get(MC), op.ltU, op.brIf(0), op.end);
  emit(op.get(JR), op.i32(8), op.add, op.tee(JR), op.get(NC), op.ltU, op.brIf(0), op.end);
  emit(op.end);
  const locals = [2, 6, I32, 11, V128];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

// The packing function's locals: its seven parameters, then counters and pointers, then vectors.
const [SRC, RS, CS, COUNT, DEPTH, WIDTH, DST] = [0, 1, 2, 3, 4, 5, 6];
const [PIR, ROWS, BASE, LEFT, Q, R, TO, G] = [7, 8, 9, 10, 11, 12, 13, 14];
const V = 15; // v0..v3: four rows of four depths; v4..v7: the transpose's halfway vectors

/** An i8x16.shuffle taking float lanes `lanes` (0–3 from the first operand, 4–7 from the second). */
function shuffleFloats(lanes: number[]): number[] {
  return [0xfd, 0x0d, ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])];
}

/**
 * `pack(src, rs, cs, count, kc, width, dst)`: rows [0, count) × depth [0, kc) of the matrix whose
 * element (r, p) is at byte `src + r·rs + p·cs`, as panels of `width` (4 or 8) rows, depth-major,
 * from byte `dst`; rows past the last are zero. The values move as bits. Whole panels of a matrix
 * whose rows (rs = 4) or depths (cs = 4) are contiguous move as vectors: copied, or read as 4×4
 * blocks and transposed; everything else, and the depths left over, one element at a time.
 */
function packBody(): number[] {
  const code: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const part of parts) code.push(...part);
  };
  const copyVector = (offset: number) => [
    ...op.get(TO),
    ...op.get(BASE),
    ...op.v128Load(offset),
    ...op.v128Store(offset),
  ];
  emit(op.get(DST), op.set(TO), op.i32(0), op.set(PIR), op.loop);
  // rows = min(width, count − ir); base = src + ir·rs; every depth is left.
  emit(op.get(COUNT), op.get(PIR), op.sub, op.set(ROWS));
  emit(op.get(WIDTH), op.get(ROWS), op.get(ROWS), op.get(WIDTH), op.gtU, op.select, op.set(ROWS));
  emit(op.get(SRC), op.get(PIR), op.get(RS), op.mul, op.add, op.set(BASE), op.get(DEPTH), op.set(LEFT));
  emit(op.get(ROWS), op.get(WIDTH), op.eq, op.if);
  emit(op.get(RS), op.i32(4), op.eq, op.if);
  // Contiguous rows: each depth's `width` values are one or two vectors.
  emit(op.loop, copyVector(0));
  emit(op.get(WIDTH), op.i32(8), op.eq, op.if, copyVector(16), op.end);
  emit(op.get(TO), op.get(WIDTH), op.i32(2), op.shl, op.add, op.set(TO));
  emit(op.get(BASE), op.get(CS), op.add, op.set(BASE));
  emit(op.get(LEFT), op.i32(1), op.sub, op.tee(LEFT), op.brIf(0), op.end);
  emit(op.else, op.get(CS), op.i32(4), op.eq, op.if);
  // Contiguous depths: four depths of each group of four rows, transposed into four panel lines.
  emit(op.block, op.loop, op.get(LEFT), op.i32(4), op.ltU, op.brIf(1));
  emit(op.i32(0), op.set(G), op.loop);
  emit(op.get(BASE), op.get(G), op.get(RS), op.mul, op.add, op.set(Q));
  for (let r = 0; r < 4; r++) {
    emit(op.get(Q), op.v128Load(0), op.set(V + r));
    if (r < 3) emit(op.get(Q), op.get(RS), op.add, op.set(Q));
  }
  emit(op.get(V), op.get(V + 1), shuffleFloats([0, 4, 1, 5]), op.set(V + 4));
  emit(op.get(V), op.get(V + 1), shuffleFloats([2, 6, 3, 7]), op.set(V + 5));
  emit(op.get(V + 2), op.get(V + 3), shuffleFloats([0, 4, 1, 5]), op.set(V + 6));
  emit(op.get(V + 2), op.get(V + 3), shuffleFloats([2, 6, 3, 7]), op.set(V + 7));
  // Depth j's line of this row group goes to to + (j·width + g)·4.
  const lines: [number, number, number[]][] = [
    [4, 6, [0, 1, 4, 5]],
    [4, 6, [2, 3, 6, 7]],
    [5, 7, [0, 1, 4, 5]],
    [5, 7, [2, 3, 6, 7]],
  ];
  for (const [j, [x, y, lanes]] of lines.entries()) {
    emit(op.get(TO), op.get(G), op.i32(2), op.shl, op.add);
    if (j > 0) emit(op.get(WIDTH), op.i32(4 * j), op.mul, op.add);
    emit(op.get(V + x), op.get(V + y), shuffleFloats(lanes), op.v128Store(0));
  }
  emit(op.get(G), op.i32(4), op.add, op.tee(G), op.get(WIDTH), op.ltU, op.brIf(0), op.end);
  emit(op.get(TO), op.get(WIDTH), op.i32(4), op.shl, op.add, op.set(TO));
  emit(op.get(BASE), op.i32(16), op.add, op.set(BASE));
  emit(op.get(LEFT), op.i32(4), op.sub, op.set(LEFT), op.br(0), op.end, op.end);
  emit(op.end, op.end, op.end);
  // The remaining depths, one element at a time, padding rows past the last with zeros.
  emit(op.block, op.get(LEFT), op.eqz, op.brIf(0), op.loop);
  emit(op.get(BASE), op.set(Q), op.i32(0), op.set(R));
  emit(op.block, op.loop, op.get(R), op.get(ROWS), op.geU, op.brIf(1));
  emit(op.get(TO), op.get(R), op.i32(2), op.shl, op.add, op.get(Q), op.i32Load(0), op.i32Store(0));
  emit(
    op.get(Q),
    op.get(RS),
    op.add,
    op.set(Q),
    op.get(R),
    op.i32(1),
    op.add,
    op.set(R),
    op.br(0),
    op.end,
    op.end,
  );
  emit(op.block, op.loop, op.get(R), op.get(WIDTH), op.geU, op.brIf(1));
  emit(op.get(TO), op.get(R), op.i32(2), op.shl, op.add, op.i32(0), op.i32Store(0));
  emit(op.get(R), op.i32(1), op.add, op.set(R), op.br(0), op.end, op.end);
  emit(op.get(TO), op.get(WIDTH), op.i32(2), op.shl, op.add, op.set(TO));
  emit(op.get(BASE), op.get(CS), op.add, op.set(BASE));
  emit(op.get(LEFT), op.i32(1), op.sub, op.tee(LEFT), op.brIf(0), op.end, op.end);
  emit(op.get(PIR), op.get(WIDTH), op.add, op.tee(PIR), op.get(COUNT), op.ltU, op.brIf(0), op.end);
  emit(op.end);
  const locals = [2, 8, I32, 8, V128];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

/** One kind of lane for an elementwise loop: four floats in a v128, or one f32 for the leftovers. */
interface Lanes {
  bytes: number;
  load: number[];
  store: number[];
  add: number[];
  sub: number[];
  mul: number[];
  div: number[];
  sqrt: number[];
  /** The k-th scalar parameter (splatted, for vectors). */
  scalar(k: number): number[];
  /** The k-th temporary. */
  get(k: number): number[];
  tee(k: number): number[];
  set(k: number): number[];
}

/** An exported function: its parameter types and its body. */
interface ModuleFunction {
  name: string;
  params: number[];
  body: number[];
}

/**
 * An optimizer update over `pointers` float32 arrays of n elements (byte addresses), updated in
 * place, with `scalars` f32 parameters: `step` emits one element's update (one lane kind), run four
 * lanes at a time and then one at a time for the leftovers. Parameters: the pointers, n, the scalars.
 */
function updateFunction(
  name: string,
  pointers: number,
  scalars: number,
  temps: number,
  step: (l: Lanes) => number[],
): ModuleFunction {
  const n = pointers;
  const splat = n + 1 + scalars;
  const vectorTemp = splat + scalars;
  const scalarTemp = vectorTemp + temps;
  // Temporaries k = 0, 1, … are the locals from `base` on.
  const temporaries = (base: number) => ({
    get: (k: number) => op.get(base + k),
    tee: (k: number) => op.tee(base + k),
    set: (k: number) => op.set(base + k),
  });
  const vector: Lanes = {
    bytes: 16,
    load: op.v128Load(0),
    store: op.v128Store(0),
    add: op.f32x4Add,
    sub: op.f32x4Sub,
    mul: op.f32x4Mul,
    div: op.f32x4Div,
    sqrt: op.f32x4Sqrt,
    scalar: (k) => op.get(splat + k),
    ...temporaries(vectorTemp),
  };
  const scalar: Lanes = {
    bytes: 4,
    load: op.f32Load(0),
    store: op.f32Store(0),
    add: op.f32Add,
    sub: op.f32Sub,
    mul: op.f32Mul,
    div: op.f32Div,
    sqrt: op.f32Sqrt,
    scalar: (k) => op.get(n + 1 + k),
    ...temporaries(scalarTemp),
  };
  const code: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const part of parts) code.push(...part);
  };
  const advance = (lanes: Lanes, count: number) => {
    for (let i = 0; i < pointers; i++) emit(op.get(i), op.i32(lanes.bytes), op.add, op.set(i));
    emit(op.get(n), op.i32(count), op.sub, op.set(n));
  };
  for (let k = 0; k < scalars; k++) emit(op.get(n + 1 + k), op.f32x4Splat, op.set(splat + k));
  emit(op.block, op.loop, op.get(n), op.i32(4), op.ltU, op.brIf(1), step(vector));
  advance(vector, 4);
  emit(op.br(0), op.end, op.end);
  emit(op.block, op.loop, op.get(n), op.eqz, op.brIf(1), step(scalar));
  advance(scalar, 1);
  emit(op.br(0), op.end, op.end, op.end);
  const locals = [
    [scalars + temps, V128],
    [temps, F32],
  ].filter(([count]) => count > 0);
  const declared = [...uleb(locals.length), ...locals.flatMap(([count, type]) => [...uleb(count), type])];
  return {
    name,
    params: [...new Array<number>(pointers + 1).fill(I32), ...new Array<number>(scalars).fill(F32)],
    body: [...uleb(declared.length + code.length), ...declared, ...code],
  };
}

/**
 * The optimizer updates, each rounded to float32 at every operation as core's compositions are
 * (the backend's JavaScript kernels in optimizer-updates.ts compute the same):
 * - `sgd(p, g, n, lr)`: p ← p − g·lr;
 * - `sgdMomentum(p, g, b, n, lr, momentum, keep)`: b ← b·momentum + g·keep, then p ← p − b·lr;
 * - `sgdNesterov(…)`, the same but p ← p − (g + b·momentum)·lr;
 * - `adam(p, g, m, v, n, 1 − β₁, β₂, 1 − β₂, biasCorrection2Sqrt, eps, stepSize)`:
 *   m ← m + (g − m)(1 − β₁), v ← v·β₂ + g²(1 − β₂), p ← p − m / (√v / biasCorrection2Sqrt + eps) · stepSize.
 */
function updateFunctions(): ModuleFunction[] {
  // The i-th pointer parameter: the address of that array's current element.
  const at = op.get;
  const momentumBuffer = (l: Lanes) => [
    ...[
      ...at(2),
      ...at(2),
      ...l.load,
      ...l.scalar(1),
      ...l.mul,
      ...at(1),
      ...l.load,
      ...l.scalar(2),
      ...l.mul,
    ],
    ...[...l.add, ...l.tee(0), ...l.store],
  ];
  return [
    updateFunction('sgd', 2, 1, 0, (l) => [
      ...[...at(0), ...at(0), ...l.load, ...at(1), ...l.load, ...l.scalar(0), ...l.mul, ...l.sub, ...l.store],
    ]),
    updateFunction('sgdMomentum', 3, 3, 1, (l) => [
      ...momentumBuffer(l),
      ...[...at(0), ...at(0), ...l.load, ...l.get(0), ...l.scalar(0), ...l.mul, ...l.sub, ...l.store],
    ]),
    updateFunction('sgdNesterov', 3, 3, 1, (l) => [
      ...momentumBuffer(l),
      ...[
        ...at(0),
        ...at(0),
        ...l.load,
        ...at(1),
        ...l.load,
        ...l.get(0),
        ...l.scalar(1),
        ...l.mul,
        ...l.add,
      ],
      ...[...l.scalar(0), ...l.mul, ...l.sub, ...l.store],
    ]),
    updateFunction('adam', 4, 6, 3, (l) => [
      ...[
        ...at(2),
        ...at(2),
        ...l.load,
        ...at(1),
        ...l.load,
        ...at(2),
        ...l.load,
        ...l.sub,
        ...l.scalar(0),
        ...l.mul,
      ],
      ...[...l.add, ...l.tee(0), ...l.store],
      ...[
        ...at(3),
        ...at(3),
        ...l.load,
        ...l.scalar(1),
        ...l.mul,
        ...at(1),
        ...l.load,
        ...at(1),
        ...l.load,
        ...l.mul,
      ],
      ...[...l.scalar(2), ...l.mul, ...l.add, ...l.tee(1), ...l.store],
      ...[...l.get(1), ...l.sqrt, ...l.scalar(3), ...l.div, ...l.scalar(4), ...l.add, ...l.set(2)],
      ...[
        ...at(0),
        ...at(0),
        ...l.load,
        ...l.get(0),
        ...l.get(2),
        ...l.div,
        ...l.scalar(5),
        ...l.mul,
        ...l.sub,
        ...l.store,
      ],
    ]),
  ];
}

/**
 * The module's bytes: the functions above, memory imported as `env.memory`. With `sharedMaxPages`
 * the import is a shared memory of at most that many 64 KiB pages (what the worker pool hands every
 * thread); without it, a plain memory of at least one page.
 */
export function simdModuleBytes(sharedMaxPages?: number): Uint8Array<ArrayBuffer> {
  // Memory limits: flags 0x00 = min only; 0x03 = shared, with min and max.
  const limits = sharedMaxPages === undefined ? [0x00, 0x01] : [0x03, 0x01, ...uleb(sharedMaxPages)];
  const functions: ModuleFunction[] = [
    { name: 'macro', params: new Array<number>(8).fill(I32), body: body() },
    { name: 'pack', params: new Array<number>(7).fill(I32), body: packBody() },
    ...updateFunctions(),
  ];
  // One type per function (in order), each returning nothing.
  const types = functions.flatMap((f) => [0x60, ...uleb(f.params.length), ...f.params, 0]);
  const exports = functions.flatMap((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [...uleb(functions.length), ...types]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, ...limits]),
    ...section(3, [...uleb(functions.length), ...functions.flatMap((_, i) => uleb(i))]),
    ...section(7, [...uleb(functions.length), ...exports]),
    ...section(10, [...uleb(functions.length), ...functions.flatMap((f) => f.body)]),
  ]);
}
