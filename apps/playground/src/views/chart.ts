import { context2d } from './colors.js';

/** One line of a chart. */
export interface Series {
  readonly label: string;
  readonly color: string;
  /** `[x, y]` points in x order. */
  readonly points: readonly (readonly [number, number])[];
}

/** Formats an axis value: plain for moderate numbers, exponent form for tiny or huge ones. */
function tick(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-2 || a >= 1e4) ? v.toExponential(0) : String(Number(v.toPrecision(3)));
}

/**
 * A line chart with a legend; `log` plots log10(y) (gradient norms span decades). Non-positive
 * values are left out of a log chart rather than drawn at minus infinity.
 */
export function drawChart(
  canvas: HTMLCanvasElement,
  series: readonly Series[],
  options: { log?: boolean; xLabel?: string; title?: string } = {},
): void {
  const ctx = context2d(canvas);
  const { width, height } = canvas;
  const pad = { left: 46, right: 10, top: 22, bottom: 24 };
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  const f = (y: number) => (options.log ? Math.log10(y) : y);
  const usable = series.map((s) => s.points.filter(([, y]) => Number.isFinite(f(y))));
  const all = usable.flat();
  ctx.fillStyle = '#333';
  ctx.font = '12px system-ui, sans-serif';
  if (options.title) ctx.fillText(options.title, pad.left, 14);
  if (all.length === 0) return;
  let [x0, x1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  let [y0, y1] = [Math.min(...all.map((p) => f(p[1]))), Math.max(...all.map((p) => f(p[1])))];
  if (x1 === x0) x1 = x0 + 1;
  if (options.log) [y0, y1] = [Math.floor(y0), Math.ceil(y1)];
  if (y1 === y0) [y0, y1] = [y0 - 1, y1 + 1];
  if (!options.log) y0 = Math.min(0, y0);
  const X = (x: number) => pad.left + ((x - x0) / (x1 - x0)) * (width - pad.left - pad.right);
  const Y = (y: number) => height - pad.bottom - ((y - y0) / (y1 - y0)) * (height - pad.top - pad.bottom);
  ctx.strokeStyle = '#ddd';
  ctx.lineWidth = 1;
  const rows = options.log ? Math.min(y1 - y0, 8) : 4;
  for (let i = 0; i <= rows; i++) {
    const v = y0 + ((y1 - y0) * i) / rows;
    ctx.beginPath();
    ctx.moveTo(pad.left, Y(v));
    ctx.lineTo(width - pad.right, Y(v));
    ctx.stroke();
    ctx.fillText(options.log ? `1e${Math.round(v)}` : tick(v), 2, Y(v) + 4);
  }
  ctx.fillText(tick(x0), pad.left, height - 6);
  ctx.fillText(`${tick(x1)} ${options.xLabel ?? ''}`, width - pad.right - 70, height - 6);
  series.forEach((s, i) => {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 1.8;
    ctx.beginPath();
    usable[i].forEach(([x, y], j) => {
      if (j === 0) ctx.moveTo(X(x), Y(f(y)));
      else ctx.lineTo(X(x), Y(f(y)));
    });
    ctx.stroke();
    ctx.fillStyle = s.color;
    // A single point draws no line: mark it.
    if (usable[i].length === 1) {
      const [x, y] = usable[i][0];
      ctx.fillRect(X(x) - 2, Y(f(y)) - 2, 4, 4);
    }
    ctx.fillText(s.label, width - pad.right - 90, pad.top + 12 + 14 * i);
  });
}
