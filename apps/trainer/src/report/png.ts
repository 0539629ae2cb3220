import { deflateSync } from 'node:zlib';

/**
 * Encodes a grayscale image as PNG bytes: signature, IHDR, one zlib-compressed IDAT and IEND.
 * Written here (with Node's zlib for the deflate step) so the report needs no image library.
 * `pixels` are row-major in [0, 1]; 1 is drawn black, as ink on paper; `scale` repeats each pixel
 * into a `scale`×`scale` block so small digits stay crisp when a browser enlarges them.
 */
export function encodeGrayPng(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  scale = 1,
): Uint8Array {
  const w = width * scale;
  const h = height * scale;
  // Each scanline starts with its filter type (0: none).
  const raw = Buffer.alloc((w + 1) * h);
  for (let y = 0; y < h; y++) {
    const row = y * (w + 1);
    for (let x = 0; x < w; x++) {
      const v = pixels[Math.floor(y / scale) * width + Math.floor(x / scale)];
      raw[row + 1 + x] = 255 - Math.round(Math.min(1, Math.max(0, v)) * 255);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // colour type: grayscale
  // bytes 10-12: compression, filter and interlace methods, all 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A `data:` URL for PNG bytes, to inline an image in HTML. */
export function pngDataUrl(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, as PNG chunks use) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
