import { context2d } from './colors.js';

/**
 * One small heatmap per hidden unit: its output over the probe grid, blue (low) to orange (high),
 * each scaled to its own range so that a unit's shape shows even when its values are small.
 */
export function drawHeatmaps(container: HTMLElement, layers: readonly Float32Array[], side: number): void {
  const widths = layers.map((l) => l.length / (side * side));
  const wanted = widths.join(',');
  if (container.dataset.shape !== wanted) {
    container.replaceChildren();
    widths.forEach((w, li) => {
      const row = document.createElement('div');
      row.className = 'heat-row';
      const label = document.createElement('span');
      label.textContent = `hidden ${li + 1}`;
      row.append(label);
      for (let u = 0; u < w; u++) {
        const c = document.createElement('canvas');
        c.width = side;
        c.height = side;
        c.title = `layer ${li + 1}, unit ${u + 1}`;
        row.append(c);
      }
      container.append(row);
    });
    container.dataset.shape = wanted;
  }
  layers.forEach((values, li) => {
    const width = widths[li];
    const canvases = container.children[li].querySelectorAll('canvas');
    for (let u = 0; u < width; u++) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < side * side; i++) {
        const v = values[i * width + u];
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      const span = hi - lo || 1;
      const ctx = context2d(canvases[u]);
      const image = ctx.createImageData(side, side);
      for (let i = 0; i < side * side; i++) {
        const t = (values[i * width + u] - lo) / span;
        image.data[4 * i] = 40 + 200 * t;
        image.data[4 * i + 1] = 110 + 20 * t;
        image.data[4 * i + 2] = 220 - 190 * t;
        image.data[4 * i + 3] = 255;
      }
      ctx.putImageData(image, 0, 0);
    }
  });
}
