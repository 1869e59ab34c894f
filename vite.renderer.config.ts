/** Vite build of the renderer, shared by electron-vite (desktop) and the hub (`out/renderer`). */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export const rendererRoot = resolve(import.meta.dirname, 'src/renderer');

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  resolve: { alias: { '@shared': resolve(import.meta.dirname, 'src/shared') } },
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
