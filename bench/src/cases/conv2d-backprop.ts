/**
 * conv2d forward + backward with backprop's cpu backend at cnn.ts's shapes: y = conv2d(x, w) with
 * padding, then `y.backward(g)` for the gradients of x and w (the upstream gradient g is seeded,
 * the same for every library), inside `tidy`; Σ dW is read back as the checksum. `--threads=N` pins
 * the backend's thread count.
 */
import { availableParallelism } from 'node:os';
import type { CpuBackend } from '@backprop/backend-cpu';
import { conv2d, fromArray, setBackend, type Tensor, tidy } from '@backprop/core';
import { ENGINE } from '@backprop/core/backend';
import { conv2dInputs, conv2dOutShape, timeConv2d } from '../cnn.js';
import { caseArgs, cpuThreadsNote, runCase } from '../common.js';

const { quick, values } = caseArgs();
if (values.threads) process.env.BACKPROP_CPU_THREADS = values.threads;
const threads = Number(process.env.BACKPROP_CPU_THREADS || availableParallelism());

await runCase(
  {
    case: `conv2d-backprop-cpu${values.threads ? `-${values.threads}t` : ''}`,
    library: `backprop cpu (${threads} thread${threads > 1 ? 's' : ''}${process.env.BACKPROP_CPU_THREADS ? '' : ', default'})`,
    benchmark: 'conv2d',
  },
  async () => {
    await import('@backprop/backend-cpu');
    await setBackend('cpu');
    const conv2dRows = await timeConv2d(quick, async (s) => {
      const inputs = conv2dInputs(s);
      const x = fromArray(inputs.x, s.x, { requiresGrad: true });
      const w = fromArray(inputs.w, s.w, { requiresGrad: true });
      const g = fromArray(inputs.g, conv2dOutShape(s));
      const clear = (t: Tensor) => {
        t.grad?.dispose();
        t.grad = null;
      };
      return {
        run: () => {
          tidy(() => conv2d(x, w, null, { padding: s.padding }).backward(g));
          // The cpu backend is eager: dX and dW are computed once backward returns.
          const dwSum = tidy(() => (w.grad as Tensor).sum().item());
          clear(x);
          clear(w);
          return dwSum;
        },
        free: () => {
          for (const t of [x, w, g]) t.dispose();
        },
      };
    });
    const threading = (ENGINE.activeBackend() as CpuBackend).threading;
    return {
      conv2d: conv2dRows,
      notes: [
        cpuThreadsNote(threading),
        'core conv2d(x, w, null, { padding }) then y.backward(g): dX and dW, inside tidy',
      ],
    };
  },
);
