import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright';

/** Debian's Chromium, or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or null when they can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
}

/**
 * Debian's Chromium (never `playwright install`), overridable with CHROMIUM_PATH, with the flags
 * that give WebGL2 (ANGLE on SwiftShader) and WebGPU (Dawn's SwiftShader adapter) without a GPU,
 * as packages/backend-gpujs/vitest.browser.config.ts launches it.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // No start-up limit: on a busy machine Chromium can take longer than Playwright's 3 minutes.
    timeout: 0,
    args: [
      '--no-sandbox',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--enable-unsafe-webgpu',
      '--use-webgpu-adapter=swiftshader',
      '--enable-features=Vulkan',
    ],
  });
}
