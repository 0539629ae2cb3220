/**
 * The safetensors format, written and read here without a dependency, so other tools (Python's
 * `safetensors`, PyTorch, Hugging Face) read backprop's weights and backprop reads theirs:
 *
 * ```
 * [8 bytes]  N, the header length, unsigned 64-bit little-endian
 * [N bytes]  a UTF-8 JSON object: { "__metadata__": {string: string},
 *            "name": { "dtype": "F32", "shape": [d0, d1], "data_offsets": [begin, end] }, ... }
 * [rest]     the byte buffer: each tensor's elements, row-major, little-endian, at
 *            [begin, end) relative to the buffer's start
 * ```
 *
 * Reading validates everything the reference implementation does (header inside the file, known
 * dtypes, sizes that match shapes, offsets inside the buffer, no overlaps and no holes), so a
 * damaged file is refused with a message instead of giving wrong weights.
 */

import { BackpropError } from '@backprop/core';

/** A file that is not a valid checkpoint (or safetensors file); the message says what is wrong. */
export class CheckpointError extends BackpropError {
  override readonly name = 'CheckpointError';
}

/** Bytes per element of every dtype the safetensors spec defines. */
const DTYPE_BYTES = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
} as const;

/** A dtype name of the safetensors spec. */
export type SafetensorsDType = keyof typeof DTYPE_BYTES;

/** A float32 tensor to write as F32 (weights and optimizer buffers). */
export interface TensorToWrite {
  readonly shape: readonly number[];
  readonly data: Float32Array;
  readonly dtype?: 'F32';
}

/** An integer tensor to write as I64, the dtype PyTorch keeps counters such as `num_batches_tracked` in. */
export interface IntTensorToWrite {
  readonly shape: readonly number[];
  readonly data: Int32Array;
  readonly dtype: 'I64';
}

/** A tensor as read: validated layout and a view of its bytes, decoded on demand. */
export interface TensorEntry {
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  /** The tensor's bytes inside the file (a view, not a copy). */
  readonly bytes: Uint8Array;
}

/** A parsed safetensors file. */
export interface SafetensorsFile {
  /** Tensors in file order (by offset). */
  readonly tensors: Map<string, TensorEntry>;
  readonly metadata: Record<string, string>;
  /** The byte buffer after the header: every tensor's bytes (a view, not a copy). */
  readonly data: Uint8Array;
}

/** The reference implementation refuses headers over 100 MB; a larger one is a damaged length. */
const MAX_HEADER_BYTES = 100_000_000;

/**
 * Encodes tensors and string metadata as a safetensors file. Tensors are laid out in name order;
 * the header is padded with spaces to a multiple of 8 bytes so the data is 8-byte aligned, as the
 * reference writer does. `sign`, when given, sees the finished byte buffer and returns more
 * metadata (a checksum of it).
 */
export function encodeSafetensors(
  tensors: Readonly<Record<string, TensorToWrite | IntTensorToWrite>>,
  metadata: Readonly<Record<string, string>> = {},
  sign?: (data: Uint8Array) => Record<string, string>,
): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__') throw new CheckpointError(`a tensor cannot be named '__metadata__'`);
    const t = tensors[name];
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) {
      throw new CheckpointError(
        `tensor '${name}': shape [${t.shape.join(', ')}] has ${count} elements but its data has ${t.data.length}`,
      );
    }
    const dtype = t.dtype ?? 'F32';
    const size = count * DTYPE_BYTES[dtype];
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + size] };
    offset += size;
  }
  const data = new Uint8Array(offset);
  const dataView = new DataView(data.buffer);
  let at = 0;
  for (const name of names) {
    // DataView with explicit little-endian stores, so the file is the same on any host.
    const t = tensors[name];
    if (t.dtype === 'I64') {
      for (const v of t.data) {
        dataView.setBigInt64(at, BigInt(v), true);
        at += 8;
      }
      continue;
    }
    for (const v of t.data) {
      dataView.setFloat32(at, v, true);
      at += 4;
    }
  }
  const allMetadata = { ...metadata, ...sign?.(data) };
  const withMetadata =
    Object.keys(allMetadata).length > 0 ? { __metadata__: allMetadata, ...header } : header;
  let json = JSON.stringify(withMetadata);
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const padded = Math.ceil(headerBytes.length / 8) * 8;
  if (padded !== headerBytes.length) {
    json += ' '.repeat(padded - headerBytes.length);
    headerBytes = encoder.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  out.set(data, 8 + headerBytes.length);
  return out;
}

/** Parses and validates a safetensors file; throws a `CheckpointError` saying what is wrong. */
export function decodeSafetensors(file: Uint8Array): SafetensorsFile {
  if (file.length < 8) {
    throw new CheckpointError(`file is ${file.length} bytes: too short to hold the 8-byte header length`);
  }
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const n = view.getBigUint64(0, true);
  const available = file.length - 8;
  if (n > BigInt(available)) {
    throw new CheckpointError(
      `header length ${n} runs past the end of the file (${available} bytes follow the length); the file is truncated or not safetensors`,
    );
  }
  const headerLength = Number(n);
  if (headerLength > MAX_HEADER_BYTES) {
    throw new CheckpointError(`header length ${headerLength} is over the ${MAX_HEADER_BYTES}-byte limit`);
  }
  // The raw first byte, as the reference reader checks it: a BOM or whitespace before '{' is refused.
  if (file[8] !== 0x7b) {
    const first = headerLength === 0 ? 'nothing' : `byte 0x${file[8].toString(16).padStart(2, '0')}`;
    throw new CheckpointError(`header must be a JSON object starting with '{', but it starts with ${first}`);
  }
  let text: string;
  try {
    // ignoreBOM keeps a BOM in the text instead of dropping it silently (it is refused above anyway).
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
      file.subarray(8, 8 + headerLength),
    );
  } catch {
    throw new CheckpointError('header is not valid UTF-8');
  }
  const header = parseJsonObject(text, 'header');
  const buffer = file.subarray(8 + headerLength);
  const metadata = readMetadata(header.__metadata__);
  const layout: { name: string; dtype: SafetensorsDType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    layout.push({ name, ...readEntry(name, raw, buffer.length) });
  }
  layout.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  let previous = '';
  for (const t of layout) {
    if (t.begin < expected) {
      throw new CheckpointError(
        `tensors '${previous}' and '${t.name}' overlap: '${t.name}' starts at byte ${t.begin} of the data, before '${previous}' ends at ${expected}`,
      );
    }
    if (t.begin > expected) {
      throw new CheckpointError(
        `bytes ${expected}..${t.begin} of the data belong to no tensor (safetensors allows no holes)`,
      );
    }
    expected = t.end;
    previous = t.name;
  }
  if (expected !== buffer.length) {
    throw new CheckpointError(
      `the data is ${buffer.length} bytes but the tensors cover ${expected}: the file has trailing bytes`,
    );
  }
  const tensors = new Map<string, TensorEntry>();
  for (const t of layout) {
    tensors.set(t.name, { dtype: t.dtype, shape: t.shape, bytes: buffer.subarray(t.begin, t.end) });
  }
  return { tensors, metadata, data: buffer };
}

/**
 * Parses JSON text that must be an object, refusing duplicate keys at any depth (JSON.parse
 * silently keeps the last, so a second `__metadata__` or tensor entry would override the first).
 * `what` names the text in messages.
 */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CheckpointError(`${what} must be a JSON object`);
  }
  const duplicate = duplicateKey(text);
  if (duplicate !== null) {
    throw new CheckpointError(
      `${what} has the key '${duplicate}' twice (JSON readers would keep only the last)`,
    );
  }
  return value as Record<string, unknown>;
}

/**
 * The dotted path of the first key that appears twice in one object of `text` (valid JSON), or
 * null. A scan of the raw text: strings are skipped whole, and a string right after `{` or a
 * comma inside an object is a key.
 */
export function duplicateKey(text: string): string | null {
  const frames: { keys: Set<string> | null; path: string }[] = [];
  let expectKey = false;
  let lastKey = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const frame = frames[frames.length - 1];
      if (expectKey && frame?.keys) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        const path = frame.path === '' ? key : `${frame.path}.${key}`;
        if (frame.keys.has(key)) return path;
        frame.keys.add(key);
        lastKey = path;
        expectKey = false;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      const parent = frames[frames.length - 1];
      const path = parent === undefined ? '' : parent.keys ? lastKey : parent.path;
      frames.push({ keys: c === '{' ? new Set() : null, path });
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      frames.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = frames[frames.length - 1]?.keys != null;
    }
  }
  return null;
}

function readMetadata(raw: unknown): Record<string, string> {
  if (raw === undefined) return {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CheckpointError('__metadata__ must be an object of strings');
  }
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string')
      throw new CheckpointError(`__metadata__ '${k}' must be a string, got ${typeof v}`);
  }
  return raw as Record<string, string>;
}

function readEntry(
  name: string,
  raw: unknown,
  bufferLength: number,
): { dtype: SafetensorsDType; shape: number[]; begin: number; end: number } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CheckpointError(`tensor '${name}': entry must be an object with dtype, shape and data_offsets`);
  }
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) {
    throw new CheckpointError(
      `tensor '${name}': unknown dtype ${JSON.stringify(dtype)} (safetensors dtypes: ${Object.keys(DTYPE_BYTES).join(', ')})`,
    );
  }
  const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw new CheckpointError(`tensor '${name}': shape must be an array of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
    throw new CheckpointError(`tensor '${name}': data_offsets must be [begin, end] with 0 <= begin <= end`);
  }
  const [begin, end] = offsets as [number, number];
  const d = dtype as SafetensorsDType;
  const needed = shape.reduce((a: number, b: number) => a * b, 1) * DTYPE_BYTES[d];
  if (end - begin !== needed) {
    throw new CheckpointError(
      `tensor '${name}': data_offsets [${begin}, ${end}] hold ${end - begin} bytes but ${d} [${shape.join(', ')}] needs ${needed}`,
    );
  }
  if (end > bufferLength) {
    throw new CheckpointError(
      `tensor '${name}': data_offsets [${begin}, ${end}] run past the end of the data (${bufferLength} bytes); the file is truncated`,
    );
  }
  return { dtype: d, shape: shape as number[], begin, end };
}

/** Decodes a float tensor (F32, F64, F16 or BF16) to float32 values. */
export function readFloat32(name: string, entry: TensorEntry): Float32Array {
  const { bytes, dtype } = entry;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = DTYPE_BYTES[dtype];
  const out = new Float32Array(bytes.length / size);
  if (dtype === 'F32') for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  else if (dtype === 'F64') for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(8 * i, true);
  else if (dtype === 'BF16') {
    // bfloat16 is the top half of a float32.
    const wide = new DataView(new ArrayBuffer(4));
    for (let i = 0; i < out.length; i++) {
      wide.setUint32(0, view.getUint16(2 * i, true) << 16);
      out[i] = wide.getFloat32(0);
    }
  } else if (dtype === 'F16')
    for (let i = 0; i < out.length; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
  else
    throw new CheckpointError(`tensor '${name}': expected a float dtype (F32, F64, F16, BF16), got ${dtype}`);
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
