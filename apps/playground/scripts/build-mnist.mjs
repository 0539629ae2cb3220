// Writes public/mnist.bin: a few thousand real MNIST digits from the `mnist` package (an equal
// share of each digit, in the package's order), compact enough to ship with the static build.
// Format: "BPMN", uint32 LE count, count labels (uint8), count × 784 pixels (uint8, 0–255).
// The file is generated (gitignored), never committed; it is rebuilt only when missing.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PER_DIGIT = 250;
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'mnist.bin');
if (!existsSync(out)) {
  const digits = createRequire(import.meta.url)('mnist');
  const count = PER_DIGIT * 10;
  const bytes = new Uint8Array(8 + count * 785);
  bytes.set([0x42, 0x50, 0x4d, 0x4e]);
  new DataView(bytes.buffer).setUint32(4, count, true);
  let i = 0;
  for (let d = 0; d < 10; d++) {
    for (let j = 0; j < PER_DIGIT; j++, i++) {
      bytes[8 + i] = d;
      const pixels = digits[d].get(j);
      for (let p = 0; p < 784; p++) bytes[8 + count + i * 784 + p] = Math.round(pixels[p] * 255);
    }
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  console.log(`build-mnist: wrote ${count} digits (${bytes.length} bytes) to ${out}`);
}
