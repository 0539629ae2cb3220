import type { ClassificationData } from '@backprop/data';
import { CLASS_COLORS, context2d, rgb } from './colors.js';

/** Grid resolution of the decision-boundary probe (points per side). */
export const GRID = 50;

/** The probe grid over `[low, high]²`, row-major from the top-left, as `[GRID², 2]` points. */
export function gridPoints([low, high]: readonly [number, number], side = GRID): Float32Array {
  const points = new Float32Array(side * side * 2);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const i = r * side + c;
      points[2 * i] = low + ((c + 0.5) / side) * (high - low);
      points[2 * i + 1] = high - ((r + 0.5) / side) * (high - low);
    }
  }
  return points;
}

/**
 * Paints the decision regions (each cell in its most probable class's colour, paler where the
 * model is unsure) and the samples on top: training points filled, test points ringed.
 */
export function drawBoundary(
  canvas: HTMLCanvasElement,
  extent: readonly [number, number],
  probabilities: Float32Array | null,
  classes: number,
  train: ClassificationData,
  test: ClassificationData,
): void {
  const ctx = context2d(canvas);
  const { width, height } = canvas;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  if (probabilities) {
    const image = ctx.createImageData(GRID, GRID);
    for (let i = 0; i < GRID * GRID; i++) {
      let best = 0;
      for (let k = 1; k < classes; k++)
        if (probabilities[i * classes + k] > probabilities[i * classes + best]) best = k;
      const confidence = (probabilities[i * classes + best] - 1 / classes) / (1 - 1 / classes);
      const mix = 0.25 + 0.45 * Math.max(0, confidence);
      const [r, g, b] = CLASS_COLORS[best % CLASS_COLORS.length];
      image.data[4 * i] = 255 + (r - 255) * mix;
      image.data[4 * i + 1] = 255 + (g - 255) * mix;
      image.data[4 * i + 2] = 255 + (b - 255) * mix;
      image.data[4 * i + 3] = 255;
    }
    const small = document.createElement('canvas');
    small.width = GRID;
    small.height = GRID;
    context2d(small).putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(small, 0, 0, width, height);
  }
  const [low, high] = extent;
  const px = (v: number) => ((v - low) / (high - low)) * width;
  const py = (v: number) => ((high - v) / (high - low)) * height;
  const dot = (data: ClassificationData, filled: boolean) => {
    for (let i = 0; i < data.numSamples; i++) {
      const color = CLASS_COLORS[data.y[i] % CLASS_COLORS.length];
      ctx.beginPath();
      ctx.arc(px(data.x[2 * i]), py(data.x[2 * i + 1]), filled ? 3.2 : 3.6, 0, 2 * Math.PI);
      if (filled) {
        ctx.fillStyle = rgb(color);
        ctx.fill();
        ctx.strokeStyle = 'rgba(255,255,255,0.9)';
        ctx.lineWidth = 1;
        ctx.stroke();
      } else {
        ctx.strokeStyle = rgb(color);
        ctx.lineWidth = 1.6;
        ctx.stroke();
      }
    }
  };
  dot(train, true);
  dot(test, false);
}
