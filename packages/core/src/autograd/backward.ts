import { ENGINE } from '../engine/engine.js';
import { ArgumentError, ShapeError } from '../errors.js';
import { add } from '../ops/arithmetic.js';
import { onesLike } from '../ops/creation.js';
import { reshape } from '../ops/movement.js';
import { formatShape, shapesEqual } from '../shape.js';
import type { BackwardOptions, GradNode, Tensor } from '../tensor.js';
import { noGrad } from './grad-mode.js';

export type { BackwardOptions } from '../tensor.js';

function freedNode(name: string): GradNode {
  return {
    name,
    inputs: [],
    backward: () => {
      throw new ArgumentError(
        `backward: trying to go through the graph of '${name}' a second time; its saved tensors were freed (pass { retainGraph: true } to the first backward)`,
      );
    },
  };
}

/** Tensors reachable from `root` through recorded ops, consumers before producers. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, boolean][] = [[root, false]];
  while (stack.length > 0) {
    const [t, expanded] = stack.pop()!;
    if (expanded) {
      order.push(t);
      continue;
    }
    if (visited.has(t)) continue;
    visited.add(t);
    stack.push([t, true]);
    for (const input of t.gradFn?.inputs ?? [])
      if (input.requiresGrad && !visited.has(input)) stack.push([input, false]);
  }
  return order.reverse();
}

/**
 * Reverse-mode autodiff from `root`: accumulates d root / d leaf into every leaf's `.grad`.
 * `grad` is the upstream gradient (required unless `root` has one element).
 */
export function backward(root: Tensor, grad?: Tensor, options: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    throw new ArgumentError(
      'backward: the tensor does not require grad (no input had requiresGrad, or it was made under noGrad)',
    );
  }
  if (!grad && root.size !== 1) {
    throw new ShapeError(
      `backward: a gradient can be created implicitly only for one-element outputs, got shape ${formatShape(root.shape)}; pass one`,
    );
  }
  if (grad && !shapesEqual(grad.shape, root.shape)) {
    throw new ShapeError(
      `backward: gradient shape ${formatShape(grad.shape)} does not match output shape ${formatShape(root.shape)}`,
    );
  }
  const order = topologicalOrder(root);
  const accumulateInto = options.inputs ? new Set(options.inputs) : null;
  ENGINE.tidy(() =>
    noGrad(() => {
      const grads = new Map<Tensor, Tensor>([[root, grad ? reshape(grad, grad.shape) : onesLike(root)]]);
      for (const t of order) {
        const g = grads.get(t);
        if (!g) continue;
        grads.delete(t);
        const node = t.gradFn;
        if (node === null) {
          if (!accumulateInto || accumulateInto.has(t)) accumulateLeafGrad(t, g);
          continue;
        }
        const inputGrads = node.backward(g);
        node.inputs.forEach((input, i) => {
          const ig = inputGrads[i];
          if (!ig || !input.requiresGrad) return;
          const previous = grads.get(input);
          grads.set(input, previous ? add(previous, ig) : ig);
        });
        if (!options.retainGraph) t.gradFn = freedNode(node.name);
      }
    }),
  );
}

function accumulateLeafGrad(leaf: Tensor, g: Tensor): void {
  const previous = leaf.grad;
  const next = ENGINE.keep(previous ? add(previous, g) : reshape(g, leaf.shape));
  previous?.dispose();
  leaf.grad = next;
}
