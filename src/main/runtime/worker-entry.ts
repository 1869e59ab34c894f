/**
 * Where a worker thread's code is (the `ENTRIES` of entries.ts that run as workers: the job
 * worker, the WAL checkpointer), in every way the app runs:
 *
 * - From a bundle (the hub/CLI bundled by esbuild, the desktop main process built by
 *   electron-vite): this code is inside the bundle, and the worker is the separate entry
 *   `<name>.js` emitted BESIDE that bundle (same folder), plain JavaScript.
 * - From sources (`npm run hub` through tsx, vitest, `npm run bench`): this file is
 *   `src/main/runtime/worker-entry.ts`. Node cannot run TypeScript in a worker by itself, and a
 *   tsx loader per worker costs seconds per start; so the entry's source is bundled on the fly
 *   with esbuild (a development dependency, as in the production build), into
 *   `node_modules/.cache/accueil-esc/<name>-<hash>.mjs` (packages stay external and resolve
 *   from the project's node_modules), once per content, and the worker runs that plain file.
 * - `ESC_JOBS_WORKER=/absolute/path/jobs-worker.js` overrides both for the job worker (unusual
 *   layouts). It names a file only: the database key always travels in `workerData`, never in
 *   the environment.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ENTRIES } from './entries';

/** The entries of entries.ts that run as worker threads. */
export type WorkerName = 'jobs-worker' | 'wal-checkpointer';

const built = new Map<WorkerName, Promise<URL>>();

export function workerEntry(name: WorkerName): Promise<URL> {
  const override = process.env.ESC_JOBS_WORKER;
  if (name === 'jobs-worker' && override && isAbsolute(override)) return Promise.resolve(pathToFileURL(override));
  const here = import.meta.url;
  if (!/\.[cm]?ts$/.test(new URL(here).pathname)) {
    // Beside the bundle; one folder up when the bundler put this code in a chunk sub-folder.
    const beside = new URL(`./${name}.js`, here);
    const above = new URL(`../${name}.js`, here);
    return Promise.resolve(existsSync(beside) || !existsSync(above) ? beside : above);
  }
  let url = built.get(name);
  if (!url) {
    url = buildFromSources(name, dirname(fileURLToPath(here))).catch((err: unknown) => {
      built.delete(name);
      throw err;
    });
    built.set(name, url);
  }
  return url;
}

/** Sources → one ESM file in the project's node_modules/.cache (dependencies left external). */
async function buildFromSources(name: WorkerName, here: string): Promise<URL> {
  const { build } = await import('esbuild');
  const root = projectRoot(here);
  const workerTs = join(root, ENTRIES[name].source);
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
  const file = join(dir, `${name}-${hash}.mjs`);
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
