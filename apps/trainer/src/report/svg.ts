/**
 * Inline SVG charts for the HTML report: line charts, a heat map, a bar chart and a 2-D decision
 * map. Each returns a self-contained `<svg>` string (no scripts, fonts or external assets), so the
 * report is one file that opens anywhere.
 */

/** One line of a line chart. */
export interface Series {
  readonly name: string;
  /** [x, y] pairs; a non-finite y breaks the line. */
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
  readonly color?: string;
}

/** A line chart's content and axes. */
export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** Logarithmic y axis (for gradient norms spanning many decades). */
  readonly logY?: boolean;
  /** Draw a marker on every point (for short series such as per-layer values). */
  readonly markers?: boolean;
  readonly width?: number;
  readonly height?: number;
}

/** Colours that stay distinct for up to ten series (Tableau 10). */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
] as const;

/** Escapes text for use in HTML or SVG content and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const MARGIN = { top: 34, right: 16, bottom: 44, left: 62 };

/** A line chart with axes, grid, ticks and a legend. */
export function lineChart(o: LineChartOptions): string {
  const width = o.width ?? 560;
  const height = o.height ?? 320;
  const legendWidth = o.series.length > 1 ? 130 : 0;
  const plotW = width - MARGIN.left - MARGIN.right - legendWidth;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const ys = o.series.flatMap((s) => s.points.map((p) => p[1])).filter((y) => Number.isFinite(y));
  const usable = o.logY ? ys.filter((y) => y > 0) : ys;
  const xs = o.series.flatMap((s) => s.points.map((p) => p[0]));
  const parts: string[] = [svgOpen(width, height, o.title), title(o.title, width)];
  if (usable.length === 0 || xs.length === 0) {
    parts.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle">no data</text></svg>`);
    return parts.join('');
  }
  const xTicks = niceTicks(Math.min(...xs), Math.max(...xs), 6);
  const [x0, x1] = [xTicks[0], xTicks[xTicks.length - 1]];
  let yTicks: number[];
  let toUnit: (y: number) => number;
  if (o.logY) {
    const lo = Math.floor(Math.log10(Math.min(...usable)));
    const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...usable))));
    const step = Math.max(1, Math.ceil((hi - lo) / 6));
    yTicks = [];
    for (let e = lo; e <= hi; e += step) yTicks.push(10 ** e);
    toUnit = (y) => (Math.log10(y) - lo) / (hi - lo);
  } else {
    yTicks = niceTicks(Math.min(...usable), Math.max(...usable), 5);
    const [lo, hi] = [yTicks[0], yTicks[yTicks.length - 1]];
    toUnit = (y) => (y - lo) / (hi - lo || 1);
  }
  const px = (x: number): number => MARGIN.left + ((x - x0) / (x1 - x0 || 1)) * plotW;
  const py = (y: number): number => MARGIN.top + plotH - toUnit(y) * plotH;
  parts.push(`<g class="grid" stroke="#e3e3e3">`);
  for (const t of yTicks)
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${f(py(t))}" y2="${f(py(t))}"/>`);
  for (const t of xTicks)
    parts.push(`<line x1="${f(px(t))}" x2="${f(px(t))}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}"/>`);
  parts.push('</g>');
  parts.push(`<g font-size="11" fill="#444">`);
  for (const t of yTicks) {
    parts.push(
      `<text x="${MARGIN.left - 6}" y="${f(py(t) + 4)}" text-anchor="end">${formatTick(t, o.logY)}</text>`,
    );
  }
  for (const t of xTicks) {
    parts.push(
      `<text x="${f(px(t))}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${formatTick(t)}</text>`,
    );
  }
  parts.push('</g>');
  parts.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 8}" text-anchor="middle" font-size="12">${escapeXml(o.xLabel)}</text>`,
    `<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(o.yLabel)}</text>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
  );
  o.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const segments: string[][] = [[]];
    for (const [x, y] of s.points) {
      if (!Number.isFinite(y) || (o.logY && y <= 0)) segments.push([]);
      else segments[segments.length - 1].push(`${f(px(x))},${f(py(y))}`);
    }
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    for (const seg of segments.filter((p) => p.length > 0)) {
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${seg.join(' ')}"/>`,
      );
    }
    if (o.markers || s.points.length === 1) {
      for (const [x, y] of s.points) {
        if (Number.isFinite(y) && !(o.logY && y <= 0)) {
          parts.push(`<circle cx="${f(px(x))}" cy="${f(py(y))}" r="3" fill="${color}"/>`);
        }
      }
    }
    if (legendWidth > 0) {
      const ly = MARGIN.top + 8 + i * 18;
      const lx = width - legendWidth - MARGIN.right + 12;
      parts.push(
        `<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`,
        `<text x="${lx + 28}" y="${ly + 4}" font-size="11">${escapeXml(s.name)}</text>`,
      );
    }
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Options of a heat map such as a confusion matrix. */
export interface HeatmapOptions {
  readonly title: string;
  /** Rows of counts; row i is the true class i. */
  readonly matrix: readonly (readonly number[])[];
  readonly labels: readonly string[];
  readonly rowLabel: string;
  readonly columnLabel: string;
}

/**
 * A heat map with the count in every cell; colour is the share of the row, so a class with few
 * samples is as readable as a common one.
 */
export function heatmap(o: HeatmapOptions): string {
  const n = o.labels.length;
  const cell = Math.max(24, Math.min(44, Math.floor(440 / Math.max(1, n))));
  const left = 70;
  const top = 62;
  const width = left + n * cell + 20;
  const height = top + n * cell + 30;
  const parts = [svgOpen(width, height, o.title), title(o.title, width)];
  parts.push(
    `<text x="${left + (n * cell) / 2}" y="${top - 26}" text-anchor="middle" font-size="12">${escapeXml(o.columnLabel)}</text>`,
    `<text transform="translate(16 ${top + (n * cell) / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(o.rowLabel)}</text>`,
  );
  for (let j = 0; j < n; j++) {
    parts.push(
      `<text x="${left + j * cell + cell / 2}" y="${top - 8}" text-anchor="middle" font-size="11">${escapeXml(o.labels[j])}</text>`,
    );
  }
  for (let i = 0; i < n; i++) {
    const row = o.matrix[i] ?? [];
    const total = row.reduce((a, b) => a + b, 0);
    parts.push(
      `<text x="${left - 6}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end" font-size="11">${escapeXml(o.labels[i])}</text>`,
    );
    for (let j = 0; j < n; j++) {
      const count = row[j] ?? 0;
      const share = total > 0 ? count / total : 0;
      // Diagonal cells in blue (right), the rest in red (wrong), so mistakes stand out.
      const hue = i === j ? '210, 70%' : '0, 75%';
      const light = 97 - Math.round(share * 55);
      const textColor = light < 60 ? '#fff' : '#222';
      parts.push(
        `<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell}" height="${cell}" fill="hsl(${hue}, ${light}%)" stroke="#fff"><title>true ${escapeXml(o.labels[i])}, predicted ${escapeXml(o.labels[j])}: ${count}</title></rect>`,
      );
      if (count > 0) {
        parts.push(
          `<text x="${left + j * cell + cell / 2}" y="${top + i * cell + cell / 2 + 4}" text-anchor="middle" font-size="${cell < 30 ? 9 : 11}" fill="${textColor}">${count}</text>`,
        );
      }
    }
  }
  parts.push('</svg>');
  return parts.join('');
}

/** One bar: a label and a value, or null for "not reached" (drawn as a hatched stub). */
export interface Bar {
  readonly label: string;
  readonly value: number | null;
  readonly note?: string;
}

/** A horizontal bar chart. */
export function barChart(o: {
  readonly title: string;
  readonly xLabel: string;
  readonly bars: readonly Bar[];
}): string {
  const rowH = 24;
  const left = 110;
  const plotW = 360;
  const width = left + plotW + 110;
  const height = 44 + o.bars.length * rowH + 36;
  const max = Math.max(1, ...o.bars.map((b) => b.value ?? 0));
  const ticks = niceTicks(0, max, 5);
  const top = ticks[ticks.length - 1];
  const parts = [svgOpen(width, height, o.title), title(o.title, width)];
  const y0 = 40;
  for (const t of ticks) {
    const x = left + (t / top) * plotW;
    parts.push(
      `<line x1="${f(x)}" x2="${f(x)}" y1="${y0}" y2="${y0 + o.bars.length * rowH}" stroke="#e3e3e3"/>`,
      `<text x="${f(x)}" y="${y0 + o.bars.length * rowH + 14}" text-anchor="middle" font-size="11">${formatTick(t)}</text>`,
    );
  }
  o.bars.forEach((b, i) => {
    const y = y0 + i * rowH;
    parts.push(
      `<text x="${left - 8}" y="${y + rowH / 2 + 4}" text-anchor="end" font-size="12">${escapeXml(b.label)}</text>`,
    );
    if (b.value === null) {
      parts.push(
        `<text x="${left + 4}" y="${y + rowH / 2 + 4}" font-size="11" fill="#a33">${escapeXml(b.note ?? 'not reached')}</text>`,
      );
    } else {
      const w = (b.value / top) * plotW;
      parts.push(
        `<rect x="${left}" y="${y + 4}" width="${f(w)}" height="${rowH - 8}" fill="${PALETTE[i % PALETTE.length]}"/>`,
        `<text x="${f(left + w + 6)}" y="${y + rowH / 2 + 4}" font-size="11">${escapeXml(b.note ?? formatTick(b.value))}</text>`,
      );
    }
  });
  parts.push(
    `<text x="${left + plotW / 2}" y="${height - 6}" text-anchor="middle" font-size="12">${escapeXml(o.xLabel)}</text>`,
    '</svg>',
  );
  return parts.join('');
}

/** A 2-D classifier's picture: the predicted class on a grid behind the data points. */
export interface DecisionMapOptions {
  readonly title: string;
  /** Data points as [x, y, class]. */
  readonly points: readonly (readonly [number, number, number])[];
  /** Predicted class of each grid cell, row-major from the top-left, `resolution`² cells. */
  readonly grid: readonly number[];
  readonly resolution: number;
  readonly bounds: { readonly x0: number; readonly x1: number; readonly y0: number; readonly y1: number };
}

/** Draws a decision map: light cells for the predicted regions, dots for the data. */
export function decisionMap(o: DecisionMapOptions): string {
  const size = 360;
  const pad = 10;
  const width = size + 2 * pad;
  const height = size + 2 * pad + 28;
  const { x0, x1, y0, y1 } = o.bounds;
  const cell = size / o.resolution;
  const parts = [svgOpen(width, height, o.title), title(o.title, width)];
  const top = 28 + pad;
  parts.push('<g opacity="0.28">');
  for (let r = 0; r < o.resolution; r++) {
    for (let c = 0; c < o.resolution; c++) {
      const k = o.grid[r * o.resolution + c];
      parts.push(
        `<rect x="${f(pad + c * cell)}" y="${f(top + r * cell)}" width="${f(cell + 0.5)}" height="${f(cell + 0.5)}" fill="${PALETTE[k % PALETTE.length]}"/>`,
      );
    }
  }
  parts.push('</g><g stroke="#fff" stroke-width="0.6">');
  for (const [x, y, k] of o.points) {
    const cx = pad + ((x - x0) / (x1 - x0)) * size;
    const cy = top + (1 - (y - y0) / (y1 - y0)) * size;
    parts.push(`<circle cx="${f(cx)}" cy="${f(cy)}" r="3" fill="${PALETTE[k % PALETTE.length]}"/>`);
  }
  parts.push(
    `</g><rect x="${pad}" y="${top}" width="${size}" height="${size}" fill="none" stroke="#999"/></svg>`,
  );
  return parts.join('');
}

function svgOpen(width: number, height: number, label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(label)}" font-family="system-ui, sans-serif">`;
}

function title(text: string, width: number): string {
  return `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="600">${escapeXml(text)}</text>`;
}

/** Round numbers covering [lo, hi]: steps of 1, 2 or 5 times a power of ten. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    return niceTicks(lo - pad, hi + pad, count);
  }
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const start = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let t = start; t < hi + step * 0.999; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function formatTick(v: number, log = false): string {
  if (log) return v >= 0.01 && v <= 1000 ? String(Number(v.toPrecision(3))) : v.toExponential(0);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(4)));
}

function f(v: number): string {
  return String(Math.round(v * 10) / 10);
}
