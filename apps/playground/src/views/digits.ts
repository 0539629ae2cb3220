import type { ClassificationData } from '@backprop/data';
import { context2d } from './colors.js';

/** The confusion matrix (rows: true digit, columns: predicted), cells shaded by their share of the row. */
export function drawConfusion(
  canvas: HTMLCanvasElement,
  test: ClassificationData,
  predicted: Int32Array,
): void {
  const k = test.numClasses;
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < test.numSamples; i++) counts[test.y[i]][predicted[i]]++;
  const ctx = context2d(canvas);
  const cell = Math.floor((Math.min(canvas.width, canvas.height) - 24) / k);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  counts.forEach((row, r) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    ctx.fillStyle = '#333';
    ctx.fillText(String(r), 10, 24 + r * cell + cell / 2 + 4);
    ctx.fillText(String(r), 24 + r * cell + cell / 2, 12);
    row.forEach((n, c) => {
      const share = n / total;
      ctx.fillStyle =
        r === c ? `rgba(40,120,220,${0.1 + 0.9 * share})` : `rgba(220,70,40,${Math.min(1, 3 * share)})`;
      ctx.fillRect(24 + c * cell, 20 + r * cell, cell - 1, cell - 1);
      ctx.fillStyle = share > 0.5 ? '#fff' : '#222';
      if (n > 0) ctx.fillText(String(n), 24 + c * cell + cell / 2, 20 + r * cell + cell / 2 + 4);
    });
  });
  ctx.textAlign = 'start';
}

/** Up to `limit` misclassified test digits, each with "true→predicted" under it. */
export function drawMisclassified(
  container: HTMLElement,
  test: ClassificationData,
  predicted: Int32Array,
  limit = 24,
): void {
  container.replaceChildren();
  let shown = 0;
  for (let i = 0; i < test.numSamples && shown < limit; i++) {
    if (predicted[i] === test.y[i]) continue;
    const figure = document.createElement('figure');
    const canvas = document.createElement('canvas');
    canvas.width = 28;
    canvas.height = 28;
    const ctx = context2d(canvas);
    const image = ctx.createImageData(28, 28);
    for (let p = 0; p < 784; p++) {
      const v = 255 - 255 * test.x[i * 784 + p];
      image.data.set([v, v, v, 255], 4 * p);
    }
    ctx.putImageData(image, 0, 0);
    const caption = document.createElement('figcaption');
    caption.textContent = `${test.y[i]}→${predicted[i]}`;
    figure.append(canvas, caption);
    container.append(figure);
    shown++;
  }
}
