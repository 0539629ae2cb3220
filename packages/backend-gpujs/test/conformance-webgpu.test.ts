import { existsSync } from 'node:fs';
import { describeModeConformance } from './mode-suite.js';
import { WEBGPU_SKIPS } from './webgpu-skips.js';

// webgpu in Node runs on Dawn (the `webgpu` package) over Vulkan. Where the environment chooses no
// Vulkan driver, use the SwiftShader ICD that Debian's Chromium ships (a software Vulkan that Dawn
// accepts, unlike Mesa 22's lavapipe) with the Vulkan loader (libvulkan1); the loader reads the
// variable when Dawn first creates its instance, which is after this line.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_DRIVER_FILES && !process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD))
  process.env.VK_DRIVER_FILES = SWIFTSHADER_ICD;

// gradcheck's float32 central differences run for webgpu in Chromium (test/browser), on the same
// Dawn, Tint and SwiftShader: here they would double CI's longest task (about 800 cases at a read
// each). Every forward sample and every gradient against the float64 reference still runs here.
const IN_CHROMIUM =
  'gradcheck runs for webgpu in Chromium on the same Dawn and SwiftShader (test/browser); here the reference gradients check backward';

await describeModeConformance('webgpu', { skip: { ...WEBGPU_SKIPS, gradcheck: IN_CHROMIUM } });
