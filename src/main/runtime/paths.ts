/**
 * Where the running build finds its files. A bundle lives in `<out>/hub/` (site hub and CLI, also
 * `/usr/lib/accueil-esc/hub/` in the Debian package) or `<out>/main/` (desktop); the built
 * renderer is always `<out>/renderer/` beside it. From the sources, `<out>` is the repository's
 * `out/` (built by `npm run build`).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildInfo, sourceRoot } from './build-info';
import { ENTRIES, type EntryName } from './entries';

const here = dirname(fileURLToPath(import.meta.url));

/** The build output folder holding hub/, main/, renderer/. */
export function outDir(): string {
  return buildInfo().bundled ? resolve(here, '..') : join(sourceRoot(), 'out');
}

/** The built renderer folder served by the hub (`ESC_STATIC_DIR` overrides), or null when not built. */
export function rendererDir(): string | null {
  const fromEnv = process.env.ESC_STATIC_DIR;
  const dir = fromEnv ? resolve(fromEnv) : join(outDir(), 'renderer');
  return existsSync(join(dir, 'index.html')) ? dir : null;
}

/**
 * How to start another entry of ENTRIES (a worker thread, a child process): the bundled file next
 * to this one in a build, else its TypeScript source loaded through tsx (development, tests).
 */
export function entryFile(name: EntryName): { file: string; execArgv: string[] } {
  if (buildInfo().bundled) return { file: join(here, `${name}.js`), execArgv: [] };
  return { file: join(sourceRoot(), ENTRIES[name].source), execArgv: ['--import', 'tsx'] };
}
