/**
 * Where the running build finds its files. A bundle lives in `<out>/hub/` (site hub and CLI, also
 * `/usr/lib/accueil-esc/hub/` in the Debian package) or `<out>/main/` (desktop); the built
 * renderer is always `<out>/renderer/` beside it. From the sources, `<out>` is the repository's
 * `out/` (built by `npm run build`).
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildInfo, sourceRoot } from './build-info';

const here = dirname(fileURLToPath(import.meta.url));

/** The build output folder holding hub/, main/, renderer/ (this code may sit in a bundle's chunks/ folder). */
export function outDir(): string {
  if (!buildInfo().bundled) return join(sourceRoot(), 'out');
  const bundleDir = basename(here) === 'chunks' ? dirname(here) : here;
  return resolve(bundleDir, '..');
}

/** The built renderer folder served by the hub (`ESC_STATIC_DIR` overrides), or null when not built. */
export function rendererDir(): string | null {
  const fromEnv = process.env.ESC_STATIC_DIR;
  const dir = fromEnv ? resolve(fromEnv) : join(outDir(), 'renderer');
  return existsSync(join(dir, 'index.html')) ? dir : null;
}
