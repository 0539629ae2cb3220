/**
 * WebGPU for gpu.js in Node. gpu.js's webgpu mode reads the browser's global `navigator.gpu`; Node
 * has none, so here it comes from the `webgpu` package (Google's Dawn as a prebuilt Node addon),
 * installed beside this one. Dawn answers `requestAdapter()` with `null` and prints its reason to
 * stderr only, so when no adapter answers the reason is taken from a short child process that asks
 * Dawn again and captures what it prints.
 */

/** Whether Node WebGPU is ready (`navigator.gpu` is set and an adapter answered), and if not, why. */
export interface NodeWebGPUStatus {
  available: boolean;
  /** Why WebGPU is unavailable (empty when it is available). */
  reason: string;
}

/** The part of Dawn's `GPU` object used here (the `webgpu` package's `create()` returns it). */
interface DawnGPU {
  requestAdapter(): Promise<unknown>;
}

/** The `webgpu` package's module. */
interface DawnModule {
  create(flags: string[]): DawnGPU;
}

/** Node's builtins, loaded only in Node (never named statically, so browser bundles skip them). */
interface NodeBuiltins {
  resolveWebGPU(): string;
  fileUrl(path: string): string;
  runNode(args: string[]): Promise<{ code: number | null; stderr: string }>;
}

const WEBGPU_PACKAGE = 'webgpu';
const NO_ADAPTER_HINT =
  'Dawn uses Vulkan on Linux: it needs the Vulkan loader (libvulkan1) and a GPU driver, or a software driver chosen with VK_DRIVER_FILES, e.g. the SwiftShader ICD Chromium ships at /usr/lib/chromium/vk_swiftshader_icd.json';
const INSTALL_HINT = 'install it beside @backprop/backend-gpujs: pnpm add webgpu@^0.6.2';

/** A variable specifier: bundlers (Vite, esbuild) leave the import alone instead of resolving it. */
const importModule = (specifier: string): Promise<unknown> => import(/* @vite-ignore */ specifier);

/** True in Node (not in browsers, workers or Deno's browser-like globals without `process.versions.node`). */
export function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === 'string';
}

function navigatorGPU(): unknown {
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  return nav?.gpu;
}

/** Sets `navigator.gpu` (Node 20 has no `navigator`; Node 21+ has one without `gpu`). */
function installNavigatorGPU(gpu: DawnGPU): void {
  const global = globalThis as { navigator?: object };
  if (global.navigator === undefined) global.navigator = { gpu };
  else Object.defineProperty(global.navigator, 'gpu', { value: gpu, configurable: true, enumerable: true });
}

async function nodeBuiltins(): Promise<NodeBuiltins> {
  const moduleApi = (await importModule('node:module')) as typeof import('node:module');
  const url = (await importModule('node:url')) as typeof import('node:url');
  const childProcess = (await importModule('node:child_process')) as typeof import('node:child_process');
  const require = moduleApi.createRequire(import.meta.url);
  return {
    // `webgpu` has `main` and no `exports`, so require.resolve finds its ESM entry file.
    resolveWebGPU: () => require.resolve(WEBGPU_PACKAGE),
    fileUrl: (path) => url.pathToFileURL(path).href,
    runNode: (args) =>
      new Promise((resolve) => {
        childProcess.execFile(process.execPath, args, { timeout: 60_000 }, (error, _stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr: String(stderr) }),
        );
      }),
  };
}

/**
 * Dawn's own words for why no adapter answered: its `Warning:` lines (and their `- While …`
 * context), without the native stack locations, from a child process that repeats the request.
 */
async function dawnNoAdapterReason(node: NodeBuiltins, moduleUrl: string): Promise<string> {
  const script = `const { create } = await import(${JSON.stringify(moduleUrl)});
const adapter = await create([]).requestAdapter();
process.exitCode = adapter ? 0 : 3;`;
  const { code, stderr } = await node.runNode(['--input-type=module', '-e', script]);
  if (code === 0) return 'requestAdapter() returned null here but an adapter answered in a child process';
  const reason = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('Warning:') || line.startsWith('- While'))
    .map((line) => (line.startsWith('Warning:') ? `; ${line.replace(/^Warning:\s*/, '')}` : ` ${line}`))
    .join('')
    .slice(2);
  return reason !== '' ? reason : 'requestAdapter() returned null and Dawn printed no reason';
}

async function provide(): Promise<NodeWebGPUStatus> {
  const node = await nodeBuiltins();
  let path: string;
  try {
    path = node.resolveWebGPU();
  } catch {
    return {
      available: false,
      reason: `the \`webgpu\` package (Dawn for Node) is not installed: ${INSTALL_HINT}`,
    };
  }
  const moduleUrl = node.fileUrl(path);
  let dawn: DawnModule;
  try {
    dawn = (await importModule(moduleUrl)) as DawnModule;
  } catch (e) {
    return {
      available: false,
      reason: `the \`webgpu\` package (Dawn for Node) did not load: ${(e as Error).message.split('\n')[0]}`,
    };
  }
  const gpu = dawn.create([]);
  if ((await gpu.requestAdapter()) === null)
    return {
      available: false,
      reason: `Dawn found no adapter: ${await dawnNoAdapterReason(node, moduleUrl)} (${NO_ADAPTER_HINT})`,
    };
  installNavigatorGPU(gpu);
  return { available: true, reason: '' };
}

let provided: Promise<NodeWebGPUStatus> | undefined;

/**
 * In Node, makes `navigator.gpu` available to gpu.js from Dawn, once per process (the answer is
 * cached). Resolves whether an adapter answered, and if not why: the `webgpu` package is missing or
 * does not load, or Dawn's own reason for finding no adapter. Where `navigator.gpu` already exists
 * (a browser, or a program that set it) it changes nothing.
 */
export function provideNodeWebGPU(): Promise<NodeWebGPUStatus> {
  if (navigatorGPU() !== undefined) return Promise.resolve({ available: true, reason: '' });
  provided ??= provide().catch((e: unknown) => ({
    available: false,
    reason: `Dawn could not be started: ${(e as Error).message}`,
  }));
  return provided;
}
