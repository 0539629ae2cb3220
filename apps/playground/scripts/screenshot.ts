// Regenerates the README screenshot: builds nothing, serves dist/ (run `pnpm build` first), trains
// spirals for 300 steps on cpu in headless Chromium and writes screenshot.png (the page, 1200 px wide).
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/browser.js';
import { serve } from '../test/serve.js';

const server = await serve(fileURLToPath(new URL('../dist/', import.meta.url)), true);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`${server.url}?hidden=12-12`, { waitUntil: 'domcontentloaded', timeout: 0 });
  await page.waitForFunction(
    () => (window as { __playground?: { ready: boolean } }).__playground?.ready,
    null,
    {
      timeout: 0,
    },
  );
  for (let slice = 0; slice < 12; slice++) {
    await page.evaluate(() =>
      (window as unknown as { __playground: { train(n: number): Promise<void> } }).__playground.train(25),
    );
  }
  const out = fileURLToPath(new URL('../screenshot.png', import.meta.url));
  await page.screenshot({ path: out, fullPage: true, timeout: 0 });
  console.log(`screenshot: wrote ${out}`);
} finally {
  await browser.close();
  await server.close();
}
