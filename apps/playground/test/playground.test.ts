import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlaygroundHandle } from '../src/main.js';
import { chromiumMissing, launchChromium } from './browser.js';
import { serve } from './serve.js';

// The built app (`pnpm test` builds it first), served like any static host would, under a sub-path.
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
/** Steps a run may take to reach its accuracy: generous (spirals pass 95% near step 100 here). */
const STEP_BOUND = 1500;

const missing = chromiumMissing();
if (missing) console.warn(`SKIPPED playground browser tests: ${missing}`);

let browser: Browser;
let server: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  if (missing) return;
  server = await serve(DIST, true);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type Snapshot = Omit<
  PlaygroundHandle,
  'play' | 'pause' | 'train' | 'reset' | 'setBackend' | 'weightChecksum'
>;

async function open(query: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // No time limits: a busy machine compiles WebGL kernels slowly, and only step counts are asserted.
  await page.goto(`${server.url}${query}`, { waitUntil: 'domcontentloaded', timeout: 0 });
  await page.waitForFunction(() => window.__playground?.ready || window.__playground?.error, null, {
    timeout: 0,
    polling: 100,
  });
  const error = await page.evaluate(() => window.__playground.error);
  expect(error, errors.join('\n')).toBeNull();
  return page;
}

function snapshot(page: Page): Promise<Snapshot> {
  return page.evaluate(() => JSON.parse(JSON.stringify(window.__playground)));
}

/** Trains in slices of `slice` steps until training accuracy reaches `target` or `bound` steps pass. */
async function trainUntil(page: Page, target: number, bound = STEP_BOUND, slice = 50): Promise<Snapshot> {
  for (;;) {
    const s = await snapshot(page);
    expect(s.error).toBeNull();
    if (s.accuracy >= target || s.step >= bound) return s;
    await page.evaluate((n) => window.__playground.train(n), slice);
  }
}

/** Variance of a screenshot's grey levels, measured in the page (decoding the PNG there). */
async function screenshotVariance(page: Page, selector: string): Promise<number> {
  const png = await page.locator(selector).screenshot({ timeout: 0 });
  return page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    let sum = 0;
    let sumSq = 0;
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      const grey = (data[i] + data[i + 1] + data[i + 2]) / 3;
      sum += grey;
      sumSq += grey * grey;
    }
    return sumSq / n - (sum / n) ** 2;
  }, png.toString('base64'));
}

declare global {
  interface Window {
    __playground: PlaygroundHandle;
  }
}

describe.skipIf(missing !== null)('the built playground in Chromium', () => {
  it('opens a configuration from the URL, autoplays and trains spirals past 95% on cpu; every view is drawn', async () => {
    const page = await open('?dataset=spirals&backend=cpu&autoplay=1&stepsPerFrame=50');
    await page.waitForFunction(
      () => window.__playground.accuracy >= 0.95 || window.__playground.step >= 1500,
      null,
      {
        timeout: 0,
        polling: 100,
      },
    );
    await page.evaluate(() => window.__playground.pause());
    const s = await snapshot(page);
    expect(s.backend).toBe('cpu');
    expect(s.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(s.step).toBeLessThan(STEP_BOUND);
    expect(Number.isFinite(s.loss)).toBe(true);
    expect(s.crossOriginIsolated).toBe(true);
    for (const view of ['#view-data', '#view-loss', '#view-gradients', '#view-hidden', '#view-graph']) {
      expect(await screenshotVariance(page, view), view).toBeGreaterThan(50);
    }
    await page.close();
  });

  it('trains spirals past 95% on gpujs (WebGL2), then moves to cpu mid-training with the same weights', async () => {
    const page = await open('?dataset=spirals&backend=gpujs');
    const trained = await trainUntil(page, 0.95);
    expect(trained.backend).toBe('gpujs');
    expect(trained.mode).toBe('webgl2');
    expect(trained.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(trained.step).toBeLessThan(STEP_BOUND);

    const before = await page.evaluate(() => window.__playground.weightChecksum());
    await page.evaluate(() => window.__playground.setBackend('cpu'));
    const after = await page.evaluate(() => window.__playground.weightChecksum());
    const moved = await snapshot(page);
    expect(moved.backend).toBe('cpu');
    expect(moved.step).toBe(trained.step);
    expect(after).toBeCloseTo(before, 3);
    // The same weights give the same accuracy on the new backend, and training goes on from there.
    expect(moved.accuracy).toBeCloseTo(trained.accuracy, 2);
    await page.evaluate(() => window.__playground.train(50));
    const continued = await snapshot(page);
    expect(continued.step).toBe(trained.step + 50);
    expect(continued.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(new URL(page.url()).searchParams.get('backend')).toBeNull(); // cpu is the default
    await page.close();
  });

  it('trains spirals past 95% on gpujs (WebGPU) where Chromium offers a WebGPU adapter', async (ctx) => {
    const page = await open('?dataset=spirals&backend=webgpu');
    const adapter = await page.evaluate(async () => {
      const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      return gpu ? (await gpu.requestAdapter()) !== null : false;
    });
    if (!adapter) {
      await page.close();
      ctx.skip(
        'this Chromium offers no WebGPU adapter (SwiftShader needs --enable-unsafe-webgpu and Vulkan)',
      );
    }
    // Slices of 50 steps stack 50 losses: a join of more parts than WebGPU binds storage buffers by default.
    const trained = await trainUntil(page, 0.95);
    expect(trained.backend).toBe('webgpu');
    expect(trained.mode).toBe('webgpu');
    expect(trained.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(trained.step).toBeLessThan(STEP_BOUND);
    expect(Number.isFinite(trained.loss)).toBe(true);
    expect(await screenshotVariance(page, '#view-data')).toBeGreaterThan(50);
    await page.close();
  });

  it("shows the vanishing gradient: a deep sigmoid stack's first layer gets >= 100x less than its last", async () => {
    const page = await open('?hidden=16-16-16-16-16-16-16&activation=sigmoid&optimizer=sgd&lr=0.1');
    await page.evaluate(() => window.__playground.train(1));
    const { gradNorms } = await snapshot(page);
    expect(gradNorms).toHaveLength(8);
    expect(gradNorms[0] * 100).toBeLessThanOrEqual(gradNorms[7]);
    expect(await screenshotVariance(page, '#view-gradients')).toBeGreaterThan(50);
    await page.close();
  });

  it('round-trips the configuration through the URL and the form, and the weights through safetensors', async () => {
    const query =
      '?dataset=moons&samples=200&noise=0.3&testSplit=0.25&hidden=8-4&activation=tanh&loss=mse&optimizer=momentum&lr=0.05&schedule=cosine&batchSize=32&l2=0.001&seed=7';
    const page = await open(query);
    const { config } = await snapshot(page);
    expect(config).toMatchObject({
      dataset: 'moons',
      samples: 200,
      noise: 0.3,
      testSplit: 0.25,
      hidden: [8, 4],
      activation: 'tanh',
      loss: 'mse',
      optimizer: 'momentum',
      lr: 0.05,
      schedule: 'cosine',
      batchSize: 32,
      l2: 0.001,
      seed: 7,
    });
    const params = (u: string) => Object.fromEntries(new URL(u, 'http://x').searchParams);
    expect(params(page.url())).toEqual(params(query));
    expect(await page.inputValue('#cfg-hidden')).toBe('8-4');
    expect(await page.inputValue('#cfg-activation')).toBe('tanh');
    // Save downloads the weights as safetensors; Load puts them back after a reset.
    await page.evaluate(() => window.__playground.train(20));
    const trained = await page.evaluate(() => window.__playground.weightChecksum());
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save')]);
    expect(download.suggestedFilename()).toBe('playground-moons-step20.safetensors');
    await page.evaluate(() => window.__playground.reset());
    expect(await page.evaluate(() => window.__playground.weightChecksum())).not.toBeCloseTo(trained, 3);
    await page.setInputFiles('#load', await download.path());
    // The page queues the load (its change handler runs as the files are set); the checksum queues behind it.
    expect(await page.evaluate(() => window.__playground.weightChecksum())).toBeCloseTo(trained, 4);
    // A change in the form rebuilds the model and lands in the URL.
    await page.selectOption('#cfg-activation', 'gelu');
    await page.waitForFunction(() => window.__playground.config.activation === 'gelu', null, { timeout: 0 });
    await page.waitForFunction(() => location.search.includes('activation=gelu'), null, { timeout: 0 });
    await page.close();
  });

  it('trains on the bundled MNIST digits and draws the confusion matrix and misclassified digits', async () => {
    const page = await open('?dataset=mnist&hidden=64&batchSize=64&lr=0.005');
    const s = await trainUntil(page, 0.9, 600, 100);
    expect(s.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(s.testAccuracy).toBeGreaterThan(0.8);
    expect(await page.locator('#misclassified canvas').count()).toBeGreaterThan(0);
    expect(await screenshotVariance(page, '#view-data')).toBeGreaterThan(50);
    await page.close();
  });
});
