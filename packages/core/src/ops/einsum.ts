/**
 * Einstein summation (torch.einsum), lowered to core's primitives: diagonals by a strided slice,
 * sums over labels no later operand or the output needs, then one batched `matmul` per pair of
 * operands (batch labels, kept labels, contracted labels arranged by permute/reshape), and a
 * final permute to the output's order. Gradients come from those primitives.
 */
import { describeValue } from '../describe.js';
import { ArgumentError, ShapeError } from '../errors.js';
import { formatShape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { assertTensor, composed } from './compose.js';
import { matmul } from './matmul.js';
import { broadcastTo, permute, reshape } from './movement.js';
import { sum } from './reduce.js';
import { slice } from './slice.js';

/** Labels of one operand: letters, and for '...' one generated label per broadcast dimension. */
type Labels = string[];

interface Parsed {
  inputs: Labels[];
  output: Labels;
}

const LETTER = /^[a-zA-Z]$/;

/** Splits one term into letters and at most one ellipsis (returned as the marker '…'). */
function termLabels(equation: string, term: string): string[] {
  const out: string[] = [];
  const text = term.replace(/\s+/g, '');
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('...', i)) {
      if (out.includes('…'))
        throw new ArgumentError(`einsum: '${equation}': term '${term}' has more than one ellipsis`);
      out.push('…');
      i += 2;
    } else if (LETTER.test(text[i])) out.push(text[i]);
    else
      throw new ArgumentError(
        `einsum: '${equation}': invalid subscript '${text[i]}' in term '${term}' (expected letters a-z, A-Z and '...')`,
      );
  }
  return out;
}

/** Parses the equation and resolves ellipses against the operands' ranks. */
function parse(equation: string, operands: readonly Tensor[]): Parsed {
  const sides = equation.split('->');
  if (sides.length > 2) throw new ArgumentError(`einsum: '${equation}' has more than one '->'`);
  const terms = sides[0].split(',');
  if (terms.length !== operands.length)
    throw new ArgumentError(
      `einsum: '${equation}' has ${terms.length} input term${terms.length === 1 ? '' : 's'} for ${operands.length} operand${operands.length === 1 ? '' : 's'}`,
    );
  let ellipsisRank = 0;
  const raw = terms.map((term, k) => {
    const labels = termLabels(equation, term);
    const rank = operands[k].rank;
    const letters = labels.filter((l) => l !== '…').length;
    if (labels.includes('…') ? letters > rank : letters !== rank)
      throw new ShapeError(
        `einsum: '${equation}': term '${term.trim()}' has ${letters} subscript${letters === 1 ? '' : 's'} for operand ${k} of shape ${formatShape(operands[k].shape)}`,
      );
    if (labels.includes('…')) ellipsisRank = Math.max(ellipsisRank, rank - letters);
    return labels;
  });
  // The broadcast dimensions get labels that cannot clash with letters, aligned from the right.
  const batch = Array.from({ length: ellipsisRank }, (_, i) => `…${i}`);
  const inputs = raw.map((labels, k) => {
    const span = operands[k].rank - labels.filter((l) => l !== '…').length;
    return labels.flatMap((l) => (l === '…' ? batch.slice(ellipsisRank - span) : [l]));
  });
  let output: Labels;
  if (sides.length === 2) {
    const labels = termLabels(equation, sides[1]);
    output = labels.flatMap((l) => (l === '…' ? batch : [l]));
    const seen = new Set<string>();
    for (const l of output) {
      if (seen.has(l))
        throw new ArgumentError(`einsum: '${equation}': output subscript '${l}' appears twice`);
      seen.add(l);
      if (!inputs.some((labels) => labels.includes(l)))
        throw new ArgumentError(`einsum: '${equation}': output subscript '${l}' appears in no input term`);
    }
    if (!labels.includes('…') && ellipsisRank > 0 && raw.some((r) => r.includes('…')))
      throw new ArgumentError(`einsum: '${equation}': the inputs use '...' but the output does not`);
  } else {
    // Implicit form: the broadcast dimensions, then every letter used once, in alphabetical order.
    const counts = new Map<string, number>();
    for (const l of inputs.flat()) counts.set(l, (counts.get(l) ?? 0) + 1);
    const once = [...counts].filter(([l, n]) => n === 1 && !l.startsWith('…')).map(([l]) => l);
    output = [...batch, ...once.sort()];
  }
  return { inputs, output };
}

/** An operand together with the label of each of its axes. */
interface Term {
  t: Tensor;
  labels: Labels;
}

/** Takes the diagonal of every label repeated within one term. */
function diagonals(term: Term): Term {
  let { t, labels } = term;
  for (;;) {
    const i = labels.findIndex((l, k) => labels.indexOf(l) !== k);
    if (i < 0) return { t, labels };
    const first = labels.indexOf(labels[i]);
    const n = t.shape[first];
    if (t.shape[i] !== n)
      throw new ShapeError(
        `einsum: subscript '${labels[i]}' is repeated over axes of sizes ${t.shape[first]} and ${t.shape[i]}`,
      );
    // Move both axes last, merge them, and keep every (n + 1)-th entry: the diagonal.
    const rest = labels.map((_, k) => k).filter((k) => k !== first && k !== i);
    const moved = permute(t, [...rest, first, i]);
    const merged = reshape(moved, [...rest.map((k) => t.shape[k]), n * n]);
    t = slice(merged, [...rest.map(() => null), [0, n * n, n + 1]]);
    labels = [...rest.map((k) => labels[k]), labels[i]];
  }
}

/** Sums away the labels of `term` that `needed` does not hold. */
function sumUnneeded(term: Term, needed: ReadonlySet<string>): Term {
  const axes = term.labels.flatMap((l, k) => (needed.has(l) ? [] : [k]));
  if (axes.length === 0) return term;
  return { t: sum(term.t, axes), labels: term.labels.filter((l) => needed.has(l)) };
}

/** Each label's size, checked for agreement (broadcast dimensions may also be 1). */
function labelSizes(equation: string, terms: readonly Term[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const { t, labels } of terms) {
    labels.forEach((l, k) => {
      const d = t.shape[k];
      const known = sizes.get(l);
      if (known === undefined || known === d) sizes.set(l, d);
      else if (l.startsWith('…') && (known === 1 || d === 1)) sizes.set(l, Math.max(known, d));
      else
        throw new ShapeError(
          `einsum: '${equation}': subscript '${l.startsWith('…') ? '...' : l}' has sizes ${known} and ${d} in different operands`,
        );
    });
  }
  return sizes;
}

/** Contracts two terms with one batched matmul, keeping the labels in `keep`. */
function contract(a: Term, b: Term, keep: ReadonlySet<string>, sizes: Map<string, number>): Term {
  const inB = new Set(b.labels);
  const shared = a.labels.filter((l) => inB.has(l));
  const batch = shared.filter((l) => keep.has(l));
  const summed = shared.filter((l) => !keep.has(l));
  const onlyA = a.labels.filter((l) => !inB.has(l));
  const onlyB = b.labels.filter((l) => !a.labels.includes(l));
  const arrange = (term: Term, order: Labels): Tensor => {
    const moved = permute(
      term.t,
      order.map((l) => term.labels.indexOf(l)),
    );
    // Broadcast dimensions of size 1 grow to the other operand's size.
    const full = order.map((l) =>
      batch.includes(l) ? (sizes.get(l) as number) : moved.shape[order.indexOf(l)],
    );
    return full.some((d, k) => d !== moved.shape[k]) ? broadcastTo(moved, full) : moved;
  };
  const size = (ls: Labels, term: Term) => sizeOf(ls.map((l) => term.t.shape[term.labels.indexOf(l)]));
  const batchSizes = batch.map((l) => sizes.get(l) as number);
  const left = reshape(arrange(a, [...batch, ...onlyA, ...summed]), [
    sizeOf(batchSizes),
    size(onlyA, a),
    size(summed, a),
  ]);
  const right = reshape(arrange(b, [...batch, ...summed, ...onlyB]), [
    sizeOf(batchSizes),
    size(summed, b),
    size(onlyB, b),
  ]);
  const product = matmul(left, right);
  const shape = [
    ...batchSizes,
    ...onlyA.map((l) => a.t.shape[a.labels.indexOf(l)]),
    ...onlyB.map((l) => b.t.shape[b.labels.indexOf(l)]),
  ];
  return { t: reshape(product, shape), labels: [...batch, ...onlyA, ...onlyB] };
}

/**
 * Einstein summation over `operands` (torch.einsum). `equation` names each operand's axes with
 * letters, comma-separated, optionally followed by `->` and the output's letters; without `->` the
 * output is every letter used once, alphabetically (the implicit form). A letter repeated within a
 * term takes a diagonal (`'ii->i'`, and `'ii'` is the trace); letters missing from the output are
 * summed; `...` stands for broadcast batch dimensions. For example `'ij,jk->ik'` (matmul),
 * `'bij,bjk->bik'` (batched), `'i,j->ij'` (outer), `'i,i->'` (dot), `'ij->ji'` (transpose),
 * `'...ij,...jk'` (broadcast batches). Operands are computed in float32.
 */
export function einsum(equation: string, ...operands: Tensor[]): Tensor {
  if (typeof equation !== 'string')
    throw new ArgumentError(
      `einsum: equation must be a string such as 'ij,jk->ik', got ${describeValue(equation)}`,
    );
  if (operands.length === 0) throw new ArgumentError('einsum: expected at least one operand');
  for (const [k, t] of operands.entries()) assertTensor('einsum', t, `operand ${k}`);
  const parsed = parse(equation, operands);
  return composed(operands, () => {
    let terms: Term[] = operands.map((t, k) => ({
      t: t.dtype === 'float32' ? t : cast(t, 'float32'),
      labels: parsed.inputs[k],
    }));
    terms = terms.map(diagonals);
    const sizes = labelSizes(equation, terms);
    const neededAfter = (k: number): Set<string> =>
      new Set([...parsed.output, ...terms.slice(k + 1).flatMap((t) => t.labels)]);
    let acc = sumUnneeded(terms[0], new Set([...neededAfter(0)]));
    for (let k = 1; k < terms.length; k++) {
      const keep = neededAfter(k);
      const next = sumUnneeded(terms[k], new Set([...keep, ...acc.labels]));
      acc = contract(acc, next, keep, sizes);
      acc = sumUnneeded(acc, keep);
    }
    const order = parsed.output.map((l) => acc.labels.indexOf(l));
    const out = order.every((o, i) => o === i) ? acc.t : permute(acc.t, order);
    // A broadcast dimension that no operand grew stays 1; one that was grown keeps its size.
    const target = parsed.output.map((l) => sizes.get(l) as number);
    return target.some((d, i) => d !== out.shape[i]) ? broadcastTo(out, target) : out;
  });
}
