import { GPU } from 'gpu.js';
import { isNode, provideNodeWebGPU } from './node-webgpu.js';

/**
 * The gpu.js modes this backend can run in (gpu.js 2.24.1's `new GPU({ mode })`):
 * - `gpu`: gpu.js picks the best synchronous backend (headlessgl → webgl2 → webgl → webasm);
 * - `webgl2`, `webgl`: a browser's WebGL (fragment-shader kernels, data kept in float textures);
 * - `headlessgl`: Node with the optional `gl` package (needs an X server, e.g. `xvfb-run`);
 * - `webgpu`: WGSL compute shaders over storage buffers; asynchronous only (see `gpujsBackend`); in
 *   Node through Dawn (the `webgpu` package, see `provideNodeWebGPU`);
 * - `webasm`: WebAssembly with f32x4 SIMD on the CPU, gpu.js's choice in Node without `gl`;
 * - `cpu`: kernels transpiled to plain JavaScript.
 *
 * gpu.js's `async` and `dev` modes are not offered: `async` switches backends under a kernel at its
 * first call (so a tensor's handle kind could change between ops), and `dev` runs no compiler.
 */
export type GpujsMode = 'gpu' | 'webgl2' | 'webgl' | 'headlessgl' | 'webgpu' | 'webasm' | 'cpu';

/** Every mode, in the order an automatic choice would try them. */
export const GPUJS_MODES: readonly GpujsMode[] = [
  'headlessgl',
  'webgl2',
  'webgl',
  'webgpu',
  'webasm',
  'cpu',
  'gpu',
];

/** Modes whose tensors live in device memory (textures, buffers) rather than in typed arrays of this process. */
export const RESIDENT_MODES: ReadonlySet<string> = new Set(['headlessgl', 'webgl2', 'webgl', 'webgpu']);

/** Whether a mode's kernels run on a GL context (fragment shaders over textures). */
export function isGLMode(mode: string): boolean {
  return mode === 'headlessgl' || mode === 'webgl2' || mode === 'webgl';
}

/** Whether a mode can be used here, and if not, why. */
export interface ModeAvailability {
  mode: GpujsMode;
  available: boolean;
  /** Why the mode is unavailable (empty when it is available). */
  reason: string;
}

const REASONS: Record<Exclude<GpujsMode, 'gpu' | 'webgpu'>, string> = {
  headlessgl:
    "headless-gl is unavailable: the optional `gl` package did not build or load (it builds from source with node-gyp: apt-get install libxi-dev libx11-dev libxext-dev pkg-config, and offline set npm_config_nodedir to Node's install prefix, e.g. /usr, before installing; see the root README), or there is no X server (run under xvfb-run -a)",
  webgl2: 'WebGL2 is unavailable (it needs a browser with WebGL 2.0)',
  webgl: 'WebGL is unavailable (it needs a browser with WebGL)',
  webasm: 'WebAssembly is unavailable in this runtime',
  cpu: '',
};

/**
 * Whether `mode` works here. Synchronous modes are probed through gpu.js's own feature checks;
 * `webgpu` needs an adapter to answer, so this is async (in Node it first sets `navigator.gpu` from
 * Dawn, and an unavailable reason is Dawn's).
 */
export async function probeMode(mode: GpujsMode): Promise<ModeAvailability> {
  if (mode === 'webgpu') {
    if (!GPU.isWebGPUSupported && isNode()) {
      const node = await provideNodeWebGPU();
      if (!node.available) return { mode, available: false, reason: node.reason };
    }
    if (!GPU.isWebGPUSupported)
      return {
        mode,
        available: false,
        reason: 'WebGPU is unavailable: navigator.gpu is missing in this runtime',
      };
    const available = await GPU.isWebGPUAvailable();
    return {
      mode,
      available,
      reason: available ? '' : 'WebGPU is present (navigator.gpu) but no adapter answered requestAdapter()',
    };
  }
  const sync = probeModeSync(mode);
  return sync;
}

/** The synchronous half of `probeMode` (every mode but `webgpu`, which answers false here). */
export function probeModeSync(mode: GpujsMode): ModeAvailability {
  let available: boolean;
  switch (mode) {
    case 'headlessgl':
      available = GPU.isHeadlessGLSupported;
      break;
    case 'webgl2':
      available = GPU.isWebGL2Supported;
      break;
    case 'webgl':
      available = GPU.isWebGLSupported;
      break;
    case 'webasm':
      available = GPU.isWebAssemblySupported;
      break;
    case 'cpu':
    case 'gpu':
      available = true;
      break;
    case 'webgpu':
      return { mode, available: false, reason: 'WebGPU needs the asynchronous probe (probeMode)' };
    default:
      return { mode, available: false, reason: `unknown gpu.js mode '${String(mode)}'` };
  }
  return { mode, available, reason: available ? '' : REASONS[mode as keyof typeof REASONS] };
}

/** Probes every mode. */
export async function availableModes(): Promise<ModeAvailability[]> {
  return Promise.all(GPUJS_MODES.map(probeMode));
}
