/**
 * Float64 references for convolution and pooling: direct loops over every output and kernel tap,
 * written from the ops' definitions (PyTorch's), independent of core's im2col composition.
 */
import { type RefTensor, ref } from './ndarray.js';

export type RefPair = number | readonly [number, number];

const two = (v: RefPair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

export interface RefConvOptions {
  stride?: RefPair;
  padding?: RefPair | 'same' | 'valid';
  dilation?: RefPair;
  groups?: number;
}

/** PyTorch's conv2d: x [N, C, H, W], w [O, C/G, kH, kW], optional bias [O]. */
export function refConv2d(
  x: RefTensor,
  w: RefTensor,
  bias: RefTensor | null,
  options: RefConvOptions = {},
): RefTensor {
  const [n, c, h, wd] = x.shape;
  const [o, cg, kh, kw] = w.shape;
  const groups = options.groups ?? 1;
  const [sh, sw] = two(options.stride ?? 1);
  const [dh, dw] = two(options.dilation ?? 1);
  let padTop: number;
  let padLeft: number;
  let oh: number;
  let ow: number;
  if (options.padding === 'same') {
    padTop = Math.floor((dh * (kh - 1)) / 2);
    padLeft = Math.floor((dw * (kw - 1)) / 2);
    oh = h;
    ow = wd;
  } else {
    [padTop, padLeft] = options.padding === 'valid' ? [0, 0] : two(options.padding ?? 0);
    oh = Math.floor((h + 2 * padTop - dh * (kh - 1) - 1) / sh) + 1;
    ow = Math.floor((wd + 2 * padLeft - dw * (kw - 1) - 1) / sw) + 1;
  }
  const og = o / groups;
  const out = new Float64Array(n * o * oh * ow);
  for (let b = 0; b < n; b++)
    for (let oc = 0; oc < o; oc++) {
      const g = Math.floor(oc / og);
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let acc = bias ? bias.data[oc] : 0;
          for (let ci = 0; ci < cg; ci++)
            for (let a = 0; a < kh; a++)
              for (let q = 0; q < kw; q++) {
                const y = i * sh + a * dh - padTop;
                const xx = j * sw + q * dw - padLeft;
                if (y < 0 || y >= h || xx < 0 || xx >= wd) continue;
                const cin = g * cg + ci;
                acc += x.data[((b * c + cin) * h + y) * wd + xx] * w.data[((oc * cg + ci) * kh + a) * kw + q];
              }
          out[((b * o + oc) * oh + i) * ow + j] = acc;
        }
    }
  return ref([n, o, oh, ow], out);
}

/** PyTorch's conv1d, as conv2d on a height of 1. */
export function refConv1d(
  x: RefTensor,
  w: RefTensor,
  bias: RefTensor | null,
  options: { stride?: number; padding?: number | 'same' | 'valid'; dilation?: number; groups?: number } = {},
): RefTensor {
  const [n, c, l] = x.shape;
  const [o, cg, k] = w.shape;
  const padding = options.padding ?? 0;
  const y = refConv2d(ref([n, c, 1, l], x.data), ref([o, cg, 1, k], w.data), bias, {
    stride: [1, options.stride ?? 1],
    padding: typeof padding === 'string' ? padding : [0, padding],
    dilation: [1, options.dilation ?? 1],
    groups: options.groups,
  });
  return ref([n, o, y.shape[3]], y.data);
}

export interface RefConvTransposeOptions {
  stride?: RefPair;
  padding?: RefPair;
  outputPadding?: RefPair;
  dilation?: RefPair;
  groups?: number;
}

/** PyTorch's conv_transpose2d by scattering: every input element adds weight·x into the output. */
export function refConvTranspose2d(
  x: RefTensor,
  w: RefTensor,
  bias: RefTensor | null,
  options: RefConvTransposeOptions = {},
): RefTensor {
  const [n, c, h, wd] = x.shape;
  const [, og, kh, kw] = w.shape;
  const groups = options.groups ?? 1;
  const [sh, sw] = two(options.stride ?? 1);
  const [ph, pw] = two(options.padding ?? 0);
  const [oph, opw] = two(options.outputPadding ?? 0);
  const [dh, dw] = two(options.dilation ?? 1);
  const o = og * groups;
  const oh = (h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1;
  const ow = (wd - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1;
  const cg = c / groups;
  const out = new Float64Array(n * o * oh * ow);
  for (let b = 0; b < n; b++)
    for (let oc = 0; oc < o; oc++)
      for (let p = 0; p < oh * ow; p++) out[(b * o + oc) * oh * ow + p] = bias ? bias.data[oc] : 0;
  for (let b = 0; b < n; b++)
    for (let ci = 0; ci < c; ci++) {
      const g = Math.floor(ci / cg);
      for (let i = 0; i < h; i++)
        for (let j = 0; j < wd; j++) {
          const v = x.data[((b * c + ci) * h + i) * wd + j];
          for (let k = 0; k < og; k++)
            for (let a = 0; a < kh; a++)
              for (let q = 0; q < kw; q++) {
                const y = i * sh - ph + a * dh;
                const xx = j * sw - pw + q * dw;
                if (y < 0 || y >= oh || xx < 0 || xx >= ow) continue;
                const oc = g * og + k;
                out[((b * o + oc) * oh + y) * ow + xx] += v * w.data[((ci * og + k) * kh + a) * kw + q];
              }
        }
    }
  return ref([n, o, oh, ow], out);
}

export interface RefPoolOptions {
  stride?: RefPair;
  padding?: RefPair;
  dilation?: RefPair;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number;
}

/** PyTorch's pooling output length. */
export function pooled(size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  let out = Math.floor((size + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (out - 1) * s >= size + p) out--;
  return out;
}

/** PyTorch's max_pool2d: the first maximum of each window, and its flat index in the input plane. */
export function refMaxPool2d(
  x: RefTensor,
  kernel: RefPair,
  options: RefPoolOptions = {},
): [RefTensor, RefTensor] {
  const [n, c, h, w] = x.shape;
  const [kh, kw] = two(kernel);
  const [sh, sw] = two(options.stride ?? kernel);
  const [ph, pw] = two(options.padding ?? 0);
  const [dh, dw] = two(options.dilation ?? 1);
  const oh = pooled(h, kh, sh, ph, dh, options.ceilMode ?? false);
  const ow = pooled(w, kw, sw, pw, dw, options.ceilMode ?? false);
  const values = new Float64Array(n * c * oh * ow);
  const indices = new Float64Array(n * c * oh * ow);
  for (let plane = 0; plane < n * c; plane++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        let best = Number.NEGATIVE_INFINITY;
        let at = -1;
        for (let a = 0; a < kh; a++)
          for (let q = 0; q < kw; q++) {
            const y = i * sh - ph + a * dh;
            const xx = j * sw - pw + q * dw;
            if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
            const v = x.data[plane * h * w + y * w + xx];
            if (v > best) {
              best = v;
              at = y * w + xx;
            }
          }
        values[(plane * oh + i) * ow + j] = best;
        indices[(plane * oh + i) * ow + j] = at;
      }
  return [ref([n, c, oh, ow], values), ref([n, c, oh, ow], indices, 'int32')];
}

/** PyTorch's avg_pool2d, with its divisor rules (padding counted or not, or an override). */
export function refAvgPool2d(x: RefTensor, kernel: RefPair, options: RefPoolOptions = {}): RefTensor {
  const [n, c, h, w] = x.shape;
  const [kh, kw] = two(kernel);
  const [sh, sw] = two(options.stride ?? kernel);
  const [ph, pw] = two(options.padding ?? 0);
  const ceil = options.ceilMode ?? false;
  const oh = pooled(h, kh, sh, ph, 1, ceil);
  const ow = pooled(w, kw, sw, pw, 1, ceil);
  const out = new Float64Array(n * c * oh * ow);
  for (let plane = 0; plane < n * c; plane++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        let y0 = i * sh - ph;
        let x0 = j * sw - pw;
        let y1 = Math.min(y0 + kh, h + ph);
        let x1 = Math.min(x0 + kw, w + pw);
        const padded = (y1 - y0) * (x1 - x0);
        y0 = Math.max(y0, 0);
        x0 = Math.max(x0, 0);
        y1 = Math.min(y1, h);
        x1 = Math.min(x1, w);
        let acc = 0;
        for (let y = y0; y < y1; y++)
          for (let xx = x0; xx < x1; xx++) acc += x.data[plane * h * w + y * w + xx];
        const divisor =
          options.divisorOverride ?? ((options.countIncludePad ?? true) ? padded : (y1 - y0) * (x1 - x0));
        out[(plane * oh + i) * ow + j] = acc / divisor;
      }
  return ref([n, c, oh, ow], out);
}

/** PyTorch's adaptive_avg_pool2d: window o spans ⌊o·H/oH⌋ … ⌈(o+1)·H/oH⌉ − 1. */
export function refAdaptiveAvgPool2d(x: RefTensor, outputSize: RefPair): RefTensor {
  const [n, c, h, w] = x.shape;
  const [oh, ow] = two(outputSize);
  const out = new Float64Array(n * c * oh * ow);
  for (let plane = 0; plane < n * c; plane++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        const y0 = Math.floor((i * h) / oh);
        const y1 = Math.ceil(((i + 1) * h) / oh);
        const x0 = Math.floor((j * w) / ow);
        const x1 = Math.ceil(((j + 1) * w) / ow);
        let acc = 0;
        for (let y = y0; y < y1; y++)
          for (let xx = x0; xx < x1; xx++) acc += x.data[plane * h * w + y * w + xx];
        out[(plane * oh + i) * ow + j] = acc / ((y1 - y0) * (x1 - x0));
      }
  return ref([n, c, oh, ow], out);
}
