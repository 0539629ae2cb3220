import type { WindowGeometry } from '@backprop/core';
import { describe, expect, it } from 'vitest';
import { backend, input, output, randomValues } from './helpers.js';

/** The window geometries the kernels must get right: padding, stride, dilation, windows past the end. */
const GEOMETRIES: { name: string; planes: number; g: WindowGeometry }[] = [
  {
    name: 'LeNet conv1: 5x5, padding 2',
    planes: 2,
    g: { size: [6, 7], out: [6, 7], kernel: [5, 5], stride: [1, 1], dilation: [1, 1], padLow: [2, 2] },
  },
  {
    name: '3x3 stride 2 padding 1, odd sizes',
    planes: 3,
    g: { size: [5, 6], out: [3, 3], kernel: [3, 3], stride: [2, 2], dilation: [1, 1], padLow: [1, 1] },
  },
  {
    name: 'dilation [2, 1], stride [1, 3]',
    planes: 1,
    g: { size: [7, 8], out: [3, 2], kernel: [3, 2], stride: [1, 3], dilation: [2, 1], padLow: [0, 0] },
  },
  {
    name: "'same' with an even kernel (padding past the end)",
    planes: 2,
    g: { size: [4, 5], out: [4, 5], kernel: [2, 4], stride: [1, 1], dilation: [1, 1], padLow: [0, 1] },
  },
];

/** The value tap (i, j) of window (r, s) reads, by the geometry's definition; `fill` in the padding. */
function naiveWindows(x: number[], planes: number, g: WindowGeometry, fill: number): number[] {
  const [height, width] = g.size;
  const out: number[] = [];
  for (let p = 0; p < planes; p++)
    for (let i = 0; i < g.kernel[0]; i++)
      for (let j = 0; j < g.kernel[1]; j++)
        for (let r = 0; r < g.out[0]; r++)
          for (let s = 0; s < g.out[1]; s++) {
            const row = r * g.stride[0] + i * g.dilation[0] - g.padLow[0];
            const col = s * g.stride[1] + j * g.dilation[1] - g.padLow[1];
            const inside = row >= 0 && row < height && col >= 0 && col < width;
            out.push(inside ? x[p * height * width + row * width + col] : fill);
          }
  return out;
}

const colsShape = (planes: number, g: WindowGeometry) => [
  1,
  planes,
  g.kernel[0] * g.kernel[1],
  g.out[0] * g.out[1],
];

describe('im2col', () => {
  for (const { name, planes, g } of GEOMETRIES) {
    it(`lays out every window tap, with the fill in the padding: ${name}`, () => {
      const x = randomValues(planes * g.size[0] * g.size[1], 3);
      const shape = [1, planes, g.size[0], g.size[1]];
      for (const fill of [0, Number.NEGATIVE_INFINITY]) {
        const cols = output(backend.im2col(input(x, shape), g, fill), colsShape(planes, g));
        expect(Array.from(cols)).toEqual(naiveWindows(x, planes, g, fill));
      }
    });
  }
});

describe('col2im', () => {
  for (const { name, planes, g } of GEOMETRIES) {
    it(`is im2col's adjoint, summing overlapping windows: ${name}`, () => {
      const size = planes * g.size[0] * g.size[1];
      const shape = colsShape(planes, g);
      const cols = randomValues(
        shape.reduce((a, b) => a * b, 1),
        5,
      );
      const summed = output(backend.col2im(input(cols, shape), g), [1, planes, ...g.size]);
      // Position k of the input receives every column entry whose window tap reads k.
      const positions = naiveWindows(
        Array.from({ length: size }, (_, k) => k),
        planes,
        g,
        -1,
      );
      const expected = new Float32Array(size);
      positions.forEach((k, e) => {
        if (k >= 0) expected[k] += cols[e];
      });
      expect(Array.from(summed)).toEqual(Array.from(expected));
    });
  }
});

describe('maxPoolIndices', () => {
  const indicesOf = (x: number[], planes: number, g: WindowGeometry): number[] =>
    Array.from(
      output(
        backend.maxPoolIndices(input(x, [1, planes, ...g.size]), g),
        [1, planes, g.out[0] * g.out[1]],
        'int32',
      ),
    );

  for (const { name, planes, g } of GEOMETRIES) {
    it(`finds each window's first maximum as a plane index: ${name}`, () => {
      // Values 0..3 so windows hold ties.
      const x = randomValues(planes * g.size[0] * g.size[1], 7).map((v) => Math.floor((v + 1) * 2));
      const positions = naiveWindows(
        Array.from({ length: x.length }, (_, k) => k),
        planes,
        g,
        -1,
      );
      const taps = g.kernel[0] * g.kernel[1];
      const windows = g.out[0] * g.out[1];
      const expected: number[] = [];
      for (let p = 0; p < planes; p++)
        for (let o = 0; o < windows; o++) {
          let at = -1;
          for (let t = 0; t < taps; t++) {
            const k = positions[(p * taps + t) * windows + o];
            if (k >= 0 && (at < 0 || x[k] > x[at])) at = k;
          }
          expected.push(at - p * g.size[0] * g.size[1]);
        }
      expect(indicesOf(x, planes, g)).toEqual(expected);
    });
  }

  const g: WindowGeometry = {
    size: [2, 3],
    out: [1, 2],
    kernel: [2, 2],
    stride: [2, 2],
    dilation: [1, 1],
    padLow: [0, 1],
  };

  it('never picks the padding, even when every value is −∞', () => {
    const inf = Number.NEGATIVE_INFINITY;
    // Window 0 reads columns −1..0 (−1 is padding), window 1 columns 1..2.
    expect(indicesOf([inf, inf, inf, inf, inf, inf], 1, g)).toEqual([0, 1]);
  });

  it('lets a NaN win, as argmax does', () => {
    // Window 1 reads 1, NaN, 9, 2: the NaN beats the larger 9 after it.
    expect(indicesOf([5, 1, Number.NaN, 3, 9, 2], 1, g)).toEqual([0, 2]);
  });
});
