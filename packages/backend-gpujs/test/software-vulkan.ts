import { existsSync } from 'node:fs';

// webgpu in Node runs on Dawn (the `webgpu` package) over Vulkan. Where the environment chooses no
// Vulkan driver, use the SwiftShader ICD that Debian's Chromium ships (a software Vulkan that Dawn
// accepts, unlike Mesa 22's lavapipe) with the Vulkan loader (libvulkan1); the loader reads the
// variable when Dawn first creates its instance, which is after a test file imports this module.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_DRIVER_FILES && !process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD))
  process.env.VK_DRIVER_FILES = SWIFTSHADER_ICD;
