/**
 * electron-vite build of the desktop app: main (Electron shell + core), preload, renderer.
 * The renderer configuration is the one the hub serves.
 */
import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    // The job worker is an entry of its own, emitted beside index.js as jobs-worker.js (src/main/jobs/entry.ts).
    build: {
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/main/desktop/main.ts'), 'jobs-worker': resolve(import.meta.dirname, 'src/main/jobs/worker.ts') },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    // Sandboxed preloads must be CommonJS.
    build: { rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    plugins: [react()],
    build: { rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } } },
  },
});
