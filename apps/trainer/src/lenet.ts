import {
  Conv2d,
  createActivation,
  Flatten,
  Linear,
  MaxPool2d,
  type Module,
  Sequential,
  Unflatten,
} from '@backprop/nn';
import { nnActivation } from './config.js';

/**
 * A LeNet-5-style CNN (LeCun et al., 1998) for one-channel images, with today's ReLU and max
 * pooling: conv 5×5 (6 maps, padded to keep 28×28) → pool 2 → conv 5×5 (16 maps) → pool 2 →
 * 120 → 84 → classes. Its first layer unflattens [N, H·W] rows into [N, 1, H, W] images, so it
 * reads the same batches as an MLP.
 */
export interface LenetShape {
  readonly imageShape: readonly [number, number];
  readonly outputSize: number;
  /** The activation after every conv and hidden linear layer, as the command line spells it. */
  readonly activation: string;
}

const CONV1 = 6;
const CONV2 = 16;
const KERNEL = 5;
const HIDDEN = [120, 84] as const;

/** Spatial size after conv1 (padded, same size), pool, conv2 (valid) and pool. */
function featureSize([h, w]: readonly [number, number]): [number, number] {
  const after = (n: number) => Math.floor((Math.floor(n / 2) - (KERNEL - 1)) / 2);
  return [after(h), after(w)];
}

/** Whether LeNet can read images of this shape (the second conv needs 5×5 after the first pool). */
export function lenetFits(imageShape: readonly [number, number]): boolean {
  const [h, w] = featureSize(imageShape);
  return h >= 1 && w >= 1;
}

/** Builds the network; module indices (0 Unflatten, 1 conv, …) name its state dict entries. */
export function buildLenet(c: LenetShape): Sequential {
  const [fh, fw] = featureSize(c.imageShape);
  const act = (): Module => createActivation(nnActivation(c.activation));
  return new Sequential(
    new Unflatten(1, [1, c.imageShape[0], c.imageShape[1]]),
    new Conv2d(1, CONV1, KERNEL, { padding: 2 }),
    act(),
    new MaxPool2d(2),
    new Conv2d(CONV1, CONV2, KERNEL),
    act(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(CONV2 * fh * fw, HIDDEN[0]),
    act(),
    new Linear(HIDDEN[0], HIDDEN[1]),
    act(),
    new Linear(HIDDEN[1], c.outputSize),
  );
}

/**
 * LeNet's parameters in `parameters()` order with their state-dict names, worked out without
 * building it; `activationParams` are the shapes one activation module adds (PReLU's weight).
 */
export function lenetParameterShapes(
  c: LenetShape,
  activationParams: readonly (readonly [string, readonly number[]])[],
): { name: string; shape: number[] }[] {
  const [fh, fw] = featureSize(c.imageShape);
  const layers: [number, number[]][] = [
    [1, [CONV1, 1, KERNEL, KERNEL]],
    [4, [CONV2, CONV1, KERNEL, KERNEL]],
    [8, [HIDDEN[0], CONV2 * fh * fw]],
    [10, [HIDDEN[1], HIDDEN[0]]],
    [12, [c.outputSize, HIDDEN[1]]],
  ];
  const out: { name: string; shape: number[] }[] = [];
  for (const [index, weight] of layers) {
    out.push({ name: `${index}.weight`, shape: weight });
    out.push({ name: `${index}.bias`, shape: [weight[0]] });
    // The activation follows every layer but the last, at the next index.
    if (index !== 12)
      for (const [name, shape] of activationParams)
        out.push({ name: `${index + 1}.${name}`, shape: [...shape] });
  }
  return out;
}

/** `LeNet-5 28×28 → 6c5-pool-16c5-pool-120-84-10 relu`. */
export function describeLenet(c: LenetShape): string {
  return `LeNet-5 ${c.imageShape.join('×')} → ${CONV1}c${KERNEL}-pool-${CONV2}c${KERNEL}-pool-${HIDDEN.join('-')}-${c.outputSize} ${c.activation}`;
}
