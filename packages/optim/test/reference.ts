/**
 * Float64 references of PyTorch's update rules (torch.optim's single-tensor algorithms), written
 * from the documented algorithms, independent of the library. Each works on flat number arrays.
 */
export type Opts = Record<string, number | boolean | number[]>;
export type RefState = Record<string, number | number[]>;

const zeros = (n: number) => new Array<number>(n).fill(0);

export function sgdRef(p: number[], grad: number[], o: Opts, s: RefState): number[] {
  const {
    lr = 1e-3,
    momentum = 0,
    dampening = 0,
    weightDecay = 0,
    nesterov = false,
    maximize = false,
  } = o as Record<string, number & boolean>;
  let g = grad.map((v) => (maximize ? -v : v));
  if (weightDecay) g = g.map((v, i) => v + weightDecay * p[i]);
  if (momentum) {
    if (!s.buf) s.buf = [...g];
    else s.buf = (s.buf as number[]).map((b, i) => momentum * b + (1 - dampening) * g[i]);
    const buf = s.buf as number[];
    g = nesterov ? g.map((v, i) => v + momentum * buf[i]) : [...buf];
  }
  return p.map((v, i) => v - lr * g[i]);
}

export function adamRef(p: number[], grad: number[], o: Opts, s: RefState, decoupled = false): number[] {
  const {
    lr = 1e-3,
    eps = 1e-8,
    weightDecay = decoupled ? 1e-2 : 0,
    amsgrad = false,
    maximize = false,
  } = o as Record<string, number & boolean>;
  const [b1, b2] = (o.betas as number[]) ?? [0.9, 0.999];
  let g = grad.map((v) => (maximize ? -v : v));
  let q = [...p];
  if (weightDecay) {
    if (decoupled) q = q.map((v) => v * (1 - lr * weightDecay));
    else g = g.map((v, i) => v + weightDecay * p[i]);
  }
  const t = ((s.step as number) ?? 0) + 1;
  s.step = t;
  const m = ((s.m as number[]) ?? zeros(p.length)).map((v, i) => b1 * v + (1 - b1) * g[i]);
  const v = ((s.v as number[]) ?? zeros(p.length)).map((x, i) => b2 * x + (1 - b2) * g[i] * g[i]);
  s.m = m;
  s.v = v;
  let second = v;
  if (amsgrad) {
    s.vmax = ((s.vmax as number[]) ?? zeros(p.length)).map((x, i) => Math.max(x, v[i]));
    second = s.vmax as number[];
  }
  const bc1 = 1 - b1 ** t;
  const bc2 = 1 - b2 ** t;
  return q.map((x, i) => x - (lr / bc1) * (m[i] / (Math.sqrt(second[i]) / Math.sqrt(bc2) + eps)));
}

export function rmspropRef(p: number[], grad: number[], o: Opts, s: RefState): number[] {
  const {
    lr = 1e-2,
    alpha = 0.99,
    eps = 1e-8,
    weightDecay = 0,
    momentum = 0,
    centered = false,
    maximize = false,
  } = o as Record<string, number & boolean>;
  let g = grad.map((v) => (maximize ? -v : v));
  if (weightDecay) g = g.map((v, i) => v + weightDecay * p[i]);
  const sq = ((s.sq as number[]) ?? zeros(p.length)).map((v, i) => alpha * v + (1 - alpha) * g[i] * g[i]);
  s.sq = sq;
  let avg: number[];
  if (centered) {
    const ga = ((s.ga as number[]) ?? zeros(p.length)).map((v, i) => alpha * v + (1 - alpha) * g[i]);
    s.ga = ga;
    avg = sq.map((v, i) => Math.sqrt(v - ga[i] * ga[i]) + eps);
  } else {
    avg = sq.map((v) => Math.sqrt(v) + eps);
  }
  if (momentum > 0) {
    const buf = ((s.buf as number[]) ?? zeros(p.length)).map((b, i) => momentum * b + g[i] / avg[i]);
    s.buf = buf;
    return p.map((v, i) => v - lr * buf[i]);
  }
  return p.map((v, i) => v - (lr * g[i]) / avg[i]);
}

export function adagradRef(p: number[], grad: number[], o: Opts, s: RefState): number[] {
  const {
    lr = 1e-2,
    lrDecay = 0,
    weightDecay = 0,
    initialAccumulatorValue = 0,
    eps = 1e-10,
    maximize = false,
  } = o as Record<string, number & boolean>;
  let g = grad.map((v) => (maximize ? -v : v));
  const t = ((s.step as number) ?? 0) + 1;
  s.step = t;
  if (weightDecay) g = g.map((v, i) => v + weightDecay * p[i]);
  const clr = lr / (1 + (t - 1) * lrDecay);
  const sum = ((s.sum as number[]) ?? new Array<number>(p.length).fill(initialAccumulatorValue)).map(
    (v, i) => v + g[i] * g[i],
  );
  s.sum = sum;
  return p.map((v, i) => v - (clr * g[i]) / (Math.sqrt(sum[i]) + eps));
}
