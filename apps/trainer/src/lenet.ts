import {
  Conv2d,
  createActivation,
  Flatten,
  GroupNorm,
  Linear,
  MaxPool2d,
  type Module,
  Sequential,
  Unflatten,
} from '@backprop/nn';
import { nnActivation } from './config.js';

/**
 * A LeNet-5-style CNN (LeCun et al., 1998) for one-channel images, with today's ReLU, max pooling
 * and group normalisation, and wider maps than LeNet-5's 6 and 16 (as Caffe's LeNet widens them):
 * conv 5×5 (16 maps, padded to keep 28×28) → group norm → pool 2 → conv 5×5 (32 maps) → group
 * norm → pool 2 → 120 → 84 → classes. Its first layer unflattens [N, H·W] rows into [N, 1, H, W]
 * images, so it reads the same batches as an MLP.
 */
export interface LenetShape {
  readonly imageShape: readonly [number, number];
  readonly outputSize: number;
  /** The activation after every conv and hidden linear layer, as the command line spells it. */
  readonly activation: string;
}

const CONV1 = 16;
const CONV2 = 32;
const KERNEL = 5;
const HIDDEN = [120, 84] as const;
/**
 * Groups of the normalisation after each convolution. GroupNorm normalises each sample on its own
 * (no running statistics, so training and evaluation compute the same function and a checkpoint
 * holds only parameters).
 */
const NORM_GROUPS = 2;

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

/**
 * The layers in order, each with the parameter shapes it holds: `act` marks an activation (whose
 * parameters, PReLU's weight, the caller knows), null a layer without parameters.
 */
function layerPlan(
  c: LenetShape,
): ({ weight: number[]; bias: number[]; make: () => Module } | 'act' | null)[] {
  const [fh, fw] = featureSize(c.imageShape);
  const linear = (i: number, o: number) => ({ weight: [o, i], bias: [o], make: () => new Linear(i, o) });
  const norm = (ch: number) => ({ weight: [ch], bias: [ch], make: () => new GroupNorm(NORM_GROUPS, ch) });
  return [
    null, // Unflatten
    {
      weight: [CONV1, 1, KERNEL, KERNEL],
      bias: [CONV1],
      make: () => new Conv2d(1, CONV1, KERNEL, { padding: 2 }),
    },
    norm(CONV1),
    'act',
    null, // MaxPool2d
    { weight: [CONV2, CONV1, KERNEL, KERNEL], bias: [CONV2], make: () => new Conv2d(CONV1, CONV2, KERNEL) },
    norm(CONV2),
    'act',
    null, // MaxPool2d
    null, // Flatten
    linear(CONV2 * fh * fw, HIDDEN[0]),
    'act',
    linear(HIDDEN[0], HIDDEN[1]),
    'act',
    linear(HIDDEN[1], c.outputSize),
  ];
}

/** Builds the network; module indices (0 Unflatten, 1 conv, 2 norm, …) name its state dict entries. */
export function buildLenet(c: LenetShape): Sequential {
  const act = (): Module => createActivation(nnActivation(c.activation));
  const layers = layerPlan(c).map((layer, i) => {
    if (layer === 'act') return act();
    if (layer !== null) return layer.make();
    if (i === 0) return new Unflatten(1, [1, c.imageShape[0], c.imageShape[1]]);
    return i === 9 ? new Flatten() : new MaxPool2d(2);
  });
  return new Sequential(...layers);
}

/**
 * LeNet's parameters in `parameters()` order with their state-dict names, worked out without
 * building it; `activationParams` are the shapes one activation module adds (PReLU's weight).
 */
export function lenetParameterShapes(
  c: LenetShape,
  activationParams: readonly (readonly [string, readonly number[]])[],
): { name: string; shape: number[] }[] {
  const out: { name: string; shape: number[] }[] = [];
  layerPlan(c).forEach((layer, index) => {
    if (layer === 'act')
      for (const [name, shape] of activationParams) out.push({ name: `${index}.${name}`, shape: [...shape] });
    else if (layer !== null) {
      out.push({ name: `${index}.weight`, shape: layer.weight });
      out.push({ name: `${index}.bias`, shape: layer.bias });
    }
  });
  return out;
}

/** `LeNet-5 28×28 → 16c5-gn-pool-32c5-gn-pool-120-84-10 relu`. */
export function describeLenet(c: LenetShape): string {
  return `LeNet-5 ${c.imageShape.join('×')} → ${CONV1}c${KERNEL}-gn-pool-${CONV2}c${KERNEL}-gn-pool-${HIDDEN.join('-')}-${c.outputSize} ${c.activation}`;
}
