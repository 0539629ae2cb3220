import type { Tensor } from '@backprop/core';

/** A tensor of the autograd graph: the op that made it (or what kind of leaf it is) and its shape. */
export interface GraphNode {
  readonly id: number;
  readonly label: string;
  readonly shape: readonly number[];
  readonly kind: 'op' | 'parameter' | 'input';
  /** Steps from the root (0 for the root itself): the column the node is drawn in. */
  readonly depth: number;
}

/** What an autograd graph is made of: nodes, and `[from, to]` edges in the forward direction. */
export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly (readonly [number, number])[];
}

/**
 * Walks the tape back from `root` through each tensor's `gradFn.inputs` (core keeps no graph
 * export of its own yet). `names` labels the leaves that are parameters. A node's depth is its
 * longest path to the root, so every edge points one or more columns towards the root.
 */
export function walkGraph(root: Tensor, names: ReadonlyMap<Tensor, string>): Graph {
  const depth = new Map<Tensor, number>();
  const order: Tensor[] = [];
  const visit = (t: Tensor, d: number) => {
    const known = depth.get(t);
    if (known === undefined) order.push(t);
    if (known !== undefined && known >= d) return;
    depth.set(t, d);
    for (const input of t.gradFn?.inputs ?? []) visit(input, d + 1);
  };
  visit(root, 0);
  const nodes = order.map((t): GraphNode => {
    const name = names.get(t);
    return {
      id: t.id,
      label: t.gradFn ? t.gradFn.name : (name ?? (t.requiresGrad ? 'leaf' : 'input')),
      shape: [...t.shape],
      kind: t.gradFn ? 'op' : name !== undefined ? 'parameter' : 'input',
      depth: depth.get(t) as number,
    };
  });
  const edges = order.flatMap((t) => (t.gradFn?.inputs ?? []).map((i) => [i.id, t.id] as const));
  return { nodes, edges };
}

/** The graph in Graphviz's DOT language (forward edges; parameters as boxes, ops as ellipses). */
export function toDot(graph: Graph): string {
  const lines = ['digraph autograd {', '  rankdir=LR;'];
  for (const n of graph.nodes) {
    const shape = n.kind === 'op' ? 'ellipse' : n.kind === 'parameter' ? 'box' : 'note';
    lines.push(`  t${n.id} [label="${n.label}\\n[${n.shape.join('×')}]", shape=${shape}];`);
  }
  for (const [from, to] of graph.edges) lines.push(`  t${from} -> t${to};`);
  lines.push('}');
  return lines.join('\n');
}

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/**
 * Draws the graph left to right (inputs and parameters on the left, the loss on the right):
 * the forward pass runs along the arrows, backward runs them in reverse.
 */
export function drawGraph(target: SVGSVGElement, graph: Graph): void {
  const maxDepth = Math.max(0, ...graph.nodes.map((n) => n.depth));
  const columns = new Map<number, GraphNode[]>();
  for (const n of graph.nodes) columns.set(n.depth, [...(columns.get(n.depth) ?? []), n]);
  const colWidth = 120;
  const rowHeight = 40;
  const tallest = Math.max(1, ...[...columns.values()].map((c) => c.length));
  const width = (maxDepth + 1) * colWidth + 20;
  const height = tallest * rowHeight + 20;
  const at = new Map<number, [number, number]>();
  for (const [d, column] of columns) {
    column.forEach((n, i) => {
      const x = 10 + (maxDepth - d) * colWidth;
      const y = 10 + ((i + 0.5) * (height - 20)) / column.length;
      at.set(n.id, [x, y]);
    });
  }
  target.replaceChildren();
  target.setAttribute('viewBox', `0 0 ${width} ${height}`);
  target.setAttribute('width', String(width));
  target.setAttribute('height', String(height));
  const defs = svg('defs', {});
  const marker = svg('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 10,
    refY: 5,
    markerWidth: 6,
    markerHeight: 6,
    orient: 'auto',
  });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#999' }));
  defs.append(marker);
  target.append(defs);
  for (const [from, to] of graph.edges) {
    const [x1, y1] = at.get(from) as [number, number];
    const [x2, y2] = at.get(to) as [number, number];
    target.append(svg('line', { x1: x1 + 104, y1, x2, y2, stroke: '#999', 'marker-end': 'url(#arrow)' }));
  }
  for (const n of graph.nodes) {
    const [x, y] = at.get(n.id) as [number, number];
    const fill = n.kind === 'op' ? '#e8f0fc' : n.kind === 'parameter' ? '#fde9d9' : '#eee';
    target.append(
      svg('rect', {
        x,
        y: y - 14,
        width: 104,
        height: 28,
        rx: n.kind === 'op' ? 14 : 3,
        fill,
        stroke: '#789',
      }),
    );
    const text = svg('text', { x: x + 52, y: y - 1, 'text-anchor': 'middle', 'font-size': 10 });
    text.textContent = n.label.length > 18 ? `${n.label.slice(0, 17)}…` : n.label;
    const shape = svg('text', {
      x: x + 52,
      y: y + 10,
      'text-anchor': 'middle',
      'font-size': 9,
      fill: '#567',
    });
    shape.textContent = `[${n.shape.join('×')}]`;
    target.append(text, shape);
  }
}
