// Runs a headless command (hub, central, sync, report, seed, bench) with tsx, building the
// renderer first when the hub is asked to serve it and the build is missing or stale (and the
// production hub for the bench).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [command, ...args] = process.argv.slice(2);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

// Only serving needs the built UI (demo mode: no sub-command, or options only).
if (command === 'hub' && (args[0] === undefined || args[0] === 'serve' || args[0].startsWith('--'))) {
  const index = join(root, 'out/renderer/index.html');
  const stale =
    !existsSync(index) ||
    Math.max(newestMtime(join(root, 'src/renderer')), newestMtime(join(root, 'src/shared'))) > statSync(index).mtimeMs;
  if (stale && !process.env.ESC_STATIC_DIR) {
    process.stdout.write('Construction de l’interface…\n');
    const r = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

// The bench measures the hub as it is delivered: the production build (out/hub), rebuilt when stale.
if (command === 'bench' && !process.env.ESC_BENCH_HUB_ENTRY) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/build.ts'), '--hub', '--if-stale', '--quiet'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The hub's allocator settings (src/main/hub/allocator.ts, read by glibc at process start).
const HUB_ALLOCATOR_ENV = { MALLOC_MMAP_THRESHOLD_: '1048576' };
const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/main/cli/index.ts'), command ?? '', ...args], {
  cwd: process.cwd(),
  stdio: 'inherit',
  env: command === 'hub' ? { ...HUB_ALLOCATOR_ENV, ...process.env } : process.env,
});
process.exit(r.status ?? 1);
