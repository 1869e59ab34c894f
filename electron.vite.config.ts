/**
 * electron-vite build of the desktop app: main (Electron shell + core, plus every `desktop` entry
 * of src/main/runtime/entries.ts, e.g. worker threads), preload, renderer. The renderer is the
 * one the hub serves (vite.renderer.config.ts). `npm run build` (scripts/build.ts) runs this and
 * the hub bundle with one build stamp.
 */
import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import rendererConfig from './vite.renderer.config';
import { ENTRIES } from './src/main/runtime/entries';
import { buildStamp } from './scripts/build-stamp';

const desktopEntries = Object.fromEntries(
  Object.entries(ENTRIES)
    .filter(([, e]) => (e.targets as readonly string[]).includes('desktop'))
    .map(([name, e]) => [name, resolve(import.meta.dirname, e.source)]),
);

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    define: { __ESC_BUILD__: JSON.stringify(buildStamp()) },
    // Every `desktop` entry of ENTRIES is emitted beside index.js (e.g. jobs-worker.js, src/main/runtime/worker-entry.ts).
    build: { rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/main/desktop/main.ts'), ...desktopEntries } } },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    // Sandboxed preloads must be CommonJS.
    build: { rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    ...rendererConfig,
    build: { ...rendererConfig.build, rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } } },
  },
});
