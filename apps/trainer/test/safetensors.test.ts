import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  decodeSafetensors,
  duplicateKey,
  encodeSafetensors,
  readFloat32,
} from '../src/checkpoint/safetensors.js';

/** Builds a safetensors file by hand from a header object and a body, to craft bad files. */
function craft(header: unknown, body: Uint8Array = new Uint8Array(0), declaredLength?: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + body.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(declaredLength ?? json.length), true);
  out.set(json, 8);
  out.set(body, 8 + json.length);
  return out;
}

describe('safetensors writer', () => {
  it('lays out the bytes as the spec says: u64 LE header length, JSON header, little-endian data', () => {
    const bytes = encodeSafetensors(
      {
        b: { shape: [2], data: Float32Array.of(1.5, -2) },
        a: { shape: [1, 1], data: Float32Array.of(0.25) },
      },
      { note: 'hi' },
    );
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = Number(view.getBigUint64(0, true));
    // The header is padded with spaces to a multiple of 8, so the data starts 8-byte aligned.
    expect(n % 8).toBe(0);
    expect(bytes[8]).toBe('{'.charCodeAt(0));
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(/^ *$/.test(text.slice(text.lastIndexOf('}') + 1))).toBe(true);
    const header = JSON.parse(text);
    expect(header).toEqual({
      __metadata__: { note: 'hi' },
      a: { dtype: 'F32', shape: [1, 1], data_offsets: [0, 4] },
      b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
    });
    expect(bytes.length).toBe(8 + n + 12);
    const body = 8 + n;
    // 0.25 = 0x3e800000, 1.5 = 0x3fc00000, -2 = 0xc0000000, each stored least significant byte first.
    expect([...bytes.subarray(body, body + 12)]).toEqual([
      0x00, 0x00, 0x80, 0x3e, 0x00, 0x00, 0xc0, 0x3f, 0x00, 0x00, 0x00, 0xc0,
    ]);
  });

  it('round-trips tensors and metadata exactly', () => {
    const weights = new Float32Array(1000).map((_, i) => Math.fround(Math.sin(i) * 1e-3 * (i + 1)));
    const bytes = encodeSafetensors(
      {
        'layer.weight': { shape: [10, 100], data: weights },
        empty: { shape: [0, 3], data: new Float32Array(0) },
      },
      { format: 'test', json: '{"a":1}' },
    );
    const file = decodeSafetensors(bytes);
    expect(file.metadata).toEqual({ format: 'test', json: '{"a":1}' });
    expect([...file.tensors.keys()].sort()).toEqual(['empty', 'layer.weight']);
    const entry = file.tensors.get('layer.weight');
    expect(entry?.dtype).toBe('F32');
    expect(entry?.shape).toEqual([10, 100]);
    expect(readFloat32('layer.weight', entry!)).toEqual(weights);
    expect(readFloat32('empty', file.tensors.get('empty')!)).toEqual(new Float32Array(0));
  });

  it('refuses data that does not fill the shape', () => {
    expect(() => encodeSafetensors({ w: { shape: [2, 2], data: new Float32Array(3) } })).toThrow(
      /shape \[2, 2\] has 4 elements but its data has 3/,
    );
  });
});

describe('safetensors reader refuses bad files with a clear error', () => {
  const good = encodeSafetensors({ w: { shape: [2, 3], data: new Float32Array(6).fill(1) } });
  const refuse = (bytes: Uint8Array, message: RegExp): void => {
    expect(() => decodeSafetensors(bytes)).toThrow(CheckpointError);
    expect(() => decodeSafetensors(bytes)).toThrow(message);
  };

  it('a file shorter than the length field', () => refuse(good.subarray(0, 5), /5 bytes: too short/));

  it('a header length past the end of the file', () => {
    const bytes = good.slice();
    new DataView(bytes.buffer).setBigUint64(0, BigInt(bytes.length), true);
    refuse(bytes, /header length \d+ runs past the end of the file/);
  });

  it('a truncated file (data cut off)', () =>
    refuse(good.subarray(0, good.length - 4), /run past the end of the data.*truncated/));

  it('a header that is not JSON', () => {
    const bytes = good.slice();
    bytes[9] = '!'.charCodeAt(0);
    refuse(bytes, /header is not valid JSON/);
  });

  it('an unknown dtype', () =>
    refuse(
      craft({ w: { dtype: 'F33', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)),
      /unknown dtype "F33"/,
    ));

  it('offsets that do not match the shape', () =>
    refuse(
      craft({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, new Uint8Array(4)),
      /hold 4 bytes but F32 \[2\] needs 8/,
    ));

  it('offsets outside the data', () =>
    refuse(
      craft({ w: { dtype: 'F32', shape: [2], data_offsets: [8, 16] } }, new Uint8Array(8)),
      /run past the end of the data/,
    ));

  it('overlapping tensors', () =>
    refuse(
      craft(
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
        },
        new Uint8Array(12),
      ),
      /tensors 'a' and 'b' overlap/,
    ));

  it('holes between tensors', () =>
    refuse(
      craft(
        {
          a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
          b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
        },
        new Uint8Array(12),
      ),
      /bytes 4\.\.8 of the data belong to no tensor/,
    ));

  it('trailing bytes after the last tensor', () =>
    refuse(
      craft({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(6)),
      /trailing bytes/,
    ));

  it('negative or fractional shapes', () =>
    refuse(
      craft({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)),
      /non-negative integers/,
    ));

  it('metadata values that are not strings', () =>
    refuse(craft({ __metadata__: { epoch: 3 } }), /__metadata__ 'epoch' must be a string/));
});

describe('readFloat32', () => {
  it('decodes F64, F16 and BF16 to float32 and refuses integer dtypes', () => {
    const f64 = new Uint8Array(16);
    new DataView(f64.buffer).setFloat64(0, 0.5, true);
    new DataView(f64.buffer).setFloat64(8, -3, true);
    expect([...readFloat32('x', { dtype: 'F64', shape: [2], bytes: f64 })]).toEqual([0.5, -3]);
    // F16: 0x3c00 = 1, 0xc000 = -2, 0x0001 = 2^-24 (subnormal); BF16: 0x3f80 = 1, 0xc040 = -3.
    expect([
      ...readFloat32('x', {
        dtype: 'F16',
        shape: [3],
        bytes: Uint8Array.of(0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00),
      }),
    ]).toEqual([1, -2, 2 ** -24]);
    expect([
      ...readFloat32('x', { dtype: 'BF16', shape: [2], bytes: Uint8Array.of(0x80, 0x3f, 0x40, 0xc0) }),
    ]).toEqual([1, -3]);
    expect(() => readFloat32('x', { dtype: 'I32', shape: [1], bytes: new Uint8Array(4) })).toThrow(
      /expected a float dtype/,
    );
  });
});

describe('duplicate keys in JSON text', () => {
  it('are found at any depth, with escaped quotes and keys inside strings handled', () => {
    expect(duplicateKey('{"a":1,"b":{"c":[{"d":1,"e":2}]}}')).toBeNull();
    expect(duplicateKey('{"a":1,"a":2}')).toBe('a');
    expect(duplicateKey('{"a":{"b":1,"c":[1,{"x":1,"x":2}]}}')).toBe('a.c.x');
    expect(duplicateKey('{"a":"{\\"a\\":1,\\"a\\":2}","b":["a","a"]}')).toBeNull();
    expect(duplicateKey('{"q\\"":1,"q\\"":2}')).toBe('q"');
    expect(duplicateKey('{"\\u0061":1,"a":2}')).toBe('a');
    // The same key in sibling objects is no duplicate.
    expect(duplicateKey('[{"a":1},{"a":2}]')).toBeNull();
  });

  it('make the reader refuse a header that has one (JSON.parse would keep the last)', () => {
    const body = new Uint8Array(4);
    const entry = '{"dtype":"F32","shape":[1],"data_offsets":[0,4]}';
    const json = new TextEncoder().encode(`{"w":${entry},"w":${entry}}`);
    const bytes = new Uint8Array(8 + json.length + 4);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
    bytes.set(json, 8);
    bytes.set(body, 8 + json.length);
    expect(() => decodeSafetensors(bytes)).toThrow(/header has the key 'w' twice/);
  });
});
