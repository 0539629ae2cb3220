/**
 * The playground's whole configuration, and its round trip through the page URL's query string:
 * every field has a default, a URL key of the same name and a parser that refuses nonsense by
 * falling back to the default (a shared link must open something, never a broken page).
 */

export const DATASETS = ['spirals', 'circles', 'moons', 'xor', 'blobs', 'mnist'] as const;
export type DatasetName = (typeof DATASETS)[number];

/** Activations the study notes name, plus ELU, GELU and SiLU (names as `@backprop/nn`'s `createActivation` takes them). */
export const ACTIVATIONS = [
  'sigmoid',
  'tanh',
  'relu',
  'leakyRelu',
  'prelu',
  'abs',
  'elu',
  'gelu',
  'silu',
] as const;
export type ActivationChoice = (typeof ACTIVATIONS)[number];

export const LOSSES = ['crossEntropy', 'mse', 'multiMargin'] as const;
export type LossName = (typeof LOSSES)[number];

export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'adamw', 'rmsprop', 'adagrad'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const SCHEDULES = ['constant', 'step', 'cosine', 'exponential'] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

/** `gpujs` lets gpu.js pick (WebGL2 in a browser); `webgpu` is gpu.js in its WebGPU mode. */
export const BACKENDS = ['cpu', 'gpujs', 'webgpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

export interface PlaygroundConfig {
  dataset: DatasetName;
  /** Samples of a 2-D set (MNIST uses its own fixed count). */
  samples: number;
  /** Noise of a 2-D set (its generator's own unit: radians for spirals, coordinates otherwise). */
  noise: number;
  /** Share of the samples held out for testing, in [0.05, 0.9]. */
  testSplit: number;
  /** Hidden layer widths, input to output: `[16, 16]` is two hidden layers of 16. */
  hidden: number[];
  activation: ActivationChoice;
  loss: LossName;
  optimizer: OptimizerName;
  lr: number;
  schedule: ScheduleName;
  batchSize: number;
  /** L2 regularisation strength (the optimizer's weight decay). */
  l2: number;
  backend: BackendChoice;
  seed: number;
  /** Start training as soon as the page opens. */
  autoplay: boolean;
  /** Optimizer steps per animation frame. */
  stepsPerFrame: number;
}

export const DEFAULTS: Readonly<PlaygroundConfig> = Object.freeze({
  dataset: 'spirals',
  samples: 300,
  noise: 0.15,
  testSplit: 0.2,
  hidden: [32, 32],
  activation: 'relu',
  loss: 'crossEntropy',
  optimizer: 'adam',
  lr: 0.02,
  schedule: 'constant',
  batchSize: 64,
  l2: 0,
  backend: 'cpu',
  seed: 1,
  autoplay: false,
  stepsPerFrame: 5,
});

function choice<T extends string>(options: readonly T[], raw: string | null, fallback: T): T {
  return raw !== null && (options as readonly string[]).includes(raw) ? (raw as T) : fallback;
}

function number(raw: string | null, fallback: number, min: number, max: number, integer = false): number {
  if (raw === null || raw.trim() === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) return fallback;
  return v;
}

function widths(raw: string | null, fallback: number[]): number[] {
  if (raw === null) return [...fallback];
  if (raw === '' || raw === '0') return [];
  const parts = raw.split(/[-,]/).map(Number);
  return parts.length <= 8 && parts.every((n) => Number.isInteger(n) && n >= 1 && n <= 256)
    ? parts
    : [...fallback];
}

/** Reads a configuration from a query string (`location.search`); missing or invalid keys take their defaults. */
export function parseConfig(search: string): PlaygroundConfig {
  const q = new URLSearchParams(search);
  const d = DEFAULTS;
  return {
    dataset: choice(DATASETS, q.get('dataset'), d.dataset),
    samples: number(q.get('samples'), d.samples, 20, 2000, true),
    noise: number(q.get('noise'), d.noise, 0, 2),
    testSplit: number(q.get('testSplit'), d.testSplit, 0.05, 0.9),
    hidden: widths(q.get('hidden'), d.hidden),
    activation: choice(ACTIVATIONS, q.get('activation'), d.activation),
    loss: choice(LOSSES, q.get('loss'), d.loss),
    optimizer: choice(OPTIMIZERS, q.get('optimizer'), d.optimizer),
    lr: number(q.get('lr'), d.lr, 1e-6, 10),
    schedule: choice(SCHEDULES, q.get('schedule'), d.schedule),
    batchSize: number(q.get('batchSize'), d.batchSize, 1, 4096, true),
    l2: number(q.get('l2'), d.l2, 0, 1),
    backend: choice(BACKENDS, q.get('backend'), d.backend),
    seed: number(q.get('seed'), d.seed, 0, 2 ** 31, true),
    autoplay: q.get('autoplay') === '1' || q.get('autoplay') === 'true',
    stepsPerFrame: number(q.get('stepsPerFrame'), d.stepsPerFrame, 1, 200, true),
  };
}

/** The query string for a configuration (with a leading `?`), listing only what differs from the defaults. */
export function serializeConfig(config: PlaygroundConfig): string {
  const q = new URLSearchParams();
  for (const key of Object.keys(DEFAULTS) as (keyof PlaygroundConfig)[]) {
    const value = config[key];
    const fallback = DEFAULTS[key];
    if (key === 'hidden') {
      const text = (value as number[]).join('-');
      if (text !== (fallback as number[]).join('-')) q.set(key, text === '' ? '0' : text);
    } else if (key === 'autoplay') {
      if (value) q.set(key, '1');
    } else if (value !== fallback) {
      q.set(key, String(value));
    }
  }
  const text = q.toString();
  return text === '' ? '' : `?${text}`;
}
