import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { HANG_LIMIT_MS, NO_WALL_CLOCK_LIMITS, TEST_WORKERS } from '../../vitest.shared.js';

/**
 * The browser modes (webgl2, webgpu) in Debian's headless Chromium through Playwright. Never run
 * `playwright install`: the browser is the system one (`apt-get install -y chromium`), overridable
 * with CHROMIUM_PATH. ANGLE on SwiftShader gives WebGL 2.0 without a GPU; the WebGPU flags ask
 * Dawn for its SwiftShader (Vulkan) adapter.
 */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const args = [
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
];

export default defineConfig({
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  optimizeDeps: { include: ['gpu.js'] },
  test: {
    include: ['test/browser/**/*.test.ts'],
    ...NO_WALL_CLOCK_LIMITS,
    ...TEST_WORKERS,
    browser: {
      enabled: true,
      headless: true,
      // A failing test's screenshot would land in the source tree; the failure message says enough.
      screenshotFailures: false,
      // Chromium's start and Vite's first transforms share a busy CI machine with every other
      // package's tests: the default 60 s to connect ran out there.
      connectTimeout: HANG_LIMIT_MS,
      provider: playwright({ launchOptions: { executablePath, args, timeout: 0 } }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
