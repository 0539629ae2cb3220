/**
 * The matmul macro-kernel as a tiny WebAssembly SIMD module, assembled here from its opcodes so the
 * package ships no binary and needs no toolchain. Plain JavaScript tops out near 6 GFLOP/s on a
 * 4×4 register tile (V8 spills the sixteen double accumulators and bounds-checks every load);
 * 128-bit lanes hold a 4×8 tile of float32 sums in eight registers instead.
 *
 * `macro(mc, nc, kc, pa, pb, pc, ldc)` adds packed-A (mc/4 panels of 4 rows, depth-major) times
 * packed-B (nc/8 panels of 8 columns, depth-major), both `kc` deep, into the row-major float32 block
 * of C at byte address `pc` whose rows are `ldc` bytes apart. `mc` is a multiple of 4, `nc` of 8,
 * `kc` at least 1; every address is in the imported memory.
 */

const I32 = 0x7f;
const V128 = 0x7b;

// Locals: the seven parameters, then loop counters and pointers, then the vector registers.
const [MC, NC, KC, PA, PB, PC, LDC] = [0, 1, 2, 3, 4, 5, 6];
const [IR, JR, P, AP, BP, CP] = [7, 8, 9, 10, 11, 12];
const ACC = 13; // acc0..acc7: row r of the tile is acc(2r) (columns 0–3) and acc(2r+1) (columns 4–7)
const B0 = 21;
const B1 = 22;
const A = 23;

const op = {
  loop: [0x03, 0x40],
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
  // cp = pc + ir·ldc + jr·4; add the tile into C row by row.
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
  for (let r = 0; r < 4; r++) {
    for (const half of [0, 1]) {
      const offset = 16 * half;
      emit(
        op.get(CP),
        op.get(CP),
        op.v128Load(offset),
        op.get(ACC + 2 * r + half),
        op.f32x4Add,
        op.v128Store(offset),
      );
    }
    emit(op.get(CP), op.get(LDC), op.add, op.set(CP));
  }
  emit(op.get(IR), op.i32(4), op.add, op.tee(IR), op.get(MC), op.ltU, op.brIf(0), op.end);
  emit(op.get(JR), op.i32(8), op.add, op.tee(JR), op.get(NC), op.ltU, op.brIf(0), op.end);
  emit(op.end);
  const locals = [2, 6, I32, 11, V128];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

/**
 * The module's bytes: one function `macro`, memory imported as `env.memory`. With `sharedMaxPages`
 * the import is a shared memory of at most that many 64 KiB pages (what the worker pool hands every
 * thread); without it, a plain memory of at least one page.
 */
export function macroKernelModuleBytes(sharedMaxPages?: number): Uint8Array<ArrayBuffer> {
  // Memory limits: flags 0x00 = min only; 0x03 = shared, with min and max.
  const limits = sharedMaxPages === undefined ? [0x00, 0x01] : [0x03, 0x01, ...uleb(sharedMaxPages)];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 7, ...new Array<number>(7).fill(I32), 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, ...limits]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('macro'), 0x00, 0]),
    ...section(10, [1, ...body()]),
  ]);
}
