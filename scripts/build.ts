/**
 * `npm run build`: the production build (docs/decisions/025-production-build.md).
 *   1. electron-vite: the desktop's main process, preload and renderer (out/main, out/preload,
 *      out/renderer; the renderer is also what the hub serves);
 *   2. esbuild: every `hub` entry of src/main/runtime/entries.ts bundled to plain JavaScript in
 *      out/hub/<name>.js, run with `node` (no tsx, no TypeScript, no dev dependency at run time),
 *      the runtime npm dependencies of EXTERNAL_DEPENDENCIES left in node_modules;
 *   3. out/hub/package.json (ES module, the externals the bundle really imports and their
 *      versions: what `npm run dist:hub` ships) and out/build-info.json.
 * Options: --hub (hub and renderer only: no desktop main/preload; what the end-to-end tests need),
 * --if-stale (skip each part whose output is newer than its sources).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { ENTRIES, EXTERNAL_DEPENDENCIES, OPTIONAL_OR_DEV_IMPORTS } from '../src/main/runtime/entries';
import { buildStamp, ROOT } from './build-stamp';

const args = new Set(process.argv.slice(2));
const hubOnly = args.has('--hub');
const ifStale = args.has('--if-stale');
const quiet = args.has('--quiet');

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Whether `output` is missing or older than any of `sources` (files or folders). */
function stale(output: string, sources: string[]): boolean {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((s) => newestMtime(join(ROOT, s)) > built);
}

function say(text: string): void {
  if (!quiet) process.stdout.write(`${text}\n`);
}

function run(label: string, bin: string, argv: string[], env: NodeJS.ProcessEnv): void {
  say(label);
  const r = spawnSync(process.execPath, [join(ROOT, bin), ...argv], { cwd: ROOT, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit', env });
  if (r.status !== 0) {
    process.stderr.write(`Échec : ${label}\n`);
    process.exit(r.status ?? 1);
  }
}

const stamp = buildStamp();
const env = { ...process.env, ESC_BUILD_STAMP: JSON.stringify(stamp) };
const out = join(ROOT, 'out');
const configs = ['package.json', 'electron.vite.config.ts', 'vite.renderer.config.ts'];

// 1. Renderer (and, for a full build, the desktop's main process and preload).
if (hubOnly) {
  if (!ifStale || stale(join(out, 'renderer/index.html'), ['src/renderer', 'src/shared', ...configs])) {
    run('Interface (renderer)…', 'node_modules/vite/bin/vite.js', ['build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'], env);
  }
} else if (!ifStale || stale(join(out, 'main/index.js'), ['src', ...configs])) {
  run('Application de bureau (electron-vite : main, preload, renderer)…', 'node_modules/electron-vite/bin/electron-vite.js', ['build', '--logLevel', 'warn'], env);
}

// 2. Hub and CLI bundles.
const hubEntries = Object.entries(ENTRIES).filter(([, e]) => (e.targets as readonly string[]).includes('hub'));
const hubDir = join(out, 'hub');
if (!ifStale || stale(join(hubDir, 'package.json'), ['src/main', 'src/shared', 'scripts/build.ts', ...configs])) {
  say(`Hub et commandes (esbuild : ${hubEntries.map(([name]) => `out/hub/${name}.js`).join(', ')})…`);
  rmSync(hubDir, { recursive: true, force: true });
  mkdirSync(hubDir, { recursive: true });
  const result = await build({
    entryPoints: Object.fromEntries(hubEntries.map(([name, e]) => [name, join(ROOT, e.source)])),
    outdir: hubDir,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    external: [...EXTERNAL_DEPENDENCIES, ...OPTIONAL_OR_DEV_IMPORTS],
    // Bundled CommonJS code calls require() for Node's own modules: give ES modules one.
    banner: { js: "import { createRequire as __escRequire } from 'node:module'; const require = __escRequire(import.meta.url);" },
    define: { __ESC_BUILD__: JSON.stringify(stamp) },
    // Smaller files without renaming anything: stack traces in the journal stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const imported = externalsImported(result.metafile);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; engines: Record<string, string>; dependencies: Record<string, string> };
  writeFileSync(
    join(hubDir, 'package.json'),
    `${JSON.stringify(
      {
        name: `${pkg.name}-hub`,
        version: pkg.version,
        private: true,
        type: 'module',
        description: 'Accueil ESC site hub and commands (bundled; see docs/decisions/025-production-build.md)',
        engines: pkg.engines,
        dependencies: Object.fromEntries(imported.map((d) => [d, pkg.dependencies[d] ?? '*'])),
      },
      null,
      2,
    )}\n`,
  );
  say(`  dépendances laissées dans node_modules : ${imported.join(', ')}`);
}

writeFileSync(join(out, 'build-info.json'), `${JSON.stringify(stamp, null, 2)}\n`);
say(`Version ${stamp.version}${stamp.commit ? ` (${stamp.commit})` : ''} construite dans out/.`);

/** The external npm packages the bundles actually import (whatever their subpath). */
function externalsImported(meta: Metafile): string[] {
  const names = new Set<string>();
  for (const output of Object.values(meta.outputs)) {
    for (const i of output.imports) {
      if (!i.external || i.path.startsWith('node:') || !/^[@a-z]/.test(i.path)) continue;
      const parts = i.path.split('/');
      const name = i.path.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
      if ((EXTERNAL_DEPENDENCIES as readonly string[]).includes(name)) names.add(name);
    }
  }
  return [...names].sort();
}
