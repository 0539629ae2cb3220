import { escapeXml } from './svg.js';

/** One titled part of a report; `html` is trusted markup made by the report builders. */
export interface ReportSection {
  readonly title: string;
  readonly html: string;
  /** A sentence under the title saying what to look for. */
  readonly note?: string;
}

/** A whole report: a title, key facts, then sections. */
export interface Report {
  readonly title: string;
  /** Key facts shown at the top (dataset, model, accuracy, ...). */
  readonly summary: readonly (readonly [string, string])[];
  readonly sections: readonly ReportSection[];
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 24px auto; max-width: 1180px; padding: 0 16px; color: #222; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 17px; margin: 28px 0 6px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p.note { color: #555; margin: 4px 0 10px; font-size: 14px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; }
th { background: #f4f4f4; }
td:first-child, th:first-child, .summary td { text-align: left; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.digits { display: flex; flex-wrap: wrap; gap: 10px; }
.digit { text-align: center; font-size: 12px; }
.digit img { width: 56px; height: 56px; image-rendering: pixelated; border: 1px solid #ccc; display: block; }
.wrong { color: #b22; font-weight: 600; }
footer { color: #888; font-size: 12px; margin-top: 32px; }
`;

/**
 * Renders a report as one self-contained HTML page: inline CSS and SVG, images as `data:` URLs,
 * no scripts and no external assets, so it can be mailed or archived as a single file.
 */
export function renderReport(report: Report): string {
  const summary = report.summary
    .map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`)
    .join('');
  const sections = report.sections
    .map(
      (s) =>
        `<section><h2>${escapeXml(s.title)}</h2>${s.note ? `<p class="note">${escapeXml(s.note)}</p>` : ''}${s.html}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeXml(report.title)}</h1>
<table class="summary">${summary}</table>
${sections}
<footer>Written by backprop-trainer on ${escapeXml(new Date().toISOString())}.</footer>
</body>
</html>
`;
}

/** An HTML table; the first column is left-aligned as a row label. */
export function htmlTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = `<tr>${headers.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`).join('');
  return `<table>${head}${body}</table>`;
}

/** Lays charts out side by side, wrapping on narrow screens. */
export function chartRow(...charts: string[]): string {
  return `<div class="charts">${charts.join('')}</div>`;
}
