import { ArgumentError, BackpropError } from '@backprop/core';
import {
  blobs,
  type ClassificationData,
  circles,
  classificationData,
  moons,
  spirals,
  trainTestSplit,
  xor,
} from '@backprop/data';
import type { PlaygroundConfig } from './config.js';

/** A data set split for training, with the square region of the plane it lies in (2-D sets). */
export interface PlaygroundData {
  readonly train: ClassificationData;
  readonly test: ClassificationData;
  /** `[low, high]` of both axes for the decision-boundary view; null for MNIST. */
  readonly extent: readonly [number, number] | null;
  /** Side of a square image sample (28 for MNIST), or 0 for points. */
  readonly imageSide: number;
}

/** Moves and scales a 2-D set in place so that it is centred and its larger spread is about [-1, 1]. */
function centre(data: ClassificationData): ClassificationData {
  const x = Float32Array.from(data.x);
  const lo = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  const hi = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (let i = 0; i < x.length; i++) {
    lo[i % 2] = Math.min(lo[i % 2], x[i]);
    hi[i % 2] = Math.max(hi[i % 2], x[i]);
  }
  const mid = [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2];
  const half = Math.max(hi[0] - lo[0], hi[1] - lo[1]) / 2 || 1;
  for (let i = 0; i < x.length; i++) x[i] = (x[i] - mid[i % 2]) / half;
  return classificationData(x, data.y, 2, data.numClasses);
}

/** The 2-D set a configuration names, from `@backprop/data`'s seeded generators. */
export function planeData(config: PlaygroundConfig): ClassificationData {
  const { samples: numSamples, noise, seed } = config;
  switch (config.dataset) {
    case 'spirals':
      return spirals({ numSamples, noise, seed });
    case 'circles':
      return circles({ numSamples, noise: noise / 2, seed });
    case 'moons':
      return centre(moons({ numSamples, noise: noise / 1.5, seed }));
    case 'xor':
      return centre(xor({ numSamples, noise: noise / 1.5, seed }));
    case 'blobs':
      return blobs({
        numSamples,
        centers: [
          [-0.55, -0.45],
          [0.55, -0.45],
          [0, 0.55],
        ],
        std: 0.08 + noise,
        seed,
      });
    case 'mnist':
      throw new ArgumentError('planeData: MNIST is not a 2-D set (load it with loadMnistAsset)');
  }
}

/** Splits a set by the configuration's test share (stratified, seeded). */
export function splitData(
  data: ClassificationData,
  config: PlaygroundConfig,
): { train: ClassificationData; test: ClassificationData } {
  return trainTestSplit(data, { test: config.testSplit, seed: config.seed });
}

/** The data a configuration trains on; MNIST digits come from the bundled `mnist.bin` asset. */
export async function loadData(config: PlaygroundConfig): Promise<PlaygroundData> {
  if (config.dataset === 'mnist') {
    const { train, test } = splitData(await loadMnistAsset(), config);
    return { train, test, extent: null, imageSide: 28 };
  }
  const { train, test } = splitData(planeData(config), config);
  return { train, test, extent: [-1.25, 1.25], imageSide: 0 };
}

/**
 * The digits `scripts/build-mnist.mjs` wrote: "BPMN", a little-endian uint32 count, `count`
 * labels (uint8), then `count × 784` pixels (uint8, 0–255, row-major 28×28).
 */
export function decodeMnist(bytes: Uint8Array): ClassificationData {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== 'BPMN') throw new BackpropError(`decodeMnist: not a playground MNIST file (magic ${magic})`);
  const count = new DataView(bytes.buffer, bytes.byteOffset + 4, 4).getUint32(0, true);
  if (bytes.length !== 8 + count * 785)
    throw new BackpropError(
      `decodeMnist: ${bytes.length} bytes do not hold ${count} digits (expected ${8 + count * 785})`,
    );
  const y = Int32Array.from(bytes.subarray(8, 8 + count));
  const pixels = bytes.subarray(8 + count);
  const x = new Float32Array(count * 784);
  for (let i = 0; i < x.length; i++) x[i] = pixels[i] / 255;
  return classificationData(x, y, 784, 10);
}

let mnist: Promise<ClassificationData> | undefined;

/** Fetches and decodes `mnist.bin` next to the page, once. */
export function loadMnistAsset(): Promise<ClassificationData> {
  mnist ??= fetch(new URL('mnist.bin', document.baseURI)).then(async (response) => {
    if (!response.ok) throw new BackpropError(`loadMnistAsset: mnist.bin answered ${response.status}`);
    return decodeMnist(new Uint8Array(await response.arrayBuffer()));
  });
  return mnist;
}
