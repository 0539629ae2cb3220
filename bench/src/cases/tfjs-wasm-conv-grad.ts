/**
 * TensorFlow.js 4.22.0's wasm backend registers no `Conv2DBackpropFilter` kernel, so a conv2d's
 * weight gradient (and so CNN training) throws there. This registers one made of the wasm
 * backend's own `Conv3DBackpropFilterV2` kernel, run on the same buffers viewed with a depth of 1
 * (x [N, H, W, C] as [N, 1, H, W, C], dy likewise, the filter [kH, kW, C, O] as [1, kH, kW, C, O]),
 * so the gradient is computed by tfjs-wasm's compiled code with no copy and no other backend.
 */
import type * as Tf from '@tensorflow/tfjs-core';

/** What a case's notes say when the shim was registered. */
export const SHIM_NOTE =
  "wasm has no Conv2DBackpropFilter kernel in 4.22.0: the bench registers one that runs wasm's own Conv3DBackpropFilterV2 on the same buffers with depth 1 (src/cases/tfjs-wasm-conv-grad.ts)";

type Pad2d = 'valid' | 'same' | number | number[][];

/** Registers the shim once; true when it was needed (so the case's notes can say so). */
export function registerWasmConv2dFilterGrad(tf: typeof Tf): boolean {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined) return false;
  const conv3dFilterGrad = tf.getKernel('Conv3DBackpropFilterV2', 'wasm');
  const padV2 = tf.getKernel('PadV2', 'wasm');
  if (conv3dFilterGrad === undefined || padV2 === undefined)
    throw new Error('tfjs-wasm has neither Conv2DBackpropFilter nor Conv3DBackpropFilterV2 and PadV2');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: Tf.TensorInfo; dy: Tf.TensorInfo };
      const a = attrs as unknown as {
        strides: number | [number, number];
        pad: Pad2d;
        dataFormat: string;
        dilations?: number | [number, number];
        filterShape: [number, number, number, number];
      };
      if (a.dataFormat !== 'NHWC')
        throw new Error(`Conv2DBackpropFilter shim: NHWC only, got ${a.dataFormat}`);
      const dilations = a.dilations ?? 1;
      if (dilations !== 1 && !(Array.isArray(dilations) && dilations.every((d) => d === 1)))
        throw new Error('Conv2DBackpropFilter shim: dilation 1 only');
      const [sh, sw] = typeof a.strides === 'number' ? [a.strides, a.strides] : a.strides;
      // Conv3D reads a numeric pad as padding on all three axes (depth too), so a symmetric pad is
      // given as 'same' where that is what it means (stride 1, pad (k − 1) / 2), else x is padded first.
      let p: number | 'valid' | 'same';
      if (Array.isArray(a.pad)) {
        const [, [top, bottom], [left, right]] = a.pad;
        if (!(top === bottom && left === right && top === left))
          throw new Error(`Conv2DBackpropFilter shim: symmetric padding only, got ${JSON.stringify(a.pad)}`);
        p = top;
      } else p = a.pad;
      const [kh, kw] = a.filterShape;
      let input = x;
      let padded: Tf.TensorInfo | null = null;
      if (typeof p === 'number' && p > 0) {
        if (sh === 1 && sw === 1 && kh === kw && 2 * p === kh - 1) p = 'same';
        else {
          padded = padV2.kernelFunc({
            inputs: { x },
            backend,
            attrs: {
              paddings: [
                [0, 0],
                [p, p],
                [p, p],
                [0, 0],
              ],
              constantValue: 0,
            },
          }) as Tf.TensorInfo;
          input = padded;
          p = 'valid';
        }
      }
      const pad = p === 0 ? 'valid' : p;
      const as5d = (t: Tf.TensorInfo): Tf.TensorInfo => ({
        dataId: t.dataId,
        dtype: t.dtype,
        shape: [t.shape[0], 1, ...t.shape.slice(1)],
      });
      const dw = conv3dFilterGrad.kernelFunc({
        inputs: { x: as5d(input), dy: as5d(dy) },
        backend,
        attrs: { strides: [1, sh, sw], pad, filterShape: [1, ...a.filterShape] },
      }) as Tf.TensorInfo;
      if (padded !== null) (backend as Tf.KernelBackend).disposeData(padded.dataId);
      return { dataId: dw.dataId, dtype: dw.dtype, shape: [...a.filterShape] };
    },
  });
  return true;
}
