/**
 * Where the job worker's code is, in every way the app runs:
 *
 * - From a bundle (the hub/CLI bundled by esbuild, the desktop main process built by
 *   electron-vite): this code is inside the bundle, and the worker is the separate entry
 *   `jobs-worker.js` emitted BESIDE that bundle (same folder), plain JavaScript.
 * - From sources (`npm run hub` through tsx, vitest, `npm run bench`): this file is
 *   `src/main/jobs/entry.ts`. Node cannot run TypeScript in a worker by itself, and a tsx
 *   loader per worker costs seconds per start; so `worker.ts` is bundled on the fly with esbuild
 *   (a development dependency, as in the production build), into
 *   `node_modules/.cache/accueil-esc/jobs-worker-<hash>.mjs` (packages stay external and resolve
 *   from the project's node_modules), once per content, and the worker runs that plain file.
 * - `ESC_JOBS_WORKER=/absolute/path/jobs-worker.js` overrides both (unusual layouts). It names a
 *   file only: the database key always travels in `workerData`, never in the environment.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BUNDLED_WORKER_FILE = 'jobs-worker.js';

let built: Promise<URL> | null = null;

export function workerEntry(): Promise<URL> {
  const override = process.env.ESC_JOBS_WORKER;
  if (override && isAbsolute(override)) return Promise.resolve(pathToFileURL(override));
  const here = import.meta.url;
  if (!/\.[cm]?ts$/.test(new URL(here).pathname)) {
    // Beside the bundle; one folder up when the bundler put this code in a chunk sub-folder.
    const beside = new URL(`./${BUNDLED_WORKER_FILE}`, here);
    const above = new URL(`../${BUNDLED_WORKER_FILE}`, here);
    return Promise.resolve(existsSync(beside) || !existsSync(above) ? beside : above);
  }
  built ??= buildFromSources(fileURLToPath(new URL('./worker.ts', here))).catch((err: unknown) => {
    built = null;
    throw err;
  });
  return built;
}

/** Sources → one ESM file in the project's node_modules/.cache (dependencies left external). */
async function buildFromSources(workerTs: string): Promise<URL> {
  const { build } = await import('esbuild');
  const root = projectRoot(dirname(workerTs));
  const out = await build({
    entryPoints: [workerTs],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  const text = out.outputFiles[0]!.contents;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const dir = join(root, 'node_modules', '.cache', 'accueil-esc');
  const file = join(dir, `jobs-worker-${hash}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, text);
    renameSync(partial, file);
  }
  return pathToFileURL(file);
}

function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'node_modules'))) return dir;
    if (dirname(dir) === dir) throw new Error('project root (package.json with node_modules) not found');
  }
}
