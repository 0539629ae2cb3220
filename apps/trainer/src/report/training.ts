import { fromArray, noGrad, tidy } from '@backprop/core';
import type { ClassificationData } from '@backprop/data';
import type { Sequential } from '@backprop/nn';
import type { TrainConfig } from '../config.js';
import type { InputInfo } from '../datasets.js';
import { formatLr } from '../format.js';
import { describeModel, type ModelConfig } from '../model.js';
import type { EpochMetrics, EvalResult } from '../trainer.js';
import { chartRow, htmlTable, type ReportSection, renderReport } from './html.js';
import { encodeGrayPng, pngDataUrl } from './png.js';
import { decisionMap, escapeXml, heatmap, lineChart } from './svg.js';

/** What the report of a training run (or an evaluation) shows. */
export interface RunReportInput {
  readonly title: string;
  readonly config: TrainConfig;
  readonly model: ModelConfig;
  readonly parameters: number;
  readonly input: InputInfo;
  readonly history: readonly EpochMetrics[];
  /** The final evaluation, on `evaluated`. */
  readonly result: EvalResult;
  readonly evaluated: ClassificationData;
  /** What `evaluated` is, in words ("held-out split, 2,000 samples"). */
  readonly evaluatedLabel: string;
  /** Predicted class on a grid over the inputs, for 2-D data sets. */
  readonly decision: DecisionGrid | null;
  readonly trainSeconds: number;
}

/** The most misclassified examples the report draws. */
const MAX_MISTAKES = 48;

/** Renders the run's HTML report: curves, per-epoch table, confusion matrix, mistakes. */
export function runReport(r: RunReportInput): string {
  const sections: ReportSection[] = [];
  const h = r.history;
  if (h.length > 0) {
    sections.push({
      title: 'Training curves',
      note: 'Training values are running means over each epoch’s batches; held-out values are measured after the epoch.',
      html: chartRow(
        lineChart({
          title: 'Loss',
          xLabel: 'epoch',
          yLabel: `${r.config.loss} loss`,
          series: [
            { name: 'train', points: h.map((m) => [m.epoch, m.trainLoss]) },
            { name: 'held-out', points: h.map((m) => [m.epoch, m.testLoss]) },
          ],
          markers: h.length < 30,
        }),
        lineChart({
          title: 'Accuracy',
          xLabel: 'epoch',
          yLabel: 'accuracy',
          series: [
            { name: 'train', points: h.map((m) => [m.epoch, m.trainAccuracy]) },
            { name: 'held-out', points: h.map((m) => [m.epoch, m.testAccuracy]) },
          ],
          markers: h.length < 30,
        }),
        lineChart({
          title: 'Learning rate',
          xLabel: 'epoch',
          yLabel: 'lr at the end of the epoch',
          series: [{ name: 'lr', points: h.map((m) => [m.epoch, m.lr]) }],
          markers: h.length < 30,
        }),
      ),
    });
    sections.push({
      title: 'Per epoch',
      html: htmlTable(
        ['epoch', 'train loss', 'train acc', 'held-out loss', 'held-out acc', 'lr', 'time', 'samples/s'],
        h.map((m) => [
          String(m.epoch),
          m.trainLoss.toFixed(4),
          percent(m.trainAccuracy),
          m.testLoss.toFixed(4),
          percent(m.testAccuracy),
          formatLr(m.lr),
          `${m.seconds.toFixed(1)} s`,
          String(Math.round(m.samplesPerSecond)),
        ]),
      ),
    });
  }
  sections.push({
    title: 'Confusion matrix',
    note: `Rows are the true classes, columns the predictions, on the ${r.evaluatedLabel}; colour is the share of the row.`,
    html: heatmap({
      title: `Confusion matrix (accuracy ${percent(r.result.accuracy)})`,
      matrix: r.result.confusion,
      labels: r.input.classNames,
      rowLabel: 'true class',
      columnLabel: 'predicted class',
    }),
  });
  if (r.decision !== null) {
    sections.push({
      title: 'Decision regions',
      note: 'The predicted class over the input plane (shaded) and the evaluated samples (dots, coloured by their true class).',
      html: decisionMap({
        title: 'Decision regions',
        points: Array.from({ length: r.evaluated.numSamples }, (_, i) => [
          r.evaluated.x[2 * i],
          r.evaluated.x[2 * i + 1],
          r.evaluated.y[i],
        ]),
        grid: Array.from(r.decision.classes),
        resolution: r.decision.resolution,
        bounds: r.decision.bounds,
      }),
    });
  }
  if (r.input.imageShape !== null) sections.push(mistakesSection(r));
  return renderReport({
    title: r.title,
    summary: [
      ['data set', `${displayDataset(r.config.dataset)} (${r.evaluatedLabel})`],
      ['model', `${describeModel(r.model)}, ${r.parameters.toLocaleString('en-US')} parameters`],
      ['loss', r.config.loss],
      ['optimizer', describeOptimizer(r.config)],
      [
        'batch size, epochs',
        `${r.config.batchSize}, ${h.length > 0 ? h[h.length - 1].epoch : 0} of ${r.config.epochs}`,
      ],
      ['seed, backend', `${r.config.seed}, ${r.config.backend}`],
      ['accuracy', percent(r.result.accuracy)],
      ['loss value', r.result.loss.toFixed(4)],
      ['training time', `${r.trainSeconds.toFixed(1)} s`],
    ],
    sections,
  });
}

/** `sgd lr 0.1, momentum 0.9, cosine schedule` */
export function describeOptimizer(c: TrainConfig): string {
  const parts = [`${c.optimizer} lr ${c.lr}`];
  if (c.optimizer === 'sgd' || c.optimizer === 'rmsprop') parts.push(`momentum ${c.momentum}`);
  if (c.weightDecay > 0) parts.push(`weight decay ${c.weightDecay}`);
  if (c.labelSmoothing > 0) parts.push(`label smoothing ${c.labelSmoothing}`);
  parts.push(`${c.schedule} schedule`);
  if (c.augment > 0) parts.push(`shift augmentation ±${c.augment} px`);
  return parts.join(', ');
}

/** `csv:/long/path/data.csv` → `data.csv (csv)`; built-in names as they are. */
export function displayDataset(dataset: string): string {
  return dataset.startsWith('csv:') ? `${dataset.slice(4).split(/[\\/]/).pop()} (csv)` : dataset;
}

/** A percentage with two decimals: 0.9685 → `96.85%`. */
export function percent(v: number): string {
  return `${(v * 100).toFixed(2)}%`;
}

function mistakesSection(r: RunReportInput): ReportSection {
  const [height, width] = r.input.imageShape as [number, number];
  const k = r.input.classNames.length;
  const d = r.evaluated.numFeatures;
  // The most confident mistakes first: they say most about what the model gets wrong.
  const wrong: { index: number; confidence: number }[] = [];
  for (let i = 0; i < r.evaluated.numSamples; i++) {
    const p = r.result.predicted[i];
    if (p !== r.evaluated.y[i]) wrong.push({ index: i, confidence: r.result.probabilities[i * k + p] });
  }
  wrong.sort((a, b) => b.confidence - a.confidence);
  const cells = wrong.slice(0, MAX_MISTAKES).map(({ index, confidence }) => {
    const pixels = r.evaluated.x.subarray(index * d, (index + 1) * d);
    const src = pngDataUrl(encodeGrayPng(pixels, width, height, 2));
    const predicted = r.input.classNames[r.result.predicted[index]];
    const truth = r.input.classNames[r.evaluated.y[index]];
    return `<div class="digit"><img src="${src}" alt="sample ${index}: true ${escapeXml(truth)}, predicted ${escapeXml(predicted)}"><span class="wrong">${escapeXml(predicted)}</span> (${Math.round(confidence * 100)}%) · true ${escapeXml(truth)}</div>`;
  });
  return {
    title: 'Misclassified samples',
    note: `${wrong.length} of ${r.evaluated.numSamples} samples are misclassified; the ${cells.length} the model was surest about are shown: predicted class in red (with its probability), then the true class.`,
    html: cells.length > 0 ? `<div class="digits">${cells.join('')}</div>` : '<p>None.</p>',
  };
}

/** The predicted class on a square grid over a 2-D input plane. */
export interface DecisionGrid {
  readonly classes: Int32Array;
  readonly resolution: number;
  readonly bounds: { x0: number; x1: number; y0: number; y1: number };
}

/**
 * Predicts every cell of a `resolution`² grid spanning `data` (plus a margin), row by row from
 * the top, for the decision-region picture of 2-D data sets.
 */
export async function decisionGrid(
  model: Sequential,
  data: ClassificationData,
  resolution = 60,
): Promise<DecisionGrid> {
  let [x0, x1, y0, y1] = [
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ];
  for (let i = 0; i < data.numSamples; i++) {
    x0 = Math.min(x0, data.x[2 * i]);
    x1 = Math.max(x1, data.x[2 * i]);
    y0 = Math.min(y0, data.x[2 * i + 1]);
    y1 = Math.max(y1, data.x[2 * i + 1]);
  }
  const mx = (x1 - x0) * 0.08 || 1;
  const my = (y1 - y0) * 0.08 || 1;
  const bounds = { x0: x0 - mx, x1: x1 + mx, y0: y0 - my, y1: y1 + my };
  const cells = new Float32Array(resolution * resolution * 2);
  for (let r = 0; r < resolution; r++) {
    for (let c = 0; c < resolution; c++) {
      const i = r * resolution + c;
      cells[2 * i] = bounds.x0 + ((c + 0.5) / resolution) * (bounds.x1 - bounds.x0);
      cells[2 * i + 1] = bounds.y1 - ((r + 0.5) / resolution) * (bounds.y1 - bounds.y0);
    }
  }
  model.eval();
  const classes = noGrad(() =>
    tidy(() => model.call(fromArray(cells, [resolution * resolution, 2])).argmax(-1)),
  );
  const values = Int32Array.from(await classes.data());
  classes.dispose();
  model.train();
  return { classes: values, resolution, bounds };
}
