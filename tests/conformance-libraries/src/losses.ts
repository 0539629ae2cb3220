/**
 * Loss functions of @backprop/losses on every backend: forward values against float64 references
 * written here from PyTorch's definitions, gradients (gradcheck and float64 reference), memory.
 */

import {
  type CaseTable,
  type InputSpec,
  input,
  type OpCase,
  reference,
  type Sample,
} from '@backprop/conformance';
import type { Tensor } from '@backprop/core';
import * as core from '@backprop/core';
import * as L from '@backprop/losses';

const { ref } = reference;
type RefTensor = reference.RefTensor;

type Reduction = 'mean' | 'sum' | 'none';
const REDUCTIONS: Reduction[] = ['mean', 'sum', 'none'];

const sumOf = (a: readonly number[]) => a.reduce((s, v) => s + v, 0);

/** Reduces float64 per-element losses of `shape`, as RefTensor. */
function reduced(values: number[], shape: readonly number[], reduction: Reduction): RefTensor {
  if (reduction === 'none') return ref(shape, values);
  const s = sumOf(values);
  return ref([], [reduction === 'sum' ? s : s / values.length]);
}

const data = (t: RefTensor) => Array.from(t.data);
const labels = (shape: number[], values: number[]): InputSpec => input(shape, { dtype: 'int32', values });
/** A float input that is a constant of the loss (targets, weights): no gradient checked. */
const constant = (shape: number[], values: number[]): InputSpec => input(shape, { values, grad: false });

// ---- regression ------------------------------------------------------------------------------

interface ElementwiseArgs {
  reduction: Reduction;
  delta?: number;
  beta?: number;
}

function elementwiseSamples(extra: Partial<ElementwiseArgs>[] = [{}]): Sample<ElementwiseArgs>[] {
  return extra
    .flatMap((e) =>
      REDUCTIONS.map(
        (reduction): Sample<ElementwiseArgs> => ({
          name: `${reduction}${e.delta !== undefined ? `, delta ${e.delta}` : ''}${e.beta !== undefined ? `, beta ${e.beta}` : ''}`,
          inputs: [input([3, 4], { dist: 'distinct' }), input([3, 4], { dist: 'interleaved' })],
          args: { reduction, ...e },
        }),
      ),
    )
    .concat([
      {
        name: 'vector, none',
        inputs: [input([5], { dist: 'distinct' }), input([5], { dist: 'interleaved' })],
        args: { reduction: 'none', ...extra[0] },
      },
      {
        name: 'transposed input',
        inputs: [
          input([4, 3], { dist: 'distinct', permute: [1, 0] }),
          input([4, 3], { dist: 'interleaved' }),
        ],
        args: { reduction: 'mean', ...extra[0] },
      },
    ]);
}

function elementwiseCase(
  name: string,
  run: (x: Tensor, y: Tensor, a: ElementwiseArgs) => Tensor,
  f: (d: number, a: ElementwiseArgs) => number,
  extra?: Partial<ElementwiseArgs>[],
): OpCase<ElementwiseArgs> {
  return {
    name,
    family: 'losses',
    ops: [name],
    grad: true,
    samples: elementwiseSamples(extra),
    run: ([x, y], a) => run(x, y, a),
    reference: ([x, y], a) =>
      reduced(
        data(x).map((v, i) => f(v - y.data[i], a)),
        x.shape,
        a.reduction,
      ),
  };
}

const huberRef = (d: number, delta: number) =>
  Math.abs(d) < delta ? 0.5 * d * d : delta * (Math.abs(d) - 0.5 * delta);
const smoothL1Ref = (d: number, beta: number) =>
  beta === 0 ? Math.abs(d) : Math.abs(d) < beta ? (0.5 * d * d) / beta : Math.abs(d) - 0.5 * beta;

// ---- binary ----------------------------------------------------------------------------------

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const bceTerm = (p: number, t: number) =>
  -(t * Math.max(Math.log(p), -100) + (1 - t) * Math.max(Math.log(1 - p), -100));
const bceLogitTerm = (x: number, t: number, pw: number) =>
  (1 - t) * x + (1 + (pw - 1) * t) * (Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x))));

const TARGETS_12 = [1, 0, 0.25, 1, 0, 0, 1, 0.75, 1, 1, 0, 0.5];

interface BCEArgs {
  reduction: Reduction;
  /** Input 2 is a per-column weight [4]. */
  weight?: boolean;
  /** Input 3 is a posWeight [4] (bceWithLogits). */
  posWeight?: boolean;
  /** bce: the input is sigmoid(x) of the drawn values (false: the values are probabilities already). */
  sigmoid?: boolean;
}

const WEIGHT_4 = constant([4], [0.5, 2, 1, 0.25]);
const POS_WEIGHT_4 = constant([4], [3, 0.5, 1, 2]);

function bceReference(logits: boolean) {
  return ([x, t, w, pw]: RefTensor[], a: BCEArgs): RefTensor => {
    const C = x.shape[x.shape.length - 1] ?? 1;
    const values = data(x).map((v, i) => {
      const weight = a.weight ? w.data[i % C] : 1;
      if (logits) return weight * bceLogitTerm(v, t.data[i], a.posWeight ? pw.data[i % C] : 1);
      return weight * bceTerm(a.sigmoid === false ? v : sigmoid(v), t.data[i]);
    });
    return reduced(values, x.shape, a.reduction);
  };
}

const bceCase: OpCase<BCEArgs> = {
  name: 'bce',
  family: 'losses',
  ops: ['bce'],
  grad: true,
  samples: [
    ...REDUCTIONS.map((reduction) => ({
      name: `sigmoid input, ${reduction}`,
      inputs: [input([3, 4]), constant([3, 4], TARGETS_12)],
      args: { reduction },
    })),
    {
      name: 'weighted',
      inputs: [input([3, 4]), constant([3, 4], TARGETS_12), WEIGHT_4],
      args: { reduction: 'mean', weight: true },
    },
    {
      name: 'probabilities 0 and 1: logs clamped at -100',
      inputs: [
        constant([2, 4], [0, 1, 0, 1, 0.5, 1e-30, 1, 0.999]),
        constant([2, 4], [1, 0, 0, 1, 1, 1, 0.5, 0]),
      ],
      args: { reduction: 'none', sigmoid: false },
      grad: false,
    },
  ],
  run: ([x, t, w], a) =>
    L.bce(a.sigmoid === false ? x : core.sigmoid(x), t, {
      reduction: a.reduction,
      weight: a.weight ? w : null,
    }),
  reference: bceReference(false),
};

const bceWithLogitsCase: OpCase<BCEArgs> = {
  name: 'bceWithLogits',
  family: 'losses',
  ops: ['bceWithLogits'],
  grad: true,
  samples: [
    ...REDUCTIONS.map((reduction) => ({
      name: reduction,
      inputs: [input([3, 4]), constant([3, 4], TARGETS_12)],
      args: { reduction },
    })),
    {
      name: 'weight and posWeight',
      inputs: [input([3, 4]), constant([3, 4], TARGETS_12), WEIGHT_4, POS_WEIGHT_4],
      args: { reduction: 'none', weight: true, posWeight: true },
    },
    {
      name: 'logits ±1e4',
      inputs: [
        input([2, 4], { values: [1e4, -1e4, 1e4, -1e4, 5e3, -5e3, 0, 20] }),
        constant([2, 4], [1, 0, 0, 1, 0.5, 0.5, 1, 0]),
      ],
      args: { reduction: 'none' },
      gradcheck: false,
    },
  ],
  run: ([x, t, w, pw], a) =>
    L.bceWithLogits(x, t, {
      reduction: a.reduction,
      weight: a.weight ? w : null,
      posWeight: a.posWeight ? pw : null,
    }),
  reference: bceReference(true),
};

const hingeCase: OpCase<{ reduction: Reduction; margin: number }> = {
  name: 'hinge',
  family: 'losses',
  ops: ['hinge'],
  grad: true,
  samples: [1, 0.5].flatMap((margin) =>
    REDUCTIONS.map((reduction) => ({
      name: `margin ${margin}, ${reduction}`,
      inputs: [input([2, 4], { dist: 'distinct' }), constant([2, 4], [1, -1, -1, 1, 1, 1, -1, -1])],
      args: { reduction, margin },
    })),
  ),
  run: ([x, t], a) => L.hinge(x, t, a),
  reference: ([x, t], a) =>
    reduced(
      data(x).map((v, i) => Math.max(0, a.margin - t.data[i] * v)),
      x.shape,
      a.reduction,
    ),
};

// ---- classification --------------------------------------------------------------------------

interface CEArgs {
  reduction: Reduction;
  /** Input 2 is a class weight [C]. */
  weight?: boolean;
  ignoreIndex?: number;
  labelSmoothing?: number;
}

/** Rows [M][C] of an [N, C, d...] (or [N, C] / [C]) reference tensor, class axis last. */
function rowsOf(x: RefTensor): { rows: number[][]; sampleShape: number[] } {
  if (x.shape.length === 1) return { rows: [data(x)], sampleShape: [] };
  const [n, c, ...rest] = x.shape;
  const inner = rest.reduce((p, d) => p * d, 1);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < inner; k++)
      rows.push(Array.from({ length: c }, (_, j) => x.data[(i * c + j) * inner + k]));
  }
  return { rows, sampleShape: [n, ...rest] };
}

function logSoftmaxRow(row: readonly number[]): number[] {
  const m = Math.max(...row);
  const lse = m + Math.log(sumOf(row.map((v) => Math.exp(v - m))));
  return row.map((v) => v - lse);
}

/** PyTorch's weighted NLL with label smoothing, on log-probability rows. */
function nllRef(
  logp: number[][],
  target: number[],
  sampleShape: number[],
  a: CEArgs,
  w: number[] | null,
): RefTensor {
  const { reduction, ignoreIndex = -100, labelSmoothing: eps = 0 } = a;
  const C = logp[0]?.length ?? 0;
  const nll: number[] = [];
  const smooth: number[] = [];
  let wsum = 0;
  logp.forEach((lp, n) => {
    const t = target[n];
    if (t === ignoreIndex) {
      nll.push(0);
      smooth.push(0);
      return;
    }
    const wt = w ? w[t] : 1;
    wsum += wt;
    nll.push(-wt * lp[t]);
    smooth.push(-sumOf(lp.map((v, c) => (w ? w[c] : 1) * v)));
  });
  const combined = nll.map((v, i) => (1 - eps) * v + (eps / C) * smooth[i]);
  if (reduction === 'none') return ref(sampleShape, combined);
  const s = sumOf(combined);
  return ref([], [reduction === 'sum' ? s : s / wsum]);
}

const LOGITS_45 = input([4, 5]);
const W5 = constant([5], [0.2, 1.5, 1, 3, 0.7]);

const ceSamples: Sample<CEArgs>[] = [
  ...REDUCTIONS.map((reduction) => ({
    name: `indices, ${reduction}`,
    inputs: [LOGITS_45, labels([4], [1, 4, 0, 2])],
    args: { reduction },
  })),
  {
    name: 'class weights, mean',
    inputs: [LOGITS_45, labels([4], [1, 4, 0, 1]), W5],
    args: { reduction: 'mean', weight: true },
  },
  {
    name: 'class weights, none',
    inputs: [LOGITS_45, labels([4], [1, 4, 0, 1]), W5],
    args: { reduction: 'none', weight: true },
  },
  {
    name: 'ignoreIndex -100',
    inputs: [LOGITS_45, labels([4], [1, -100, 0, 3])],
    args: { reduction: 'mean' },
  },
  {
    name: 'ignoreIndex 2, weighted',
    inputs: [LOGITS_45, labels([4], [2, 4, 0, 2]), W5],
    args: { reduction: 'mean', weight: true, ignoreIndex: 2 },
  },
  {
    name: 'label smoothing 0.1, weighted, ignored',
    inputs: [LOGITS_45, labels([4], [1, -100, 0, 3]), W5],
    args: { reduction: 'mean', weight: true, labelSmoothing: 0.1 },
  },
  {
    name: 'label smoothing 0.2, sum',
    inputs: [LOGITS_45, labels([4], [1, 4, 0, 3])],
    args: { reduction: 'sum', labelSmoothing: 0.2 },
  },
  {
    name: '[N, C, d] input, none',
    inputs: [input([2, 3, 2]), labels([2, 2], [2, 0, 1, 1])],
    args: { reduction: 'none' },
  },
  {
    name: '[N, C, d] input, weighted',
    inputs: [input([2, 3, 2]), labels([2, 2], [2, 0, 1, 1]), constant([3], [1, 2, 3])],
    args: { reduction: 'mean', weight: true },
  },
  { name: 'unbatched [C]', inputs: [input([5]), labels([], [3])], args: { reduction: 'mean' } },
  {
    name: 'transposed logits',
    inputs: [input([4, 3], { permute: [1, 0] }), labels([4], [0, 2, 1, 2])],
    args: { reduction: 'mean' },
  },
  {
    name: 'logits ±1e4',
    inputs: [input([3, 3], { values: [1e4, -1e4, 0, -1e4, 1e4, 5e3, 0, 0, 1e4] }), labels([3], [1, 1, 0])],
    args: { reduction: 'none' },
    gradcheck: false,
  },
  {
    name: 'logits ±1e4, smoothed and weighted',
    inputs: [
      input([3, 3], { values: [1e4, -1e4, 0, -1e4, 1e4, 5e3, 0, 0, 1e4] }),
      labels([3], [1, 1, 0]),
      constant([3], [1, 2, 3]),
    ],
    args: { reduction: 'mean', weight: true, labelSmoothing: 0.2 },
    gradcheck: false,
  },
  { name: 'empty batch, sum', inputs: [input([0, 5]), labels([0], [])], args: { reduction: 'sum' } },
];

const PROBS_45 = [0.1, 0.6, 0.2, 0.1, 0, 0, 0, 1, 0, 0, 0.2, 0.2, 0.2, 0.2, 0.2, 0.5, 0, 0, 0, 0.5];

const ceProbSamples: Sample<CEArgs>[] = [
  ...REDUCTIONS.map((reduction) => ({
    name: `soft labels, ${reduction}`,
    inputs: [LOGITS_45, constant([4, 5], PROBS_45)],
    args: { reduction },
  })),
  {
    name: 'soft labels, weighted, smoothed',
    inputs: [LOGITS_45, constant([4, 5], PROBS_45), W5],
    args: { reduction: 'mean', weight: true, labelSmoothing: 0.1 },
  },
  {
    name: 'one-hot, [N, C, d]',
    inputs: [input([2, 3, 2]), constant([2, 3, 2], [0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0])],
    args: { reduction: 'none' },
  },
  {
    name: 'soft labels, logits ±1e4',
    inputs: [
      input([2, 3], { values: [1e4, -1e4, 0, -1e4, 1e4, 5e3] }),
      constant([2, 3], [0, 1, 0, 0.5, 0.5, 0]),
    ],
    args: { reduction: 'none' },
    gradcheck: false,
  },
];

const crossEntropyCase: OpCase<CEArgs> = {
  name: 'crossEntropy',
  family: 'losses',
  ops: ['crossEntropy'],
  grad: true,
  samples: ceSamples,
  run: ([x, t, w], a) => L.crossEntropy(x, t, { ...a, weight: a.weight ? w : null }),
  reference: ([x, t, w], a) => {
    const { rows, sampleShape } = rowsOf(x);
    return nllRef(rows.map(logSoftmaxRow), data(t), sampleShape, a, a.weight ? data(w) : null);
  },
};

const crossEntropyProbsCase: OpCase<CEArgs> = {
  name: 'crossEntropy (probability targets)',
  family: 'losses',
  ops: ['crossEntropy'],
  grad: true,
  samples: ceProbSamples,
  run: ([x, t, w], a) => L.crossEntropy(x, t, { ...a, weight: a.weight ? w : null }),
  reference: ([x, t, w], a) => {
    const { rows, sampleShape } = rowsOf(x);
    const { rows: probs } = rowsOf(t);
    const eps = a.labelSmoothing ?? 0;
    const C = rows[0]?.length ?? 0;
    const losses = rows.map((row, n) => {
      const lp = logSoftmaxRow(row);
      return -sumOf(lp.map((v, c) => v * (probs[n][c] * (1 - eps) + eps / C) * (a.weight ? w.data[c] : 1)));
    });
    return reduced(losses, sampleShape, a.reduction);
  },
};

const nllCase: OpCase<CEArgs> = {
  name: 'nll',
  family: 'losses',
  ops: ['nll'],
  grad: true,
  samples: [
    ...REDUCTIONS.map((reduction) => ({
      name: reduction,
      inputs: [LOGITS_45, labels([4], [1, 4, 0, 2])],
      args: { reduction },
    })),
    {
      name: 'weighted, ignored',
      inputs: [LOGITS_45, labels([4], [1, 4, -100, 1]), W5],
      args: { reduction: 'mean', weight: true },
    },
    {
      name: '[N, C, d]',
      inputs: [input([2, 3, 2]), labels([2, 2], [2, 0, 1, 1])],
      args: { reduction: 'none' },
    },
  ],
  run: ([x, t, w], a) =>
    L.nll(x, t, { reduction: a.reduction, ignoreIndex: a.ignoreIndex, weight: a.weight ? w : null }),
  reference: ([x, t, w], a) => {
    const { rows, sampleShape } = rowsOf(x);
    return nllRef(rows, data(t), sampleShape, a, a.weight ? data(w) : null);
  },
};

interface MarginArgs {
  reduction: Reduction;
  p: 1 | 2;
  margin: number;
  weight?: boolean;
}

const multiMarginCase: OpCase<MarginArgs> = {
  name: 'multiMargin',
  family: 'losses',
  ops: ['multiMargin'],
  grad: true,
  samples: [
    ...([1, 2] as const).flatMap((p) =>
      REDUCTIONS.map((reduction) => ({
        name: `p ${p}, ${reduction}`,
        // 'distinct' values lie on a 0.1 grid, so a margin of 0.95 keeps every hinge away from its kink.
        inputs: [input([4, 5], { dist: 'distinct' }), labels([4], [1, 4, 0, 2])],
        args: { reduction, p, margin: 0.95 },
      })),
    ),
    {
      name: 'weighted, margin 0.45',
      inputs: [input([4, 5], { dist: 'distinct' }), labels([4], [1, 4, 0, 2]), W5],
      args: { reduction: 'mean', p: 1, margin: 0.45, weight: true },
    },
    {
      name: "PyTorch's example [0.1, 0.2, 0.4, 0.8], y = 3",
      inputs: [input([1, 4], { values: [0.1, 0.2, 0.4, 0.8] }), labels([1], [3])],
      args: { reduction: 'mean', p: 1, margin: 1 },
    },
  ],
  run: ([x, t, w], a) =>
    L.multiMargin(x, t, { reduction: a.reduction, p: a.p, margin: a.margin, weight: a.weight ? w : null }),
  reference: ([x, t, w], a) => {
    const { rows, sampleShape } = rowsOf(x);
    const losses = rows.map((row, n) => {
      const y = t.data[n];
      let s = 0;
      row.forEach((v, i) => {
        if (i === y) return;
        const z = a.margin - row[y] + v;
        if (z > 0) s += (a.p === 1 ? z : z * z) * (a.weight ? w.data[y] : 1);
      });
      return s / row.length;
    });
    return reduced(losses, sampleShape, a.reduction);
  },
};

interface KLArgs {
  reduction: Reduction | 'batchmean';
  logTarget?: boolean;
}

const klDivCase: OpCase<KLArgs> = {
  name: 'klDiv',
  family: 'losses',
  ops: ['klDiv'],
  grad: true,
  samples: [
    ...(['mean', 'batchmean', 'sum', 'none'] as const).map((reduction) => ({
      name: `probability target, ${reduction}`,
      inputs: [input([3, 4]), input([3, 4], { dist: 'positive', grad: true })],
      args: { reduction },
    })),
    {
      name: 'zeros in the target',
      inputs: [input([2, 3]), constant([2, 3], [0, 0.3, 0.7, 0.5, 0, 0.5])],
      args: { reduction: 'batchmean' },
    },
    {
      name: 'log target',
      inputs: [input([3, 4]), input([3, 4])],
      args: { reduction: 'batchmean', logTarget: true },
    },
  ],
  run: ([x, t], a) => L.klDiv(x, t, a),
  reference: ([x, t], a) => {
    const values = data(x).map((v, i) => {
      const tv = t.data[i];
      if (a.logTarget) return Math.exp(tv) * (tv - v);
      return tv === 0 ? 0 : tv * (Math.log(tv) - v);
    });
    if (a.reduction === 'batchmean') return ref([], [sumOf(values) / x.shape[0]]);
    return reduced(values, x.shape, a.reduction);
  },
};

/** Every loss of @backprop/losses, as conformance cases. */
export const lossCases: OpCase[] = [
  elementwiseCase(
    'mse',
    (x, y, a) => L.mse(x, y, a),
    (d) => d * d,
  ),
  elementwiseCase(
    'l1',
    (x, y, a) => L.l1(x, y, a),
    (d) => Math.abs(d),
  ),
  elementwiseCase(
    'huber',
    (x, y, a) => L.huber(x, y, a),
    (d, a) => huberRef(d, a.delta ?? 1),
    [{ delta: 1 }, { delta: 0.35 }],
  ),
  elementwiseCase(
    'smoothL1',
    (x, y, a) => L.smoothL1(x, y, a),
    (d, a) => smoothL1Ref(d, a.beta ?? 1),
    [{ beta: 1 }, { beta: 0.35 }, { beta: 0 }],
  ),
  bceCase,
  bceWithLogitsCase,
  crossEntropyCase,
  crossEntropyProbsCase,
  nllCase,
  klDivCase,
  multiMarginCase,
  hingeCase,
] as OpCase[];

/** The loss cases as a table for `describeBackendConformance`. */
export const LOSS_TABLE: CaseTable = { name: 'losses', cases: lossCases };
